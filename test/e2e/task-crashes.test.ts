import { parseScenario, TASK_CRASH_NAMES } from '../../local/drs-simulator/scenario';
import { runLocalExecution } from '../../local/run-local-execution';

/**
 * A Lambda attempt that crashes or times out reaches Step Functions under one of several error
 * names; the workflow must retry every one of them, and a retried task must not start a second job.
 */
const SERVERS = ['s-0db00000000000001', 's-0db00000000000002'];
const plan = {
  planId: 'crashes',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: [SERVERS[0]], timeoutMinutes: 30 },
    { name: 'Apps', sourceServerIDs: [SERVERS[1]], timeoutMinutes: 30 },
  ],
};
const run = (taskCrashes: unknown) =>
  runLocalExecution({ input: { plan, executionType: 'DRILL' }, scenario: parseScenario({ taskCrashes }) });

describe('task crashes on the local stack', () => {
  it.each(TASK_CRASH_NAMES)(
    'retries a task that fails as %s and still completes, with one job per wave',
    async (name) => {
      const r = await run({ recordJob: { times: 2, as: name }, completeWave: { times: 1, as: name } });

      expect(r.result.status).toBe('COMPLETED');
      expect(r.retries).toEqual({ 'Start wave recovery': 2, 'Check the wave': 1 });
      expect(r.result.drs).toMatchObject({ jobsCreated: 2 });
      expect(new Set(r.result.waves.map((w) => w.jobId)).size).toBe(2);
    },
  );

  it('fails the execution with the name Step Functions reported once the retries are spent', async () => {
    const r = await run({ recordJob: { times: 3, as: 'Runtime.OutOfMemory' } });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'Runtime.OutOfMemory' });
    expect(r.result.cause).toContain('ran out of memory before ExecutionStore.recordJob');
    expect(r.result.drs).toMatchObject({ jobsCreated: 1 });
  });

  it('survives 90 s of Lambda throttling (Lambda.TooManyRequestsException) before a wave starts', async () => {
    // A throttled invoke runs none of the task's code: injected at start-wave's first write, before any DRS call.
    const throttles = 7;
    const [quiet, throttled] = await Promise.all([
      run({}),
      run({ claimWave: { times: throttles, as: 'Lambda.TooManyRequestsException' } }),
    ]);

    expect(throttled.result.status).toBe('COMPLETED');
    expect(throttled.retries).toEqual({ 'Start wave recovery': throttles });
    expect(throttled.result.drs).toMatchObject({ jobsCreated: 2, startRecoveryCalls: 2 });
    // The workflow's backoff (simulated at its mean) spent at least 90 s between the throttled attempts.
    expect(throttled.simulatedSeconds - quiet.simulatedSeconds).toBeGreaterThanOrEqual(90);
  });

  it('takes a plain count as crashes named Lambda.Unknown', async () => {
    const r = await run({ recordJob: 3 });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'Lambda.Unknown' });
  });
});
