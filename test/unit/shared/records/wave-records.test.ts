import { RecordsInconsistent, WaveNotStartable } from '../../../../functions/shared/errors';
import type { ExecutionStore } from '../../../../functions/shared/execution-store';
import { launched, serverId, startStore, threeWavePlan } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:10:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');

describe('wave records (through ExecutionStore, on dynalite)', () => {
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

  it('claims the first wave and marks the execution POLLING', async () => {
    await store.claimWave(executionId, 0, T0, DEADLINE);
    const loaded = await store.loadExecution(executionId);
    expect(loaded?.execution).toMatchObject({
      status: 'POLLING',
      waves: { '0': { status: 'LAUNCHING', claimedAt: T0.toISOString(), servers: 2 } },
      runningWaves: 1,
      runningServers: 2,
    });
    expect(loaded?.waves[0]).toMatchObject({ status: 'LAUNCHING', deadline: DEADLINE.toISOString() });
  });

  it('refuses to claim wave 2 before wave 1 COMPLETED', async () => {
    const claim = store.claimWave(executionId, 1, T0, DEADLINE);
    await expect(claim).rejects.toThrow(WaveNotStartable);
    await expect(claim).rejects.toThrow(
      "wave 2 'App' not started: it depends on waves that have not COMPLETED (wave 1 is NOT_STARTED)",
    );
  });

  it('refuses to claim a wave twice', async () => {
    await store.claimWave(executionId, 0, T0, DEADLINE);
    await expect(store.claimWave(executionId, 0, T0, DEADLINE)).rejects.toThrow(WaveNotStartable);
  });

  it('refuses to claim the next wave after a wave FAILED', async () => {
    await completeWave(0, [serverId(1), serverId(2)]);
    await store.claimWave(executionId, 1, T0, DEADLINE);
    await store.endWave(executionId, 1, { status: 'FAILED', failedServers: [serverId(3)], reason: 'x' }, T1);
    await expect(store.claimWave(executionId, 2, T0, DEADLINE)).rejects.toThrow(
      "wave 3 'Web' not started: it depends on waves that have not COMPLETED (wave 2 is FAILED)",
    );
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
});
