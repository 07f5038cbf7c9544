import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ExecutionStore } from '../../../../functions/shared/execution-store';
import { executionKey } from '../../../../functions/shared/records/keys';
import { lockExpiresAt } from '../../../../functions/shared/records/plan-lock';
import { launched, serverId, startStore, threeWavePlan } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:10:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');

describe('plan lock (through ExecutionStore, on dynalite)', () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let store: ExecutionStore;

  beforeAll(async () => {
    local = await startStore();
    store = local.store;
  });
  afterAll(async () => local.stop());

  const LATER = new Date('2026-01-01T00:05:00Z');
  const EXPIRES = new Date('2026-01-01T06:00:00Z');
  const lock = (planId: string, executionId: string, now = T0) =>
    store.acquirePlanLock({ planId, executionId, now, expiresAt: EXPIRES });

  it('lets one execution hold a plan, and the same execution take it again', async () => {
    await lock('lock-a', 'holder-1');
    await expect(lock('lock-a', 'holder-1')).resolves.toBeUndefined();
    expect(await store.getPlanLock('lock-a')).toMatchObject({ holder: 'holder-1', expiresAt: EXPIRES.toISOString() });
  });

  it('fails with PlanAlreadyRunning naming the running execution', async () => {
    await lock('lock-b', 'holder-1');
    await store.createExecution({
      executionId: 'holder-1',
      plan: { ...threeWavePlan(), planId: 'lock-b' },
      executionType: 'DRILL',
      startedAt: T0,
    });
    await expect(lock('lock-b', 'holder-2', LATER)).rejects.toThrow(
      'plan lock-b is already running in execution holder-1 (since 2026-01-01T00:00:00.000Z, PENDING)',
    );
  });

  it('is released when its holder ends, however it ends', async () => {
    const plan = { ...threeWavePlan(), planId: 'lock-c' };
    await store.createExecution({ executionId: 'holder-c1', plan, executionType: 'DRILL', startedAt: T0 });
    await lock('lock-c', 'holder-c1');
    await store.failExecution({
      executionId: 'holder-c1',
      status: 'CANCELLED',
      error: 'ExecutionAborted',
      cause: 'stopped',
      endedAt: LATER,
    });
    expect(await store.getPlanLock('lock-c')).toBeUndefined();

    const oneWave = { ...plan, waves: plan.waves.slice(0, 1) };
    await store.createExecution({ executionId: 'holder-c2', plan: oneWave, executionType: 'DRILL', startedAt: T0 });
    await lock('lock-c', 'holder-c2');
    await store.claimWave('holder-c2', 0, T0, DEADLINE);
    await store.completeWave('holder-c2', 0, launched(serverId(1), serverId(2)), T1);
    await store.completeExecution('holder-c2', T1);
    expect(await store.getPlanLock('lock-c')).toBeUndefined();
  });

  it('is not released by an execution that does not hold it', async () => {
    await lock('lock-d', 'holder-1');
    await store.failExecution({
      executionId: 'loser',
      status: 'FAILED',
      error: 'PlanAlreadyRunning',
      cause: 'x',
      endedAt: LATER,
      planId: 'lock-d',
    });
    expect((await store.getPlanLock('lock-d'))?.holder).toBe('holder-1');
  });

  it('is reclaimed from a holder whose record has ended', async () => {
    await store.createExecution({
      executionId: 'ended-1',
      plan: { ...threeWavePlan(), planId: 'lock-e' },
      executionType: 'DRILL',
      startedAt: T0,
    });
    await lock('lock-e', 'ended-1');
    // An ending written without releasing the lock (e.g. by an older version): the lock must not block forever.
    await local.db.send(
      new UpdateCommand({
        TableName: 'executions',
        Key: executionKey('ended-1'),
        UpdateExpression: 'SET #s = :f',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':f': 'FAILED' },
      }),
    );
    await expect(lock('lock-e', 'next-1', LATER)).resolves.toBeUndefined();
    expect((await store.getPlanLock('lock-e'))?.holder).toBe('next-1');
  });

  it('is reclaimed from a holder that never recorded itself, after a minute', async () => {
    await lock('lock-f', 'ghost');
    await expect(lock('lock-f', 'next-1', new Date(T0.getTime() + 30_000))).rejects.toThrow(
      /already running in execution ghost/,
    );
    await expect(lock('lock-f', 'next-1', new Date(T0.getTime() + 61_000))).resolves.toBeUndefined();
  });

  it('is reclaimed once expired, ending the presumed-lost holder so it can start no more waves', async () => {
    await store.createExecution({
      executionId: 'lost-1',
      plan: { ...threeWavePlan(), planId: 'lock-g' },
      executionType: 'DRILL',
      startedAt: T0,
    });
    await lock('lock-g', 'lost-1');
    const afterExpiry = new Date(EXPIRES.getTime() + 1000);

    await lock('lock-g', 'next-1', afterExpiry);

    expect((await store.getPlanLock('lock-g'))?.holder).toBe('next-1');
    expect(await store.getExecution('lost-1')).toMatchObject({ status: 'FAILED', error: 'LockExpired' });
    await expect(store.claimWave('lost-1', 0, afterExpiry, afterExpiry)).rejects.toThrow(/no longer running/);
  });
  it("finds the plan's live execution through its lock: none without a lock, an unrecorded holder or an ended one", async () => {
    expect(await store.findLiveExecution('lock-h')).toBeUndefined();
    await lock('lock-h', 'unrecorded');
    expect(await store.findLiveExecution('lock-h')).toBeUndefined();

    const plan = { ...threeWavePlan(), planId: 'lock-i' };
    await store.createExecution({ executionId: 'live-1', plan, executionType: 'DRILL', startedAt: T0 });
    await lock('lock-i', 'live-1');
    expect(await store.findLiveExecution('lock-i')).toMatchObject({ executionId: 'live-1', status: 'PENDING' });

    // Ended without giving the lock back (a crash between the two writes): not live.
    await local.db.send(
      new UpdateCommand({
        TableName: 'executions',
        Key: executionKey('live-1'),
        UpdateExpression: 'SET #status = :failed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':failed': 'FAILED' },
      }),
    );
    expect((await store.getPlanLock('lock-i'))?.holder).toBe('live-1');
    expect(await store.findLiveExecution('lock-i')).toBeUndefined();
  });

  it('expires 1.5 times the sum of the wave timeouts plus two hours after the start', () => {
    const waves = [{ timeoutMinutes: 60 }, { timeoutMinutes: 30 }, { timeoutMinutes: 10 }];
    // 100 minutes of waves: 150 minutes, then 120 more.
    expect(lockExpiresAt({ waves }, T0).toISOString()).toBe('2026-01-01T04:30:00.000Z');
  });
});
