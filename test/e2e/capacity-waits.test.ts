import type { ProgressEvent } from '../../functions/shared/progress-event';
import { parseScenario } from '../../local/drs-simulator';
import { runLocalExecution } from '../../local/run-local-execution';

/**
 * Issue 12 §1 on the local stack: DRS's other running jobs count against the quotas ("jobs already
 * running in the account count against them"), and a wave that has to wait for room is
 * WAITING_FOR_CAPACITY while it waits. Under DRS's default quotas (500 servers in all jobs; 100 in
 * one job, which the plan rules also hold a wave to), five independent waves of 100 servers and a
 * job of 100 servers from something else running for an hour: 600 servers, so one wave must wait.
 * Counting the other job, the fifth wave waits for the first verdict; forgetting it, the fifth
 * StartRecovery would meet DRS's ServiceQuotaExceededException.
 */
const ids = (wave: number, n: number) =>
  Array.from({ length: n }, (_, i) => `s-w${wave}${String(i + 1).padStart(15, '0')}`);

const WAVES = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon'];
const input = {
  plan: {
    planId: 'five-independent-waves',
    name: 'Five independent waves',
    pollIntervalSeconds: 30,
    waves: WAVES.map((name, w) => ({ name, sourceServerIDs: ids(w, 100), timeoutMinutes: 180, dependsOn: [] })),
  },
  executionType: 'DRILL' as const,
};

describe("DRS's other running jobs and waves waiting for room (local stack)", () => {
  it('holds a wave WAITING_FOR_CAPACITY while an other job takes the room, never meets a quota refusal, and completes every wave', async () => {
    const progress: ProgressEvent[] = [];
    const run = await runLocalExecution({
      input,
      scenario: parseScenario({ otherJobs: [{ servers: 100, forSeconds: 3600 }] }),
      onProgress: (e) => progress.push(e),
    });

    expect(run.result.status).toBe('COMPLETED');
    expect(run.result.waves.map((w) => w.status)).toEqual(WAVES.map(() => 'COMPLETED'));
    // The simulator never refused a call (no ServiceQuotaExceededException): the other job was counted.
    expect(run.result.drs).toMatchObject({ refusedCalls: 0, jobsCreated: 5 });
    // Exactly one wave waited for room, and the progress showed it WAITING_FOR_CAPACITY.
    const waiting = progress.filter((e) => e.type === 'wave-polled' && e.status === 'WAITING_FOR_CAPACITY');
    expect(waiting).toHaveLength(1);
    const waited = run.result.waves.find((w) => w.name === (waiting[0] as { name: string }).name);
    // It started only once an earlier wave's verdict freed room beside the other job's 100 servers.
    const t = (iso?: string) => Date.parse(iso ?? '');
    const firstEnd = Math.min(...run.result.waves.filter((w) => w !== waited).map((w) => t(w.endedAt)));
    expect(t(waited?.startedAt)).toBeGreaterThanOrEqual(firstEnd);
  });
});
