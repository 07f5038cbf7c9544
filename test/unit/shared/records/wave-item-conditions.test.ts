import {
  endWaveItem,
  getWave,
  recordPoll,
  recordWaveJob,
  resetWave,
} from '../../../../functions/shared/records/wave-records';
import { launched, serverId, startStore, threeWavePlan } from '../../../support/store';

/**
 * The wave item's own conditions. The execution item's claim holds "one job per wave" first; these
 * hold it again on the wave item, for when the two items disagree (a retried task that finds its claim
 * already taken, or a write that reached one item and not the other).
 */
const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:10:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');
const LATER_DEADLINE = new Date('2026-01-01T02:00:00Z');

describe('wave item conditions (on dynalite)', () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let n = 0;
  let executionId: string;
  const table = () => ({ db: local.db, tableName: 'executions' });

  beforeAll(async () => {
    local = await startStore();
  });
  afterAll(async () => local.stop());
  beforeEach(async () => {
    executionId = `exec-${++n}`;
    await local.store.createExecution({ executionId, plan: threeWavePlan(), executionType: 'DRILL', startedAt: T0 });
  });

  it('never moves an ended wave back to LAUNCHING when a retried start marks it again', async () => {
    await local.store.claimWave(executionId, 0, T0, DEADLINE);
    await local.store.recordJob(executionId, 0, 'drsjob-aaaaaaaaaaaaaaaaa');
    await local.store.completeWave(executionId, 0, launched(serverId(1), serverId(2)), T1);

    await local.store.markWaveLaunching(executionId, 0, T1, LATER_DEADLINE);

    expect(await local.store.getWave(executionId, 0)).toMatchObject({
      status: 'COMPLETED',
      deadline: DEADLINE.toISOString(),
    });
  });

  it('keeps the first start and deadline when a launching wave is marked again', async () => {
    await local.store.claimWave(executionId, 0, T0, DEADLINE);
    await local.store.markWaveLaunching(executionId, 0, T1, LATER_DEADLINE);
    expect(await local.store.getWave(executionId, 0)).toMatchObject({
      status: 'LAUNCHING',
      startedAt: T0.toISOString(),
      deadline: DEADLINE.toISOString(),
    });
  });

  it('refuses a second job ID on the wave item, and accepts the same one again', async () => {
    await local.store.claimWave(executionId, 0, T0, DEADLINE);
    await local.store.recordJob(executionId, 0, 'drsjob-aaaaaaaaaaaaaaaaa');

    await expect(recordWaveJob(table(), executionId, 0, 'drsjob-bbbbbbbbbbbbbbbbb')).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    await expect(recordWaveJob(table(), executionId, 0, 'drsjob-aaaaaaaaaaaaaaaaa')).resolves.toBeDefined();
    expect((await local.store.getWave(executionId, 0)).jobId).toBe('drsjob-aaaaaaaaaaaaaaaaa');
  });

  it('records no job on a wave that is not launching', async () => {
    await expect(recordWaveJob(table(), executionId, 1, 'drsjob-bbbbbbbbbbbbbbbbb')).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    expect((await local.store.getWave(executionId, 1)).jobId).toBeUndefined();
  });

  it('never resets a wave that has a job to NOT_STARTED (it could be claimed, and launched, again)', async () => {
    await local.store.claimWave(executionId, 0, T0, DEADLINE);
    await local.store.recordJob(executionId, 0, 'drsjob-aaaaaaaaaaaaaaaaa');

    await expect(resetWave(table(), executionId, 0)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect((await local.store.getWave(executionId, 0)).status).toBe('LAUNCHING');
  });

  it('never resets an ended wave', async () => {
    await local.store.claimWave(executionId, 0, T0, DEADLINE);
    await local.store.recordJob(executionId, 0, 'drsjob-aaaaaaaaaaaaaaaaa');
    await local.store.completeWave(executionId, 0, launched(serverId(1), serverId(2)), T1);
    await expect(resetWave(table(), executionId, 0)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('never resets a wave that ended without a job (the execution stopped while it launched)', async () => {
    await local.store.claimWave(executionId, 0, T0, DEADLINE);
    await local.store.failExecution({ executionId, status: 'FAILED', error: 'X', cause: 'y', endedAt: T1 });

    await expect(resetWave(table(), executionId, 0)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect((await local.store.getWave(executionId, 0)).status).toBe('FAILED');
  });

  it('records no poll on an ended wave: its servers stay as its verdict saw them', async () => {
    await local.store.claimWave(executionId, 0, T0, DEADLINE);
    await local.store.recordJob(executionId, 0, 'drsjob-aaaaaaaaaaaaaaaaa');
    await local.store.completeWave(executionId, 0, launched(serverId(1), serverId(2)), T1);

    const late = [{ sourceServerID: serverId(1), launchStatus: 'FAILED' }];
    await expect(recordPoll(table(), executionId, 0, late, LATER_DEADLINE)).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    expect((await local.store.getWave(executionId, 0)).servers?.map((s) => s.launchStatus)).toEqual([
      'LAUNCHED',
      'LAUNCHED',
    ]);
  });

  it('records a poll on a launching wave: its servers and when they were polled', async () => {
    await local.store.claimWave(executionId, 0, T0, DEADLINE);
    const polled = [{ sourceServerID: serverId(1), launchStatus: 'IN_PROGRESS' }];
    await recordPoll(table(), executionId, 0, polled, T1);
    expect(await local.store.getWave(executionId, 0)).toMatchObject({
      status: 'LAUNCHING',
      servers: polled,
      lastPolledAt: T1.toISOString(),
    });
  });

  it('records the optional servers that did not launch with the wave’s end (reported, never hidden)', async () => {
    await local.store.claimWave(executionId, 0, T0, DEADLINE);
    const servers = [...launched(serverId(1)), { sourceServerID: serverId(2), launchStatus: 'FAILED' }];
    const end = {
      status: 'COMPLETED' as const,
      servers,
      failedServers: [],
      optionalFailedServers: [serverId(2)],
      reason: 'every required server LAUNCHED',
      endedAt: T1,
    };
    await endWaveItem(table(), executionId, 0, end);
    expect(await local.store.getWave(executionId, 0)).toMatchObject({
      status: 'COMPLETED',
      servers,
      failedServers: [],
      optionalFailedServers: [serverId(2)],
      endedAt: T1.toISOString(),
    });
  });

  it('names the wave it finds no record of', async () => {
    await expect(getWave(table(), executionId, 7)).rejects.toMatchObject({
      name: 'RecordsInconsistent',
      message: `no record of wave 7 of execution ${executionId}`,
    });
  });

  it('never ends a wave item that is not launching, even when the execution item would let it', async () => {
    const end = { status: 'FAILED' as const, failedServers: [], reason: 'late', endedAt: T1 };
    await expect(endWaveItem(table(), executionId, 1, end)).rejects.toMatchObject({
      name: 'RecordsInconsistent',
      message: 'wave 2 is NOT_STARTED in the records, cannot record it FAILED',
      cause: expect.objectContaining({ name: 'ConditionalCheckFailedException' }),
    });
    expect((await local.store.getWave(executionId, 1)).status).toBe('NOT_STARTED');
  });
});
