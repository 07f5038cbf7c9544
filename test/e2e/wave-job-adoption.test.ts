import { parseScenario, type ScenarioInput } from '../../local/drs-simulator';
import { type LocalRun, LocalStack } from '../../local/local-stack';

/**
 * Exactly one DRS job per wave when DRS is as harsh as AWS: a StartRecovery that never answers,
 * an execution whose name DRS tags cannot hold, a new job DescribeJobs does not list yet. Each
 * run is checked against the simulator's ground truth (every job it created).
 */
const id = (tier: string, n: number) => `s-${tier}${String(n).padStart(17 - tier.length, '0')}`;
const DB = [id('db', 1), id('db', 2)];
const APP = [id('app', 1)];
const plan = {
  planId: 'adoption',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: DB, timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: APP, timeoutMinutes: 60 },
  ],
};

async function run(scenario: ScenarioInput, executionName?: string): Promise<LocalRun> {
  const stack = await LocalStack.start({
    scenario: parseScenario(scenario),
    planServerIDs: plan.waves.flatMap((w) => w.sourceServerIDs),
  });
  try {
    return await stack.execute({
      input: { plan, executionType: 'DRILL' },
      ...(executionName ? { executionName } : {}),
    });
  } finally {
    await stack.close();
  }
}

/** The waves' recorded jobs are DRS's only jobs, one per wave. */
function expectOneJobPerWave(r: LocalRun): void {
  expect(r.result.status).toBe('COMPLETED');
  expect(r.result.drs.jobsCreated).toBe(plan.waves.length);
  expect(r.jobs.map((job) => job.jobID).sort()).toEqual(r.result.waves.map((w) => w.jobId).sort());
}

describe('one DRS job per wave', () => {
  it('adopts the job of a StartRecovery that never answered, found by its tags after the timeout', async () => {
    const r = await run({ faults: { StartRecovery: { hangTimes: 1 } } });

    expectOneJobPerWave(r);
    expect(r.result.drs).toMatchObject({ startRecoveryCalls: 2, hungCalls: 1 });
  });

  it.each([
    ['drill(1)', 'drill_1_'],
    ["reprise-d'été(2)!", 'reprise-d_été_2__'],
  ])(
    'adopts the job of a lost StartRecovery response for an execution named %p, whose tag reads %p',
    async (executionName, tag) => {
      const r = await run({ faults: { StartRecovery: { loseResponseTimes: 1 } } }, executionName);

      expectOneJobPerWave(r);
      expect(r.result.executionId).toBe(executionName);
      expect(r.jobs.map((job) => job.tags?.['drs-orchestrator:execution-id'])).toEqual([tag, tag]);
      expect(r.result.drs).toMatchObject({ startRecoveryCalls: 2, lostResponses: 1 });
    },
  );

  it.each([
    ['never answered', { hangTimes: 1 }],
    ['lost its response', { loseResponseTimes: 1 }],
  ])(
    'waits for the job of a StartRecovery that %s while DescribeJobs does not list it yet, then adopts it',
    async (_, fault) => {
      const r = await run({ jobVisibleAfterSeconds: 20, faults: { StartRecovery: fault } });

      expectOneJobPerWave(r);
      expect(r.result.drs.startRecoveryCalls).toBe(2);
      expect(r.retries['Start wave recovery']).toBeGreaterThan(0);
    },
  );

  it('keeps polling a job DescribeJobs lists only after the first poll', async () => {
    // Listed after 90 s: the first check, woken by the launch events at 62 s, does not find it yet.
    const r = await run({ jobVisibleAfterSeconds: 90 });

    expectOneJobPerWave(r);
    expect(r.result.drs.startRecoveryCalls).toBe(2);
    expect(r.retries['Check the wave']).toBeGreaterThan(0);
  });
});
