import { parseScenario, type ScenarioInput } from '../../local/drs-simulator';
import type { LocalRun } from '../../local/local-stack';
import { runLocalExecution } from '../../local/run-local-execution';

/**
 * DRS as it refuses and skips: quotas (ServiceQuotaExceededException), an account that is not
 * initialized or a role that lacks a permission, and a server DRS skips. The deployed ASL runs on
 * the local stack; every assertion about DRS is checked against the simulator's ground truth.
 */
const id = (tier: string, n: number) => `s-${tier}${String(n).padStart(17 - tier.length, '0')}`;
const DB = [id('db', 1), id('db', 2)];
const APP = [id('app', 1), id('app', 2), id('app', 3)];
const plan = {
  planId: 'two-tier',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: DB, timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: APP, timeoutMinutes: 30 },
  ],
};

const run = (scenario: ScenarioInput, executionType: 'DRILL' | 'RECOVERY' = 'DRILL') =>
  runLocalExecution({ input: { plan, executionType }, scenario: parseScenario(scenario) });

/** The end is clean: the refused wave FAILED without a job, no wave left LAUNCHING, nothing started after it. */
function expectCleanStop(r: LocalRun, refusedWave: number) {
  expect(r.workflow).toMatchObject({ status: 'FAILED', error: 'DrsRejected' });
  expect(r.result).toMatchObject({ status: 'FAILED', error: 'DrsRejected' });
  expect(r.result.waves[refusedWave]).toMatchObject({
    status: 'FAILED',
    reason: expect.stringContaining('DrsRejected'),
  });
  expect(r.result.waves.filter((w) => w.status === 'LAUNCHING')).toEqual([]);
  expect(r.result.waves.slice(refusedWave + 1).map((w) => w.status)).toEqual(
    r.result.waves.slice(refusedWave + 1).map(() => 'NOT_STARTED'),
  );
  expect(r.result.waves[refusedWave]?.jobId).toBeUndefined();
  expect(r.jobs.filter((job) => job.tags?.['drs-orchestrator:wave'] === String(refusedWave + 1))).toEqual([]);
}

describe('the workflow when DRS refuses', () => {
  it('stops cleanly with DrsRejected, naming the quota, when StartRecovery passes a DRS quota the preflight did not know', async () => {
    // The account's quota of servers in all jobs is 2, the orchestrator assumes DRS's default 500.
    const r = await run({ quotas: { maxServersInAllJobs: 2 } });

    expectCleanStop(r, 1);
    expect(r.result.waves[0]?.status).toBe('COMPLETED');
    expect(r.result.cause).toContain('ServiceQuotaExceededException');
    expect(r.result.cause).toContain('quota of source servers in all jobs is 2');
    // Nothing else runs in the account, so waiting cannot help: the operator sets the plan to the account's quotas.
    expect(r.result.cause).toContain('while no job runs in the account, so it can never fit');
    expect(r.result.cause).toContain(
      "Set the plan's maxConcurrentJobs and maxServersInAllJobs to the account's DRS quotas",
    );
    expect(r.result.drs).toMatchObject({ jobsCreated: 1, refusedCalls: 1, startRecoveryCalls: 2 });
  });

  it('stops cleanly with DrsRejected when the role lacks drs:StartRecovery (AccessDeniedException), retrying nothing', async () => {
    const r = await run({ faults: { StartRecovery: { errorTimes: 1, error: 'AccessDeniedException' } } });

    expectCleanStop(r, 0);
    expect(r.result.cause).toContain('AccessDeniedException');
    expect(r.result.cause).toContain("check the role's policy");
    expect(r.result.drs).toMatchObject({ startRecoveryCalls: 1, jobsCreated: 0, refusedCalls: 1 });
  });

  it('fails before any wave with DrsRejected when DRS is not initialized (UninitializedAccountException in the preflight)', async () => {
    const r = await run({
      faults: { DescribeSourceServers: { errorTimes: 5, error: 'UninitializedAccountException' } },
    });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'DrsRejected' });
    expect(r.result.cause).toContain('UninitializedAccountException');
    expect(r.result.cause).toContain('initialize it in the DRS console');
    expect(r.result.drs).toMatchObject({ startRecoveryCalls: 0, jobsCreated: 0 });
  });
});

describe('the workflow when DRS skips a server', () => {
  it('fails the wave, naming the skipped server and the reason of its SERVER_SKIPPED event', async () => {
    const rawError = 'Source server is not ready for recovery';
    const r = await run({ launches: { [APP[1] as string]: { result: 'SKIPPED', rawError } } });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'WaveFailed' });
    expect(r.result.waves.map((w) => w.status)).toEqual(['COMPLETED', 'FAILED']);
    expect(r.result.waves[1]?.failedServers).toEqual([APP[1]]);
    expect(r.result.cause).toContain(`${APP[1]} missing from the DRS job`);
    expect(r.result.cause).toContain(`DRS: skipped by DRS (SERVER_SKIPPED): ${rawError}`);
  });
});
