import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { WaveNotStartable, WaveWaitingForCapacity } from '../../../../functions/shared/errors';
import { executionKey } from '../../../../functions/shared/records/keys';
import {
  claimedJobIds,
  claimOf,
  claimOnExecution,
  heldJobIds,
  recordJobOnExecution,
  verdictOnExecution,
} from '../../../../functions/shared/records/wave-claims';
import type { Plan } from '../../../../functions/shared/types';
import { schedulingOf } from '../../../../functions/shared/wave-graph';
import { graphPlan } from '../../../support/graph-plan';
import { launched, useExecutionStore } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:10:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');

describe('wave claims on the execution item (through ExecutionStore, on dynalite)', () => {
  const db = useExecutionStore('claims', T0);

  const ids = (plan: Plan, index: number) => plan.waves[index]?.sourceServerIDs ?? [];

  it('claims two independent waves at once, each holding its room', async () => {
    const plan = graphPlan([
      { dependsOn: [], servers: 2 },
      { dependsOn: [], servers: 3 },
    ]);
    const executionId = await db.execution(plan);

    await Promise.all([
      db.store.claimWave(executionId, 0, T0, DEADLINE),
      db.store.claimWave(executionId, 1, T0, DEADLINE),
    ]);

    const record = await db.store.getExecution(executionId);
    expect(record).toMatchObject({
      status: 'POLLING',
      runningWaves: 2,
      runningServers: 5,
      waves: { '0': { status: 'LAUNCHING', servers: 2 }, '1': { status: 'LAUNCHING', servers: 3 } },
    });
  });

  it('refuses a wave whose dependency has not COMPLETED, before and while the dependency launches', async () => {
    const plan = graphPlan([
      { dependsOn: [], servers: 1 },
      { dependsOn: [0], servers: 1 },
    ]);
    const executionId = await db.execution(plan);

    await expect(db.store.claimWave(executionId, 1, T0, DEADLINE)).rejects.toThrow(WaveNotStartable);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await expect(db.store.claimWave(executionId, 1, T0, DEADLINE)).rejects.toThrow(
      "wave 2 'W1' not started: it depends on waves that have not COMPLETED (wave 1 is LAUNCHING)",
    );
    await db.store.completeWave(executionId, 0, launched(...ids(plan, 0)), T1, T0);
    await expect(db.store.claimWave(executionId, 1, T0, DEADLINE)).resolves.toBeUndefined();
  });

  it('refuses a claim on an ended execution, whatever the wave', async () => {
    const plan = graphPlan([
      { dependsOn: [], servers: 1 },
      { dependsOn: [], servers: 1 },
    ]);
    const executionId = await db.execution(plan);
    await db.store.failExecution({
      executionId,
      status: 'CANCELLED',
      error: 'ExecutionCancelled',
      cause: 'x',
      endedAt: T1,
    });

    const claim = db.store.claimWave(executionId, 1, T0, DEADLINE);
    await expect(claim).rejects.toThrow(WaveNotStartable);
    await expect(claim).rejects.toThrow(/is CANCELLED, no longer running/);
  });

  it('makes a wave wait for room under maxConcurrentWaves, and lets it start once a verdict releases the room', async () => {
    const plan = graphPlan(
      [
        { dependsOn: [], servers: 1 },
        { dependsOn: [], servers: 1 },
      ],
      { maxConcurrentWaves: 1, onWaveFailure: 'CONTINUE' },
    );
    const executionId = await db.execution(plan);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);

    const waiting = db.store.claimWave(executionId, 1, T0, DEADLINE);
    await expect(waiting).rejects.toThrow(WaveWaitingForCapacity);
    await expect(waiting).rejects.toThrow(
      "wave 2 'W1' waits for room: 1 job(s) running of maxConcurrentJobs 20; 1 server(s) in running jobs + 1 of maxServersInAllJobs 500; 1 wave(s) running of maxConcurrentWaves 1",
    );
    await db.store.recordJob(executionId, 0, 'drsjob-00000000000000001');
    await db.store.endWave(executionId, 0, { status: 'FAILED', failedServers: ids(plan, 0), reason: 'x' }, T1);

    await expect(db.store.claimWave(executionId, 1, T0, DEADLINE)).resolves.toBeUndefined();
    expect(await db.store.getExecution(executionId)).toMatchObject({
      runningWaves: 1,
      runningServers: 1,
      failedWaves: 1,
    });
  });

  it("counts the account's other running jobs and their servers against the quotas", async () => {
    const plan = graphPlan([{ dependsOn: [], servers: 10 }], { maxConcurrentJobs: 5, maxServersInAllJobs: 100 });
    const executionId = await db.execution(plan);

    await expect(db.store.claimWave(executionId, 0, T0, DEADLINE, { jobs: 5, servers: 0 })).rejects.toThrow(
      WaveWaitingForCapacity,
    );
    await expect(db.store.claimWave(executionId, 0, T0, DEADLINE, { jobs: 0, servers: 91 })).rejects.toThrow(
      WaveWaitingForCapacity,
    );
    await expect(db.store.claimWave(executionId, 0, T0, DEADLINE, { jobs: 4, servers: 90 })).resolves.toBeUndefined();
  });

  it('under STOP starts no wave once one failed, even an independent one; under CONTINUE only its dependants are refused', async () => {
    for (const onWaveFailure of ['STOP', 'CONTINUE'] as const) {
      const plan = graphPlan(
        [
          { dependsOn: [], servers: 1 },
          { dependsOn: [0], servers: 1 },
          { dependsOn: [], servers: 1 },
        ],
        { onWaveFailure },
      );
      const executionId = await db.execution(plan);
      await db.store.claimWave(executionId, 0, T0, DEADLINE);
      await db.store.endWave(executionId, 0, { status: 'TIMED_OUT', failedServers: ids(plan, 0), reason: 'x' }, T1);

      await expect(db.store.claimWave(executionId, 1, T0, DEADLINE)).rejects.toThrow(WaveNotStartable);
      const independent = db.store.claimWave(executionId, 2, T0, DEADLINE);
      if (onWaveFailure === 'STOP') {
        await expect(independent).rejects.toThrow("1 wave(s) failed and the plan's onWaveFailure is STOP");
      } else {
        await expect(independent).resolves.toBeUndefined();
      }
    }
  });

  it('gives the room back when a claim without a job is released, and never releases it twice', async () => {
    const plan = graphPlan([{ dependsOn: [], servers: 4 }]);
    const executionId = await db.execution(plan);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await db.store.releaseClaim(executionId, 0);
    await expect(db.store.releaseClaim(executionId, 0)).rejects.toThrow(/conditional/i);
    expect(await db.store.getExecution(executionId)).toMatchObject({ runningWaves: 0, runningServers: 0, waves: {} });
  });

  it('never releases a claim whose job is recorded: its room stays held and the wave can never be claimed again', async () => {
    const plan = graphPlan([{ dependsOn: [], servers: 4 }]);
    const executionId = await db.execution(plan);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await db.store.recordJob(executionId, 0, 'drsjob-00000000000000001');

    await expect(db.store.releaseClaim(executionId, 0)).rejects.toThrow(/conditional/i);
    expect(await db.store.getExecution(executionId)).toMatchObject({
      runningWaves: 1,
      runningServers: 4,
      waves: { '0': { status: 'LAUNCHING', jobId: 'drsjob-00000000000000001' } },
    });
    await expect(db.store.claimWave(executionId, 0, T0, DEADLINE)).rejects.toThrow('it was already claimed');
  });

  it('records a job only on a launching wave, never on one that ended without a launch', async () => {
    const plan = graphPlan([{ dependsOn: [], servers: 1 }]);
    const executionId = await db.execution(plan);
    await db.store.skipWave(executionId, 0);
    const table = { db: db.local.db, tableName: 'executions' };

    await expect(recordJobOnExecution(table, executionId, 0, 'drsjob-00000000000000001')).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    expect((await db.store.getExecution(executionId))?.waves).toEqual({ '0': { status: 'NOT_STARTED', servers: 0 } });
  });

  it("keeps a wave's first job on the execution item: a second job ID is refused there, the same one accepted", async () => {
    const plan = graphPlan([{ dependsOn: [], servers: 1 }]);
    const executionId = await db.execution(plan);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    const table = { db: db.local.db, tableName: 'executions' };
    await recordJobOnExecution(table, executionId, 0, 'drsjob-00000000000000001');

    await expect(recordJobOnExecution(table, executionId, 0, 'drsjob-00000000000000002')).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    await expect(recordJobOnExecution(table, executionId, 0, 'drsjob-00000000000000001')).resolves.toBeDefined();
    expect((await db.store.getExecution(executionId))?.waves?.['0']?.jobId).toBe('drsjob-00000000000000001');
  });

  it('counts no COMPLETED wave on an execution that ended while the wave was launching', async () => {
    const plan = graphPlan([{ dependsOn: [], servers: 1 }]);
    const executionId = await db.execution(plan);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    const table = { db: db.local.db, tableName: 'executions' };
    // The execution ended between a stop's read of its launching waves and its own end (a claim in that window).
    await db.local.db.send(
      new UpdateCommand({
        TableName: 'executions',
        Key: executionKey(executionId),
        UpdateExpression: 'SET #status = :cancelled',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':cancelled': 'CANCELLED' },
      }),
    );

    await expect(
      verdictOnExecution(table, executionId, 0, { status: 'COMPLETED', tookSeconds: 60 }),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(await db.store.getExecution(executionId)).toMatchObject({ completedWaves: 0, runningWaves: 1 });
    // A failure still ends the claim and gives its room back: the execution item shows no wave launching.
    await verdictOnExecution(table, executionId, 0, { status: 'FAILED' });
    expect(await db.store.getExecution(executionId)).toMatchObject({ runningWaves: 0, failedWaves: 1 });
  });

  it('ends a wave that can never start NOT_STARTED, after which it can never be claimed', async () => {
    const plan = graphPlan([{ dependsOn: [], servers: 1 }]);
    const executionId = await db.execution(plan);
    await db.store.skipWave(executionId, 0);
    await db.store.skipWave(executionId, 0);

    await expect(db.store.claimWave(executionId, 0, T0, DEADLINE)).rejects.toThrow('it has already ended NOT_STARTED');
    expect((await db.store.admissionWaves(executionId)).map((w) => w.state)).toEqual(['SKIPPED']);
  });

  it('counts a wave that failed without a launch as a failure (STOP starts nothing more), and a skipped one not', async () => {
    const plan = graphPlan([
      { dependsOn: [], servers: 1 },
      { dependsOn: [], servers: 1 },
      { dependsOn: [], servers: 1 },
    ]);
    const executionId = await db.execution(plan);
    await db.store.skipWave(executionId, 0);
    expect(await db.store.getExecution(executionId)).toMatchObject({ failedWaves: 0 });
    await db.store.failUnlaunchedWave(executionId, 1);
    await db.store.failUnlaunchedWave(executionId, 1);

    expect(await db.store.getExecution(executionId)).toMatchObject({ failedWaves: 1 });
    await expect(db.store.claimWave(executionId, 2, T0, DEADLINE)).rejects.toThrow(
      "1 wave(s) failed and the plan's onWaveFailure is STOP",
    );
  });

  it('describes the waves as the admission rule reads them', async () => {
    const plan = graphPlan([{ servers: 2 }, { servers: 1 }, { dependsOn: [0], servers: 3 }]);
    const executionId = await db.execution(plan);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await db.store.completeWave(executionId, 0, launched(...ids(plan, 0)), T1, T0);
    await db.store.claimWave(executionId, 1, T0, DEADLINE);

    expect(await db.store.admissionWaves(executionId)).toEqual([
      { index: 0, servers: 2, dependsOn: [], state: 'COMPLETED' },
      { index: 1, servers: 1, dependsOn: [0], state: 'ADMITTED' },
      { index: 2, servers: 3, dependsOn: [0], state: 'WAITING' },
    ]);
  });

  it('keeps the execution item small: 100 waves claimed, each with its job, stay under 16 KB', async () => {
    const plan = graphPlan(
      Array.from({ length: 100 }, () => ({ dependsOn: [], servers: 1 })),
      { maxConcurrentJobs: 1000 },
    );
    const executionId = await db.execution(plan);
    // A LAUNCHING entry with its job is as large as an entry gets (COMPLETED is as long a word as
    // LAUNCHING). The execution item's own writes, without the wave items': the size is the item's.
    const table = { db: db.local.db, tableName: 'executions' };
    const wave = { dependsOn: [], servers: 1 };
    const scheduling = schedulingOf(plan);
    for (let index = 0; index < 100; index++) {
      const others = { jobs: 0, servers: 0 };
      await claimOnExecution(table, { executionId, index, claimedAt: T0, wave, scheduling, others });
      await recordJobOnExecution(table, executionId, index, `drsjob-${String(index).padStart(17, '0')}`);
    }
    const out = await db.local.db.send(
      new GetCommand({ TableName: 'executions', Key: executionKey(executionId), ConsistentRead: true }),
    );
    // DynamoDB's item limit is 400 KB; the claims grow by one small entry a wave.
    expect(JSON.stringify(out.Item).length).toBeLessThan(16_000);
    expect(out.Item).toMatchObject({ runningWaves: 100, runningServers: 100 });
  });
});

describe('claimedJobIds', () => {
  it("lists the waves' DRS jobs in wave order, leaving out the waves without one", () => {
    const claim = (jobId?: string) => ({ status: 'COMPLETED' as const, servers: 1, ...(jobId ? { jobId } : {}) });
    const waves = { '10': claim('drsjob-k'), '2': claim('drsjob-c'), '0': claim('drsjob-a'), '1': claim() };
    expect(claimedJobIds({ waves })).toEqual(['drsjob-a', 'drsjob-c', 'drsjob-k']);
    expect(claimedJobIds({})).toEqual([]);
  });
});

describe('heldJobIds', () => {
  it("lists only the jobs of the waves holding room (LAUNCHING): an ended wave's job DRS still runs is not ours to count", () => {
    const waves = {
      '0': { status: 'LAUNCHING' as const, servers: 2, jobId: 'drsjob-held' },
      '1': { status: 'FAILED' as const, servers: 1, jobId: 'drsjob-ended' },
      '2': { status: 'LAUNCHING' as const, servers: 1 },
      '3': { status: 'WAITING_FOR_CAPACITY' as const, servers: 0 },
    };
    expect(heldJobIds({ waves })).toStrictEqual(['drsjob-held']);
    expect(heldJobIds({})).toEqual([]);
  });
});

describe('claimOf', () => {
  it('finds no claim on a record made before the claims were kept (no waves)', () => {
    expect(claimOf({}, 0)).toBeUndefined();
    expect(claimOf({ waves: { '1': { status: 'COMPLETED', servers: 1 } } }, 1)).toEqual({
      status: 'COMPLETED',
      servers: 1,
    });
  });
});
