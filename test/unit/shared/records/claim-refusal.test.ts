import { WaveNotStartable, WaveWaitingForCapacity } from '../../../../functions/shared/errors';
import { claimRefusal } from '../../../../functions/shared/records/claim-refusal';
import type { ExecutionRecord } from '../../../../functions/shared/records/execution-records';
import type { WaveClaim } from '../../../../functions/shared/records/wave-claims';

/**
 * The refusal named from the execution item read after a refused claim: WaveNotStartable (the workflow
 * ends the wave) only when waiting cannot help, WaveWaitingForCapacity (it waits) when only room is missing.
 */
const cause = new Error('The conditional request failed');

function record(fields: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    executionId: 'refusal-1',
    planId: 'p',
    executionType: 'DRILL',
    status: 'POLLING',
    waveCount: 3,
    completedWaves: 0,
    startedAt: '2026-01-01T00:00:00.000Z',
    waves: {},
    runningWaves: 0,
    runningServers: 0,
    failedWaves: 0,
    scheduling: { onWaveFailure: 'STOP', maxConcurrentJobs: 1, maxServersInAllJobs: 500 },
    ...fields,
  };
}

const claim = (status: WaveClaim['status'], servers = 1): WaveClaim => ({ status, servers });

const refusal = (
  execution: ExecutionRecord | undefined,
  args: { index?: number; dependsOn?: number[]; servers?: number; others?: { jobs: number; servers: number } } = {},
) =>
  claimRefusal(
    {
      executionId: 'refusal-1',
      index: args.index ?? 1,
      name: 'App',
      wave: { dependsOn: args.dependsOn ?? [], servers: args.servers ?? 2 },
      others: args.others ?? { jobs: 0, servers: 0 },
    },
    execution,
    cause,
  );

describe('claimRefusal', () => {
  it('makes a wave that only lacks room wait, naming every quota with what runs and what it needs', () => {
    const busy = record({ waves: { '0': claim('LAUNCHING', 3) }, runningWaves: 1, runningServers: 3 });
    const error = refusal(busy, { others: { jobs: 2, servers: 40 } });

    expect(error).toBeInstanceOf(WaveWaitingForCapacity);
    expect(error.message).toBe(
      "wave 2 'App' waits for room: 3 job(s) running of maxConcurrentJobs 1; 43 server(s) in running jobs + 2 of maxServersInAllJobs 500",
    );
    expect(error.cause).toBe(cause);
  });

  it('keeps a wave marked WAITING_FOR_CAPACITY waiting: the mark is not an end', () => {
    const marked = record({ waves: { '1': claim('WAITING_FOR_CAPACITY', 0) }, runningWaves: 1 });
    expect(refusal(marked)).toBeInstanceOf(WaveWaitingForCapacity);
  });

  it('names maxConcurrentWaves only when the plan sets it, and counts with the learned drsJobsLimit', () => {
    const limited = record({
      scheduling: { onWaveFailure: 'CONTINUE', maxConcurrentWaves: 2, maxConcurrentJobs: 20, maxServersInAllJobs: 500 },
      drsJobsLimit: 1,
      runningWaves: 2,
      runningServers: 2,
    });
    expect(refusal(limited).message).toBe(
      "wave 2 'App' waits for room: 2 job(s) running of maxConcurrentJobs 1; 2 server(s) in running jobs + 2 of maxServersInAllJobs 500; 2 wave(s) running of maxConcurrentWaves 2",
    );
  });

  it('counts a record made before the counters as nothing running', () => {
    const { runningWaves, runningServers, failedWaves, ...older } = record();
    expect(refusal(older).message).toBe(
      "wave 2 'App' waits for room: 0 job(s) running of maxConcurrentJobs 1; 0 server(s) in running jobs + 2 of maxServersInAllJobs 500",
    );
  });

  it('refuses for good (WaveNotStartable) when waiting cannot help, saying why', () => {
    const cases: [ExecutionRecord | undefined, { dependsOn?: number[] }, string][] = [
      [undefined, {}, 'execution refusal-1 is not recorded'],
      [record({ status: 'CANCELLED' }), {}, 'execution refusal-1 is CANCELLED, no longer running'],
      [record({ waves: { '1': claim('LAUNCHING') } }), {}, 'it was already claimed'],
      [record({ waves: { '1': claim('FAILED') } }), {}, 'it has already ended FAILED'],
      [
        record({ waves: { '0': claim('COMPLETED'), '2': claim('LAUNCHING') } }),
        { dependsOn: [0, 2, 3] },
        'it depends on waves that have not COMPLETED (wave 3 is LAUNCHING, wave 4 is NOT_STARTED)',
      ],
      [record({ failedWaves: 1 }), {}, "1 wave(s) failed and the plan's onWaveFailure is STOP"],
    ];
    for (const [execution, args, why] of cases) {
      const error = refusal(execution, args);
      expect(error).toBeInstanceOf(WaveNotStartable);
      expect(error.message).toBe(`wave 2 'App' not started: ${why}`);
      expect(error.cause).toBe(cause);
    }
  });

  it('lets a failure elsewhere stop nothing under CONTINUE: an independent wave without room waits', () => {
    const failed = record({
      failedWaves: 1,
      waves: { '0': claim('FAILED') },
      scheduling: { onWaveFailure: 'CONTINUE', maxConcurrentJobs: 1, maxServersInAllJobs: 500 },
    });
    expect(refusal(failed)).toBeInstanceOf(WaveWaitingForCapacity);
  });

  it('labels a wave without a name by its number only', () => {
    const error = claimRefusal(
      { executionId: 'refusal-1', index: 0, wave: { dependsOn: [], servers: 1 }, others: { jobs: 0, servers: 0 } },
      record({ status: 'FAILED' }),
      cause,
    );
    expect(error.message).toBe('wave 1 not started: execution refusal-1 is FAILED, no longer running');
  });
});
