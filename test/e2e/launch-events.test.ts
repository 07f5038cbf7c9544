import { EVENTS_PER_POLL } from '../../functions/shared/history-budget';
import { LAUNCH_EVENT_FALLBACK_SECONDS } from '../../functions/shared/launch-wait-schedule';
import { nextPollSeconds } from '../../functions/shared/poll-schedule';
import { detectionLatencies } from '../../local/detection-latency';
import { parseScenario, ScenarioInvalid } from '../../local/drs-simulator';
import { runLocalExecution } from '../../local/run-local-execution';

/**
 * Issue 12, section 2: DRS's launch result events wake the waiting wave, which then checks its job
 * at once; polling at a long interval stays as the fallback. On the local stack (the deployed ASL,
 * the real task code, dynalite, the DRS simulator emitting the documented events, a local
 * EventBridge delivering them as the scenario's `events` says), in simulated time.
 */
const DB = ['s-0db00000000000001', 's-0db00000000000002'];
const APP = ['s-0app0000000000001', 's-0app0000000000002'];
const plan = {
  planId: 'events',
  name: 'Events',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: DB, timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: APP, timeoutMinutes: 60 },
  ],
};
// The databases launch after 5 and 7 minutes, the app servers after 4 and 5.
const launches = {
  [DB[0] as string]: { afterSeconds: 300 },
  [DB[1] as string]: { afterSeconds: 420 },
  [APP[0] as string]: { afterSeconds: 240 },
  [APP[1] as string]: { afterSeconds: 300 },
};
const failingApp = { ...launches, [APP[1] as string]: { result: 'FAILED', afterSeconds: 200 } };
const run = (scenario: Record<string, unknown>) =>
  runLocalExecution({ input: { plan, executionType: 'DRILL' }, scenario: parseScenario(scenario) });

describe('launch events on the local stack', () => {
  it('detect a success and a failure within 5 s of the deciding launch result (events 2 s late by default)', async () => {
    const ok = await run({ launches });
    const failed = await run({ launches: failingApp });

    expect(ok.result.status).toBe('COMPLETED');
    expect(failed.result).toMatchObject({ status: 'FAILED', error: 'WaveFailed' });
    expect(failed.result.waves[1]?.failedServers).toEqual([APP[1]]);
    const success = detectionLatencies(ok).detectionLatencySeconds;
    const failure = detectionLatencies(failed).failureDetectionLatencySeconds;
    expect(success).toBeLessThanOrEqual(5);
    expect(failure).toBeLessThanOrEqual(5);
    // One check per wave: the wave is woken when its results decide it, not once per event.
    expect(ok.taskCalls['Check the wave']).toBe(2);
    expect(ok.launchEvents).toHaveLength(4);
  });

  it('with every event dropped, still reach the verdicts, each within one fallback interval', async () => {
    const ok = await run({ launches, events: { dropFor: 'all' } });
    const failed = await run({ launches: failingApp, events: { dropFor: 'all' } });

    expect(ok.result.status).toBe('COMPLETED');
    expect(failed.result).toMatchObject({ status: 'FAILED', error: 'WaveFailed' });
    expect(ok.launchEvents.every((e) => e.deliveredAt.length === 0)).toBe(true);
    const success = detectionLatencies(ok).detectionLatencySeconds ?? Number.NaN;
    const failure = detectionLatencies(failed).failureDetectionLatencySeconds ?? Number.NaN;
    expect(success).toBeGreaterThan(5);
    expect(success).toBeLessThanOrEqual(LAUNCH_EVENT_FALLBACK_SECONDS);
    expect(failure).toBeGreaterThan(5);
    expect(failure).toBeLessThanOrEqual(LAUNCH_EVENT_FALLBACK_SECONDS);
  });

  it('reach the verdict when only the deciding event is lost (the fallback finds it)', async () => {
    const r = await run({ launches, events: { dropFor: [DB[1]] } });

    expect(r.result.status).toBe('COMPLETED');
    expect(r.result.waves.map((w) => w.status)).toEqual(['COMPLETED', 'COMPLETED']);
  });

  it('reach the same verdicts, with no more checks, when every event comes three times', async () => {
    const once = await run({ launches });
    const thrice = await run({ launches, events: { duplicates: 2 } });

    expect(thrice.result.status).toBe('COMPLETED');
    // The first wave's events all came three times while the run went on (the last wave's last copies come after its end).
    const first = thrice.launchEvents.filter((e) => DB.includes(e.sourceServerID));
    expect(first.map((e) => e.deliveredAt.length)).toEqual([3, 3]);
    expect(thrice.taskCalls['Check the wave']).toBe(once.taskCalls['Check the wave']);
  });

  it('reach the verdict when events arrive out of order (the first result last)', async () => {
    // DB[0] launched first (300 s) but its event comes at 500 s, after DB[1]'s (422 s).
    const r = await run({ launches, events: { delaySecondsFor: { [DB[0] as string]: 200 } } });

    expect(r.result.status).toBe('COMPLETED');
    const db = r.result.waves[0];
    expect(db?.endedAt).toBe('2026-01-01T00:08:20.000Z');
  });

  it("cost fewer history events per wave than today's polling of the same launches", async () => {
    const r = await run({ launches });

    // Polling (poll-schedule.ts): the first wave at the plan's interval until its last launch, the
    // second expecting as long as the first took. A poll was Wait, Check and Choice: 9 events.
    const pollsUntil = (launchSeconds: number, expectedSeconds: number) => {
      let elapsed = 0;
      let polls = 0;
      while (elapsed < launchSeconds) {
        elapsed += nextPollSeconds({
          pollIntervalSeconds: plan.pollIntervalSeconds,
          elapsedSeconds: elapsed,
          expectedSeconds,
          anyLaunched: elapsed >= 240,
          secondsToDeadline: 3600 - elapsed,
        });
        polls++;
      }
      return polls;
    };
    const pollingEvents = (pollsUntil(420, 0) + pollsUntil(300, 420)) * 9;
    const checks = r.taskCalls['Check the wave'] ?? 0;
    // With events: a token wait (6 events on AWS), a Check and a Choice per wake.
    expect(checks * EVENTS_PER_POLL).toBeLessThan(pollingEvents);
    expect(checks).toBe(2);
  });

  it('refuses a scenario whose events are malformed, naming every problem', () => {
    expect(() => parseScenario({ events: { delaySeconds: -1, dropFor: ['x'], duplicates: 9, surprise: 1 } })).toThrow(
      ScenarioInvalid,
    );
    try {
      parseScenario({ events: { delaySeconds: -1, dropFor: ['x'], duplicates: 9, surprise: 1 } });
    } catch (error) {
      const problems = (error as ScenarioInvalid).problems.join('\n');
      expect(problems).toMatch(/delaySeconds/);
      expect(problems).toMatch(/dropFor/);
      expect(problems).toMatch(/duplicates/);
      expect(problems).toMatch(/surprise/);
    }
  });
});
