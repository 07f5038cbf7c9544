import { LaunchWaits } from '../../../../functions/shared/records/launch-waits';
import type { RecordsTable } from '../../../../functions/shared/records/table';
import { serverId, startStore } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const A = serverId(1);
const B = serverId(2);

describe("a launching wave's wait for its job's launch results in the records", () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let waits: LaunchWaits;
  let n = 0;
  let jobId: string;
  beforeAll(async () => {
    local = await startStore();
    waits = new LaunchWaits({ db: local.db, tableName: 'executions' });
  });
  afterAll(async () => local.stop());
  beforeEach(() => {
    jobId = `drsjob-${String(++n).padStart(17, '0')}`;
  });
  const open = (taskToken: string, over: { executionId?: string; waveIndex?: number } = {}) =>
    waits.open({
      jobId,
      executionId: 'exec-1',
      waveIndex: 1,
      servers: [A, B],
      required: [A],
      taskToken,
      at: T0,
      ...over,
    });

  it("keeps a job's wait to one wave: another execution's or another wave's wait on the job ID is refused", async () => {
    await open('tok-1');

    for (const other of [{ executionId: 'exec-2' }, { waveIndex: 2 }, { executionId: 'exec-2', waveIndex: 2 }]) {
      await expect(open('tok-other', other)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    }
    expect(await waits.get(jobId)).toMatchObject({ executionId: 'exec-1', waveIndex: 1, taskToken: 'tok-1' });
    // The same wave's next wait replaces the token, and sees the results recorded before it.
    await waits.record({ jobId, sourceServerID: A, result: 'LAUNCHED' });
    const next = await open('tok-2');
    expect(next).toMatchObject({ taskToken: 'tok-2', launched: new Set([A]) });
  });

  it("claims a wake only with the current wait's token: a stale wait's token claims nothing", async () => {
    await open('tok-1');
    await open('tok-2');

    expect(await waits.claimWake(jobId, 'tok-1', 'ALL_RESULTS')).toBe(false);
    expect(await waits.claimWake(jobId, 'tok-2', 'ALL_RESULTS')).toBe(true);
    expect(await waits.claimWake(jobId, 'tok-2', 'ALL_RESULTS')).toBe(false);
    // Another decision on the same wait is a new wake.
    expect(await waits.claimWake(jobId, 'tok-2', 'REQUIRED_FAILED')).toBe(true);
  });

  it('claims the first wake of a wait that was never woken', async () => {
    await open('tok-1');

    expect(await waits.claimWake(jobId, 'tok-1', 'REQUIRED_FAILED')).toBe(true);
    expect(await waits.get(jobId)).toMatchObject({ wokenFor: 'REQUIRED_FAILED', wokenToken: 'tok-1' });
  });

  it("gives a wake back only for the token that claimed it: another's release leaves the claim", async () => {
    await open('tok-1');
    await waits.claimWake(jobId, 'tok-1', 'ALL_RESULTS');

    await waits.releaseWake(jobId, 'tok-0');
    expect(await waits.get(jobId)).toMatchObject({ wokenFor: 'ALL_RESULTS', wokenToken: 'tok-1' });

    await waits.releaseWake(jobId, 'tok-1');
    const released = await waits.get(jobId);
    expect(released?.wokenFor).toBeUndefined();
    expect(released?.wokenToken).toBeUndefined();
  });

  it('records each result once, and nothing for a job no wave waits on', async () => {
    expect(await waits.record({ jobId, sourceServerID: A, result: 'LAUNCHED' })).toBeUndefined();
    expect(await waits.get(jobId)).toBeUndefined();

    await open('tok-1');
    await waits.record({ jobId, sourceServerID: B, result: 'FAILED' });
    const again = await waits.record({ jobId, sourceServerID: B, result: 'FAILED' });
    expect(again).toMatchObject({ failed: new Set([B]) });
    expect(again?.launched).toBeUndefined();
  });

  it('surfaces a DynamoDB fault for the retry: never read as a job not ours, a wake not won, or a wake given back', async () => {
    await open('tok-1');
    await waits.claimWake(jobId, 'tok-1', 'ALL_RESULTS');
    const faulty = new LaunchWaits({
      tableName: 'executions',
      db: {
        send: async () => {
          throw Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
        },
      } as unknown as RecordsTable['db'],
    });
    const fault = { name: 'ProvisionedThroughputExceededException' };

    await expect(faulty.record({ jobId, sourceServerID: A, result: 'LAUNCHED' })).rejects.toMatchObject(fault);
    await expect(faulty.claimWake(jobId, 'tok-1', 'REQUIRED_FAILED')).rejects.toMatchObject(fault);
    await expect(faulty.releaseWake(jobId, 'tok-1')).rejects.toMatchObject(fault);
  });
});
