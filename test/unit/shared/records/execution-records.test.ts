import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { RecordsInconsistent } from '../../../../functions/shared/errors';
import type { ExecutionStore } from '../../../../functions/shared/execution-store';
import { executionKey } from '../../../../functions/shared/records/keys';
import { launched, serverId, startStore, threeWavePlan } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:10:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');

describe('execution records (through ExecutionStore, on dynalite)', () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let store: ExecutionStore;
  let n = 0;
  let executionId: string;

  beforeAll(async () => {
    local = await startStore();
    store = local.store;
  });
  afterAll(async () => local.stop());
  beforeEach(async () => {
    executionId = `exec-${++n}`;
    await store.createExecution({ executionId, plan: threeWavePlan(), executionType: 'DRILL', startedAt: T0 });
  });

  async function completeWave(index: number, ids: string[]) {
    await store.claimWave(executionId, index, T0, DEADLINE);
    await store.recordJob(executionId, index, `drsjob-0000000000000000${index}`);
    await store.completeWave(executionId, index, launched(...ids), T1);
  }

  it('records the execution PENDING and every wave NOT_STARTED', async () => {
    const loaded = await store.loadExecution(executionId);
    expect(loaded?.execution).toMatchObject({
      status: 'PENDING',
      planId: 'three-tier',
      waveCount: 3,
      completedWaves: 0,
    });
    expect(loaded?.waves.map((w) => [w.name, w.status])).toEqual([
      ['Databases', 'NOT_STARTED'],
      ['App', 'NOT_STARTED'],
      ['Web', 'NOT_STARTED'],
    ]);
  });

  it('accepts a repeated createExecution for the same plan (a retried task)', async () => {
    await expect(
      store.createExecution({ executionId, plan: threeWavePlan(), executionType: 'DRILL', startedAt: T0 }),
    ).resolves.toBeUndefined();
  });

  it('refuses an execution ID already used for another plan', async () => {
    const other = { ...threeWavePlan(), planId: 'other' };
    await expect(
      store.createExecution({ executionId, plan: other, executionType: 'DRILL', startedAt: T0 }),
    ).rejects.toThrow(RecordsInconsistent);
  });

  it('records COMPLETED only when every wave COMPLETED with every server LAUNCHED', async () => {
    await completeWave(0, [serverId(1), serverId(2)]);
    await expect(store.completeExecution(executionId, T1)).rejects.toThrow(
      /refusing to record execution .* as COMPLETED: 1 of 3 waves counted COMPLETED; wave 'App' is NOT_STARTED/,
    );
    await completeWave(1, [serverId(3)]);
    await completeWave(2, [serverId(4)]);
    const result = await store.completeExecution(executionId, T1);
    expect(result.status).toBe('COMPLETED');
  });

  it('accepts a repeated COMPLETED (a retried task) without changing the first end', async () => {
    await completeWave(0, [serverId(1), serverId(2)]);
    await completeWave(1, [serverId(3)]);
    await completeWave(2, [serverId(4)]);
    await store.completeExecution(executionId, T1);
    await expect(store.completeExecution(executionId, DEADLINE)).resolves.toMatchObject({
      status: 'COMPLETED',
      endedAt: T1.toISOString(),
    });
  });

  it('refuses COMPLETED when a COMPLETED wave lacks a LAUNCHED server in its records', async () => {
    await completeWave(0, [serverId(1)]);
    await completeWave(1, [serverId(3)]);
    await completeWave(2, [serverId(4)]);
    await expect(store.completeExecution(executionId, T1)).rejects.toThrow(`servers not LAUNCHED: ${serverId(2)}`);
  });

  it('never records COMPLETED over an execution that ended meanwhile, even when its waves all COMPLETED', async () => {
    await completeWave(0, [serverId(1), serverId(2)]);
    await completeWave(1, [serverId(3)]);
    await completeWave(2, [serverId(4)]);
    await store.failExecution({
      executionId,
      status: 'CANCELLED',
      error: 'ExecutionCancelled',
      cause: 'x',
      endedAt: T1,
    });

    await expect(store.completeExecution(executionId, DEADLINE)).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    expect(await store.getExecution(executionId)).toMatchObject({ status: 'CANCELLED', endedAt: T1.toISOString() });
  });

  it('ends a failed execution and any wave still LAUNCHING, keeping the first ending', async () => {
    await store.claimWave(executionId, 0, T0, DEADLINE);
    const result = await store.failExecution({
      executionId,
      status: 'FAILED',
      error: 'DrsRejected',
      cause: 'denied',
      endedAt: T1,
    });
    expect(result).toMatchObject({ status: 'FAILED', error: 'DrsRejected', cause: 'denied' });
    expect(result.waves[0]).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('DrsRejected: denied') });
    const again = await store.failExecution({
      executionId,
      status: 'TIMED_OUT',
      error: 'Other',
      cause: 'later',
      endedAt: T1,
    });
    expect(again).toMatchObject({ status: 'FAILED', error: 'DrsRejected' });
  });

  it('creates the record of an execution that failed before it was recorded', async () => {
    const result = await store.failExecution({
      executionId: 'never-recorded',
      status: 'FAILED',
      error: 'InvalidPlan',
      cause: 'no waves',
      endedAt: T1,
      planId: 'broken',
    });
    expect(result).toMatchObject({
      executionId: 'never-recorded',
      planId: 'broken',
      status: 'FAILED',
      error: 'InvalidPlan',
      waves: [],
    });
  });

  it('lists executions newest first, by plan and by status, a page at a time', async () => {
    const other = { ...threeWavePlan(), planId: 'other-plan' };
    const later = new Date('2026-02-01T00:00:00Z');
    await store.createExecution({ executionId: 'list-a', plan: other, executionType: 'DRILL', startedAt: T0 });
    await store.createExecution({ executionId: 'list-b', plan: other, executionType: 'RECOVERY', startedAt: later });
    await store.failExecution({ executionId: 'list-a', status: 'FAILED', error: 'X', cause: 'y', endedAt: T1 });

    const page1 = await store.listExecutions({ planId: 'other-plan', limit: 1 });
    expect(page1.items.map((e) => e.executionId)).toEqual(['list-b']);
    const page2 = await store.listExecutions({ planId: 'other-plan', limit: 1, cursor: page1.nextCursor });
    expect(page2.items.map((e) => e.executionId)).toEqual(['list-a']);
    const failed = await store.listExecutions({ planId: 'other-plan', status: 'FAILED', limit: 10 });
    expect(failed.items.map((e) => e.executionId)).toEqual(['list-a']);
    const all = await store.listExecutions({ limit: 100 });
    expect(all.items[0]?.executionId).toBe('list-b');
    expect(all.items[0]).not.toHaveProperty('gsi1pk');
  });

  it("finds the plan's live execution, the holder of its lock, and none once it has ended", async () => {
    const plan = { ...threeWavePlan(), planId: 'live-plan' };
    await store.acquirePlanLock({ planId: 'live-plan', executionId: 'live-1', now: T0, expiresAt: T1 });
    await store.createExecution({ executionId: 'live-1', plan, executionType: 'DRILL', startedAt: T0 });
    await expect(store.findLiveExecution('live-plan')).resolves.toMatchObject({ executionId: 'live-1' });

    await store.failExecution({ executionId: 'live-1', status: 'CANCELLED', error: 'X', cause: 'y', endedAt: T1 });

    await expect(store.findLiveExecution('live-plan')).resolves.toBeUndefined();
  });

  it('answers "is this plan running" from its lock, without reading the plan\'s history', async () => {
    const plan = { ...threeWavePlan(), planId: 'long-history' };
    for (let n = 0; n < 5; n++) {
      await store.createExecution({ executionId: `old-${n}`, plan, executionType: 'DRILL', startedAt: T0 });
      await store.failExecution({ executionId: `old-${n}`, status: 'FAILED', error: 'X', cause: 'y', endedAt: T1 });
    }
    await store.acquirePlanLock({ planId: 'long-history', executionId: 'now-1', now: T1, expiresAt: T1 });
    await store.createExecution({ executionId: 'now-1', plan, executionType: 'DRILL', startedAt: T1 });
    const send = jest.spyOn(local.db, 'send');

    await expect(store.findLiveExecution('long-history')).resolves.toMatchObject({ executionId: 'now-1' });

    expect(send.mock.calls.map(([command]) => command.constructor.name)).toEqual(['GetCommand', 'GetCommand']);
    send.mockRestore();
  });

  it('fails with RecordsInconsistent naming the field when an execution item is malformed', async () => {
    await local.db.send(
      new PutCommand({
        TableName: 'executions',
        Item: { ...executionKey('malformed-1'), executionId: 'malformed-1', planId: 'p', status: 'RUNNING' },
      }),
    );
    const read = store.getExecution('malformed-1');
    await expect(read).rejects.toThrow(RecordsInconsistent);
    await expect(read).rejects.toThrow(/the record of execution malformed-1 is malformed: .*status/);
  });
});
