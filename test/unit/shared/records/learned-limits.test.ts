import { admissionRound } from '../../../../functions/shared/admission-round';
import { effectiveScheduling, learnDrsJobsLimitOnExecution } from '../../../../functions/shared/records/learned-limits';
import { claimOnExecution } from '../../../../functions/shared/records/wave-claims';
import { dependenciesOf, schedulingOf } from '../../../../functions/shared/wave-graph';
import { graphPlan } from '../../../support/graph-plan';
import { useExecutionStore } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');

/** Three independent one-server waves: the plan's defaults (20 jobs) would run them all at once. */
const threeWaves = () =>
  graphPlan([
    { dependsOn: [], servers: 1 },
    { dependsOn: [], servers: 1 },
    { dependsOn: [], servers: 1 },
  ]);

describe("the limit DRS's quota refusals teach an execution (drsJobsLimit on the execution item)", () => {
  const db = useExecutionStore('learned', T0);
  const limit = async (executionId: string) => (await db.store.getExecution(executionId))?.drsJobsLimit;

  it('is recorded in one conditional write that only ever lowers it', async () => {
    const executionId = await db.execution(threeWaves());
    expect(await limit(executionId)).toBeUndefined();

    await db.store.learnDrsJobsLimit(executionId, 3);
    expect(await limit(executionId)).toBe(3);
    await db.store.learnDrsJobsLimit(executionId, 5);
    expect(await limit(executionId)).toBe(3);
    await db.store.learnDrsJobsLimit(executionId, 2);
    expect(await limit(executionId)).toBe(2);
    await db.store.learnDrsJobsLimit(executionId, 2);
    expect(await limit(executionId)).toBe(2);
  });

  it('never creates an execution item that is not recorded', async () => {
    await db.store.learnDrsJobsLimit('learned-never-recorded', 1);
    expect(await db.store.getExecution('learned-never-recorded')).toBeUndefined();
  });

  it('bounds the claim: with drsJobsLimit 1 and one wave running, another is refused WaveWaitingForCapacity naming the limit', async () => {
    const executionId = await db.execution(threeWaves());
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await db.store.learnDrsJobsLimit(executionId, 1);

    await expect(db.store.claimWave(executionId, 1, T0, DEADLINE)).rejects.toMatchObject({
      name: 'WaveWaitingForCapacity',
      message: expect.stringContaining('1 job(s) running of maxConcurrentJobs 1'),
    });
  });

  it('refuses a claim counted with a limit that was lowered between its read and its write', async () => {
    const plan = threeWaves();
    const executionId = await db.execution(plan);
    await db.store.learnDrsJobsLimit(executionId, 2);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    // The claim read drsJobsLimit 2 (room for one more); another start learned 1 before it wrote.
    await db.store.learnDrsJobsLimit(executionId, 1);
    const claim = (learned: number) =>
      claimOnExecution(
        { db: db.local.db, tableName: 'executions' },
        {
          executionId,
          index: 1,
          claimedAt: T0,
          wave: { dependsOn: [], servers: 1 },
          scheduling: { ...schedulingOf(plan), maxConcurrentJobs: 2 },
          others: { jobs: 0, servers: 0 },
          learned: { drsJobsLimit: learned },
        },
      );

    await expect(claim(2)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    // The same write counted with the limit that stands is not refused by it.
    await expect(claim(1)).resolves.toBeDefined();
  });

  it('refuses a claim read before any limit was learned once one is learned before its write', async () => {
    const plan = threeWaves();
    const executionId = await db.execution(plan);
    // The claim read no drsJobsLimit (the plan's 20 jobs); another start learned 1 before it wrote.
    await db.store.learnDrsJobsLimit(executionId, 1);
    const claim = (learned: { drsJobsLimit?: number }) =>
      claimOnExecution(
        { db: db.local.db, tableName: 'executions' },
        {
          executionId,
          index: 0,
          claimedAt: T0,
          wave: { dependsOn: [], servers: 1 },
          scheduling: schedulingOf(plan),
          others: { jobs: 0, servers: 0 },
          learned,
        },
      );

    await expect(claim({})).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    await expect(claim({ drsJobsLimit: 1 })).resolves.toBeDefined();
  });

  it('bounds admission: a round admits no more waves than the learned limit, read with the claims', async () => {
    const plan = threeWaves();
    const executionId = await db.execution(plan);
    await db.store.learnDrsJobsLimit(executionId, 2);

    const decisions = await admissionRound(
      { store: db.store, otherJobs: async () => ({ jobs: 1, servers: 1 }) },
      executionId,
      dependenciesOf(plan.waves),
      schedulingOf(plan),
    );

    // One other job running and a limit of 2: one wave starts, two wait for room.
    expect([...decisions.keys()]).toEqual([0]);
    expect(Object.values((await db.store.getExecution(executionId))?.waves ?? {}).map((w) => w.status)).toEqual([
      'WAITING_FOR_CAPACITY',
      'WAITING_FOR_CAPACITY',
    ]);
  });
});

describe('effectiveScheduling', () => {
  const plan = schedulingOf(threeWaves());

  it("bounds the plan's maxConcurrentJobs by the learned limit, and never raises it", () => {
    expect(effectiveScheduling({ ...plan, maxConcurrentJobs: 4 }, { drsJobsLimit: 2 }).maxConcurrentJobs).toBe(2);
    // DRS refused with other jobs running too: a limit above the plan's own bound leaves the plan's.
    expect(effectiveScheduling({ ...plan, maxConcurrentJobs: 2 }, { drsJobsLimit: 5 }).maxConcurrentJobs).toBe(2);
    expect(effectiveScheduling({ ...plan, maxConcurrentJobs: 2 }, {}).maxConcurrentJobs).toBe(2);
  });
});

describe('learnDrsJobsLimitOnExecution', () => {
  it('surfaces a DynamoDB fault (throttling) instead of reading it as a limit already learned', async () => {
    const fault = Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
    const table = { db: { send: async () => Promise.reject(fault) }, tableName: 'executions' };
    // @ts-expect-error: only `send` is used, as the document client's.
    await expect(learnDrsJobsLimitOnExecution(table, 'learned-fault', 1)).rejects.toBe(fault);
  });
});
