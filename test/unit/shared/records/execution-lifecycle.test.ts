import { RecordsInconsistent } from '../../../../functions/shared/errors';
import { endCompleted, endUnsuccessful } from '../../../../functions/shared/records/execution-records';
import type { Plan } from '../../../../functions/shared/types';
import { launched, serverId, threeWavePlan, useExecutionStore } from '../../../support/store';

/**
 * An execution's life as `execution-lifecycle.ts` writes it: recorded once, ended once, its
 * locks given back by every ending, also by a retried task whose first attempt wrote the end.
 */
const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:10:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');
const LOCK_EXPIRY = new Date('2026-01-01T06:00:00Z');

const oneWave = (planId: string): Plan => {
  const plan = threeWavePlan();
  return { ...plan, planId, waves: plan.waves.slice(0, 1) };
};

describe('an execution recorded once', () => {
  const db = useExecutionStore('life', T0);
  const table = () => ({ db: db.local.db, tableName: 'executions' });

  it('records what its start knew: the ARN, who started it, the plan targets, the scheduling and a DRILL its cleanup', async () => {
    const plan = { ...threeWavePlan(), planId: 'known', rtoMinutes: 45, rpoMinutes: 15, drillCleanupAfterMinutes: 90 };
    const arn = 'arn:aws:states:us-east-1:111122223333:execution:recovery-plan:known-1';
    await db.store.createExecution({
      executionId: 'known-1',
      executionArn: arn,
      plan,
      executionType: 'DRILL',
      startedAt: T0,
      startedBy: 'alice',
    });

    expect(await db.store.getExecution('known-1')).toEqual(
      expect.objectContaining({
        executionArn: arn,
        planName: 'Three tier',
        startedBy: 'alice',
        rtoMinutes: 45,
        rpoMinutes: 15,
        pollIntervalSeconds: 30,
        startedAt: T0.toISOString(),
        runningWaves: 0,
        cleanup: { status: 'SCHEDULED', afterMinutes: 90 },
      }),
    );
  });

  it('records no cleanup for a RECOVERY', async () => {
    await db.store.createExecution({
      executionId: 'recovery-1',
      plan: oneWave('recovery'),
      executionType: 'RECOVERY',
      startedAt: T0,
    });
    expect(await db.store.getExecution('recovery-1')).not.toHaveProperty('cleanup');
  });

  it('keeps the preflight data ages and warnings of each wave', async () => {
    const dataAges = [{ sourceServerID: serverId(1), dataAgeSeconds: 40 }];
    await db.store.createExecution({
      executionId: 'ages-1',
      plan: oneWave('ages'),
      executionType: 'RECOVERY',
      startedAt: T0,
      preflight: [{ dataAges, warnings: ['old snapshot'] }],
    });
    expect(await db.store.getWave('ages-1', 0)).toMatchObject({ dataAges, warnings: ['old snapshot'] });
  });

  it('refuses to record again an execution that has ended, and leaves its waves as they ended', async () => {
    const executionId = await db.execution(oneWave('ended'));
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await db.store.failExecution({ executionId, status: 'FAILED', error: 'X', cause: 'y', endedAt: T1 });

    await expect(
      db.store.createExecution({ executionId, plan: oneWave('ended'), executionType: 'DRILL', startedAt: T0 }),
    ).rejects.toMatchObject({
      name: 'RecordsInconsistent',
      message: `execution ${executionId} is already recorded for plan ended`,
    });
    expect((await db.store.getWave(executionId, 0)).status).toBe('FAILED');
  });

  it('refuses to record again an execution whose wave has COMPLETED, and leaves the wave COMPLETED', async () => {
    const executionId = await db.execution(threeWavePlan());
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await db.store.recordJob(executionId, 0, 'drsjob-00000000000000001');
    await db.store.completeWave(executionId, 0, launched(serverId(1), serverId(2)), T1);

    await expect(
      db.store.createExecution({ executionId, plan: threeWavePlan(), executionType: 'DRILL', startedAt: T0 }),
    ).rejects.toThrow(RecordsInconsistent);
    expect((await db.store.getWave(executionId, 0)).status).toBe('COMPLETED');
  });

  it("surfaces a DynamoDB fault on the new record for the workflow's Retry, not as a name collision", async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
    const send = jest.spyOn(db.local.db, 'send').mockImplementationOnce(async () => {
      throw throttled;
    });
    try {
      await expect(
        db.store.createExecution({
          executionId: 'faulty-1',
          plan: oneWave('faulty'),
          executionType: 'DRILL',
          startedAt: T0,
        }),
      ).rejects.toBe(throttled);
    } finally {
      send.mockRestore();
    }
    expect(await db.store.getExecution('faulty-1')).toBeUndefined();
  });

  it('refuses to complete an execution that is not recorded', async () => {
    await expect(db.store.completeExecution('nowhere', T1)).rejects.toThrow(
      new RecordsInconsistent('execution nowhere is not recorded'),
    );
  });

  it('gives back the plan lock when a retried completion finds the end already written', async () => {
    const executionId = await db.execution(oneWave('retried-end'));
    await db.store.acquirePlanLock({ planId: 'retried-end', executionId, now: T0, expiresAt: LOCK_EXPIRY });
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await db.store.recordJob(executionId, 0, 'drsjob-00000000000000001');
    await db.store.completeWave(executionId, 0, launched(serverId(1), serverId(2)), T1);
    // The first attempt wrote the end, then crashed before it gave the locks back.
    await endCompleted(table(), executionId, T1);

    await expect(db.store.completeExecution(executionId, DEADLINE)).resolves.toMatchObject({
      status: 'COMPLETED',
      endedAt: T1.toISOString(),
    });
    expect(await db.store.getPlanLock('retried-end')).toBeUndefined();
  });

  it('gives back the plan lock when a retried failure finds the end already written', async () => {
    const executionId = await db.execution(oneWave('retried-fail'));
    await db.store.acquirePlanLock({ planId: 'retried-fail', executionId, now: T0, expiresAt: LOCK_EXPIRY });
    await endUnsuccessful(table(), { executionId, status: 'FAILED', error: 'X', cause: 'first' }, T1.toISOString());

    await expect(
      db.store.failExecution({ executionId, status: 'FAILED', error: 'X', cause: 'again', endedAt: DEADLINE }),
    ).resolves.toMatchObject({ status: 'FAILED', cause: 'first', endedAt: T1.toISOString() });
    expect(await db.store.getPlanLock('retried-fail')).toBeUndefined();
  });
});

describe('an execution ended once', () => {
  const db = useExecutionStore('end', T0);

  it('records an execution that failed before it was recorded, with its ARN and type, and gives back its plan lock', async () => {
    const arn = 'arn:aws:states:us-east-1:111122223333:execution:recovery-plan:early-1';
    await db.store.acquirePlanLock({ planId: 'early', executionId: 'early-1', now: T0, expiresAt: LOCK_EXPIRY });

    const result = await db.store.failExecution({
      executionId: 'early-1',
      executionArn: arn,
      status: 'FAILED',
      error: 'InvalidPlan',
      cause: 'no waves',
      endedAt: T1,
      planId: 'early',
      executionType: 'RECOVERY',
    });

    expect(result).toMatchObject({ status: 'FAILED', planId: 'early', executionType: 'RECOVERY' });
    expect(await db.store.getExecution('early-1')).toMatchObject({
      executionArn: arn,
      waveCount: 0,
      completedWaves: 0,
      startedAt: T1.toISOString(),
      endedAt: T1.toISOString(),
      cause: 'no waves',
    });
    expect(await db.store.getPlanLock('early')).toBeUndefined();
  });

  it("records an unknown plan and type when the failure knew neither, and no ARN it didn't know", async () => {
    await db.store.failExecution({
      executionId: 'early-2',
      status: 'FAILED',
      error: 'InvalidInput',
      cause: 'x',
      endedAt: T1,
    });
    const record = await db.store.getExecution('early-2');
    expect(record).toMatchObject({ planId: 'unknown', executionType: 'unknown' });
    expect(record).not.toHaveProperty('executionArn');
  });

  it("ends a launching wave's claim with the wave: the execution item shows no wave running after the end", async () => {
    const executionId = await db.execution(threeWavePlan());
    await db.store.claimWave(executionId, 0, T0, DEADLINE);

    await db.store.failExecution({
      executionId,
      status: 'TIMED_OUT',
      error: 'States.Timeout',
      cause: 'x',
      endedAt: T1,
    });

    const execution = await db.store.getExecution(executionId);
    expect(execution).toMatchObject({ status: 'TIMED_OUT', runningWaves: 0, runningServers: 0, failedWaves: 1 });
    expect(execution?.waves?.['0']).toMatchObject({ status: 'FAILED' });
    expect(await db.store.getWave(executionId, 0)).toMatchObject({
      status: 'FAILED',
      failedServers: [],
      reason: 'the execution stopped while the wave was launching: States.Timeout: x',
      endedAt: T1.toISOString(),
    });
  });

  it('keeps the verdict of a wave that ended on its own before the execution', async () => {
    const executionId = await db.execution(threeWavePlan());
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await db.store.recordJob(executionId, 0, 'drsjob-00000000000000001');
    await db.store.completeWave(executionId, 0, launched(serverId(1), serverId(2)), T1);
    await db.store.claimWave(executionId, 1, T1, DEADLINE);

    const result = await db.store.failExecution({
      executionId,
      status: 'CANCELLED',
      error: 'ExecutionCancelled',
      cause: 'x',
      endedAt: T1,
    });

    expect(result.waves.map((w) => w.status)).toEqual(['COMPLETED', 'FAILED', 'NOT_STARTED']);
    expect(await db.store.getExecution(executionId)).toMatchObject({ completedWaves: 1, failedWaves: 1 });
  });

  it('keeps the verdict of a wave that reached its end between the ending read it launching and ended it', async () => {
    const executionId = await db.execution(oneWave('race'));
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await db.store.recordJob(executionId, 0, 'drsjob-00000000000000001');
    const send = db.local.db.send.bind(db.local.db);
    let raced = false;
    const spy = jest.spyOn(db.local.db, 'send').mockImplementation((async (command: { input: object }) => {
      if (
        !raced &&
        'ConditionExpression' in command.input &&
        command.input.ConditionExpression === '#status = :launching'
      ) {
        raced = true;
        spy.mockRestore();
        // The wave's own verdict lands first: the ending's write to the wave item then finds it COMPLETED.
        await db.store.completeWave(executionId, 0, launched(serverId(1), serverId(2)), T1);
      }
      return send(command as never);
    }) as never);

    try {
      const result = await db.store.failExecution({
        executionId,
        status: 'FAILED',
        error: 'X',
        cause: 'y',
        endedAt: T1,
      });
      expect(raced).toBe(true);
      expect(result.waves[0]?.status).toBe('COMPLETED');
      expect(await db.store.getExecution(executionId)).toMatchObject({ status: 'FAILED', completedWaves: 1 });
    } finally {
      spy.mockRestore();
    }
  });

  it("says more exactly why an execution stopped: the API's cancel replaces the generic abort, nothing else does", async () => {
    const executionId = await db.execution(oneWave('refined'));
    const abort = { executionId, status: 'CANCELLED' as const, error: 'ExecutionAborted', cause: 'aborted' };
    await db.store.failExecution({ ...abort, endedAt: T1 });

    const refined = await db.store.failExecution({
      executionId,
      status: 'CANCELLED',
      error: 'ExecutionCancelled',
      cause: 'cancelled by alice',
      endedAt: DEADLINE,
      refines: 'ExecutionAborted',
    });
    expect(refined).toMatchObject({ status: 'CANCELLED', error: 'ExecutionCancelled', cause: 'cancelled by alice' });

    const again = await db.store.failExecution({ ...abort, error: 'Other', cause: 'later', endedAt: DEADLINE });
    expect(again).toMatchObject({ error: 'ExecutionCancelled', cause: 'cancelled by alice' });
  });

  it("ends a live execution with the API's cancel when it comes before the abort", async () => {
    const executionId = await db.execution(oneWave('cancel-first'));
    const cancel = { executionId, status: 'CANCELLED' as const, error: 'ExecutionCancelled', cause: 'by alice' };
    await db.store.failExecution({ ...cancel, endedAt: T1, refines: 'ExecutionAborted' });

    await db.store.failExecution({ ...cancel, error: 'ExecutionAborted', cause: 'aborted', endedAt: DEADLINE });

    expect(await db.store.getExecution(executionId)).toMatchObject({
      status: 'CANCELLED',
      error: 'ExecutionCancelled',
      endedAt: T1.toISOString(),
    });
  });

  it('never refines an ending of another status or another error', async () => {
    const executionId = await db.execution(oneWave('not-refined'));
    await db.store.failExecution({ executionId, status: 'FAILED', error: 'WaveFailed', cause: 'x', endedAt: T1 });
    const cancel = { executionId, error: 'ExecutionCancelled', cause: 'late', endedAt: DEADLINE };

    await db.store.failExecution({ ...cancel, status: 'CANCELLED', refines: 'WaveFailed' });
    await db.store.failExecution({ ...cancel, status: 'FAILED', refines: 'ExecutionAborted' });

    expect(await db.store.getExecution(executionId)).toMatchObject({
      status: 'FAILED',
      error: 'WaveFailed',
      cause: 'x',
    });
  });

  it('closes a gate left open by the ending: its wave stays NOT_STARTED, the ending named', async () => {
    const three = threeWavePlan();
    const plan: Plan = {
      ...three,
      planId: 'gated-end',
      waves: three.waves.slice(0, 2).map((w, i) => (i === 0 ? { ...w, approval: { timeoutMinutes: 60 } } : w)),
    };
    const executionId = await db.execution(plan);
    await db.store.openGate({ executionId, index: 0, taskToken: 'tok-1', requestedAt: T0, timeoutAt: DEADLINE });

    const result = await db.store.failExecution({
      executionId,
      status: 'CANCELLED',
      error: 'ExecutionCancelled',
      cause: 'x',
      endedAt: T1,
    });

    expect(result.waves.map((w) => w.status)).toEqual(['NOT_STARTED', 'NOT_STARTED']);
    expect((await db.store.getWave(executionId, 0)).approval).toMatchObject({
      closedBecause: 'the execution ended (ExecutionCancelled) while the gate awaited a decision',
    });
  });
});
