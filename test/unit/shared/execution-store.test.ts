import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RecordsInconsistent, WaveNotStartable } from '../../../functions/shared/errors';
import type { ExecutionStore } from '../../../functions/shared/execution-store';
import type { ServerStatus } from '../../../functions/shared/types';
import { serverId, startStore, threeWavePlan } from '../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:10:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');
const launched = (...ids: string[]): ServerStatus[] =>
  ids.map((sourceServerID) => ({ sourceServerID, launchStatus: 'LAUNCHED' }));

describe('ExecutionStore (on dynalite)', () => {
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

  it('claims the first wave and marks the execution POLLING', async () => {
    await store.claimWave(executionId, 0, T0, DEADLINE);
    const loaded = await store.loadExecution(executionId);
    expect(loaded?.execution).toMatchObject({ status: 'POLLING', activeWave: 0 });
    expect(loaded?.waves[0]).toMatchObject({ status: 'LAUNCHING', deadline: DEADLINE.toISOString() });
  });

  it('refuses to claim wave 2 before wave 1 COMPLETED', async () => {
    const claim = store.claimWave(executionId, 1, T0, DEADLINE);
    await expect(claim).rejects.toThrow(WaveNotStartable);
    await expect(claim).rejects.toThrow("wave 2 'App' not started: 0 earlier wave(s) COMPLETED, wave 1 has not");
  });

  it('refuses to claim a wave twice', async () => {
    await store.claimWave(executionId, 0, T0, DEADLINE);
    await expect(store.claimWave(executionId, 0, T0, DEADLINE)).rejects.toThrow(WaveNotStartable);
  });

  it('refuses to claim the next wave after a wave FAILED', async () => {
    await completeWave(0, [serverId(1), serverId(2)]);
    await store.claimWave(executionId, 1, T0, DEADLINE);
    await store.endWave(executionId, 1, { status: 'FAILED', failedServers: [serverId(3)], reason: 'x' }, T1);
    await expect(store.claimWave(executionId, 2, T0, DEADLINE)).rejects.toThrow(/wave 2 is still launching|has not/);
  });

  it('refuses to claim any wave once the execution has ended', async () => {
    await store.failExecution({ executionId, status: 'FAILED', error: 'X', cause: 'stopped', endedAt: T1 });
    await expect(store.claimWave(executionId, 0, T0, DEADLINE)).rejects.toThrow(/is FAILED, no longer running/);
  });

  it('lets the next wave start once the previous one COMPLETED', async () => {
    await completeWave(0, [serverId(1), serverId(2)]);
    await expect(store.claimWave(executionId, 1, T0, DEADLINE)).resolves.toBeUndefined();
    expect((await store.getExecution(executionId))?.completedWaves).toBe(1);
  });

  it('records one job per wave and refuses a second job ID', async () => {
    await store.claimWave(executionId, 0, T0, DEADLINE);
    await store.recordJob(executionId, 0, 'drsjob-aaaaaaaaaaaaaaaaa');
    await expect(store.recordJob(executionId, 0, 'drsjob-bbbbbbbbbbbbbbbbb')).rejects.toThrow(/conditional/i);
    await expect(store.recordJob(executionId, 0, 'drsjob-aaaaaaaaaaaaaaaaa')).resolves.toBeUndefined();
  });

  it('gives back a claim that has no job, so the wave can be claimed again', async () => {
    await store.claimWave(executionId, 0, T0, DEADLINE);
    await store.releaseClaim(executionId, 0);
    expect((await store.getWave(executionId, 0)).status).toBe('NOT_STARTED');
    await expect(store.claimWave(executionId, 0, T0, DEADLINE)).resolves.toBeUndefined();
  });

  it('completes a wave twice without counting it twice (a retried task)', async () => {
    await completeWave(0, [serverId(1), serverId(2)]);
    await store.completeWave(executionId, 0, launched(serverId(1), serverId(2)), T1);
    expect((await store.getExecution(executionId))?.completedWaves).toBe(1);
  });

  it('refuses to end a COMPLETED wave as FAILED', async () => {
    await completeWave(0, [serverId(1), serverId(2)]);
    await expect(
      store.endWave(executionId, 0, { status: 'FAILED', failedServers: [], reason: 'late' }, T1),
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

  describe('plan lock', () => {
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
          Key: { pk: 'EXECUTION#ended-1', sk: 'EXECUTION' },
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
  });
});
