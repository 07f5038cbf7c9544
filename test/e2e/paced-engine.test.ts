import { parseScenario } from '../../local/drs-simulator';
import { LocalStack } from '../../local/local-stack';
import { PacedClock } from '../../local/paced-clock';
import { planServerIDs } from '../../local/run-local-execution';
import { TaskTokens } from '../../local/task-tokens';

/**
 * The web console's watchable time: a paced clock and task tokens paced by it, so the launch waits
 * ("Wait for launch" is a token wait woken by DRS's launch events) last their simulated time at the
 * clock's speed instead of jumping it; and the StopExecution signal during such a wait.
 */
const id = (tier: string, n: number) => `s-${tier}${String(n).padStart(17 - tier.length, '0')}`;
const plan = {
  planId: 'paced',
  name: 'Paced',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: [id('db', 1)], timeoutMinutes: 60 },
    { name: 'Web', sourceServerIDs: [id('web', 1)], timeoutMinutes: 60 },
  ],
};
const input = { plan, executionType: 'DRILL' };
const scenario = parseScenario({
  launches: {
    [id('db', 1)]: { result: 'LAUNCHED', afterSeconds: 300 },
    [id('web', 1)]: { result: 'LAUNCHED', afterSeconds: 200 },
  },
});
// Ten simulated minutes a real second: the drill's ~9 simulated minutes take about a second.
const SPEED = 600;

describe('the local engine on a paced clock (the web console)', () => {
  let stack: LocalStack;
  let clock: PacedClock;
  beforeEach(async () => {
    clock = new PacedClock(SPEED);
    const tokens = new TaskTokens(clock, (seconds, signal) => clock.pace(seconds, signal));
    stack = await LocalStack.start({ scenario, planServerIDs: planServerIDs(input), shared: { clock, tokens } });
  });
  afterEach(async () => {
    await stack.close();
  });

  it('lets the launch waits last their time at the pace: nothing jumps the clock, the waves still end COMPLETED', async () => {
    const realStart = performance.now();
    const run = await stack.execute({ input, pace: (seconds) => clock.pace(seconds) });
    const realSeconds = (performance.now() - realStart) / 1000;

    expect(run.result.status).toBe('COMPLETED');
    expect(Object.keys(run.retries)).toEqual([]);
    // Both launches (300 s, then 200 s) happened in simulated time that ran at the clock's own pace:
    // a jump (a drill's clock) would have put more simulated time into the run than real time allows.
    expect(run.simulatedSeconds).toBeGreaterThanOrEqual(500);
    expect(run.simulatedSeconds).toBeLessThanOrEqual(realSeconds * SPEED + 1);
  });

  it('ends ABORTED and CANCELLED in the records when its signal is aborted during a launch wait', async () => {
    const stop = new AbortController();
    const run = await stack.execute({
      input,
      signal: stop.signal,
      pace: (seconds) => clock.pace(seconds, stop.signal),
      onProgress: (event) => {
        // The first wave's job is running: its wave now waits for its launch events.
        if (event.type === 'wave-started') setTimeout(() => stop.abort(), 50);
      },
    });

    expect(run.workflow.status).toBe('ABORTED');
    expect(run.result.status).toBe('CANCELLED');
    expect(run.result.waves.map((w) => w.status)).toEqual(['FAILED', 'NOT_STARTED']);
  });
});
