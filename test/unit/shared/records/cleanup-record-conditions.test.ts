import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ExecutionStore } from '../../../../functions/shared/execution-store';
import { executionKey } from '../../../../functions/shared/records/keys';
import { startStore, threeWavePlan } from '../../../support/store';

/**
 * The cleanup's conditional writes on their own: a caller whose read is stale (the drill read as ended
 * while it runs, the cleanup read as SCHEDULED after another runner claimed it) passes every check made
 * on its read, so only the write's condition stands between it and a cleanup of a running drill.
 */
const START = new Date('2026-01-01T00:00:00Z');
const END = new Date('2026-01-01T00:20:00Z');
const claimOf = (claimId: string, by: 'SCHEDULE' | 'ON_DEMAND') => ({
  claimId,
  by,
  at: END,
  deadline: new Date(END.getTime() + 30 * 60_000),
});

describe('the cleanup records’ conditions', () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let store: ExecutionStore;
  let n = 0;
  beforeAll(async () => {
    local = await startStore();
    store = local.store;
  });
  afterAll(async () => local.stop());

  async function drill(options: { live?: boolean } = {}) {
    const executionId = `cleanup-conditions-${++n}`;
    const plan = { ...threeWavePlan(), planId: `plan-${n}`, drillCleanupAfterMinutes: 120 };
    await store.createExecution({ executionId, plan, executionType: 'DRILL', startedAt: START });
    if (!options.live) {
      await store.failExecution({ executionId, status: 'FAILED', error: 'WaveFailed', cause: 'x', endedAt: END });
    }
    return (await store.getExecution(executionId)) as NonNullable<Awaited<ReturnType<typeof store.getExecution>>>;
  }

  it('lets nobody claim the cleanup of a drill still running, even a caller that read it as ended', async () => {
    const live = await drill({ live: true });
    const staleRead = { ...live, status: 'FAILED', endedAt: END.toISOString() };

    expect((await store.cleanups.claim(staleRead, claimOf('scheduled', 'SCHEDULE'))).claimed).toBe(false);
    expect((await store.cleanups.claim(staleRead, claimOf('on-demand', 'ON_DEMAND'))).claimed).toBe(false);

    expect(await store.cleanups.current(live.executionId)).toEqual({ status: 'SCHEDULED', afterMinutes: 120 });
  });

  it('claims no running drill recorded without a cleanup on demand, even for a caller that read it as ended', async () => {
    const live = await drill({ live: true });
    await local.db.send(
      new UpdateCommand({
        TableName: 'executions',
        Key: executionKey(live.executionId),
        UpdateExpression: 'REMOVE cleanup',
      }),
    );
    const staleRead = { ...live, cleanup: undefined, status: 'FAILED', endedAt: END.toISOString() };

    expect((await store.cleanups.claim(staleRead, claimOf('on-demand', 'ON_DEMAND'))).claimed).toBe(false);

    expect((await store.getExecution(live.executionId))?.cleanup).toBeUndefined();
  });

  it('schedules nothing on a cleanup claimed meanwhile: a caller that read it SCHEDULED gets the claim that stands', async () => {
    const ended = await drill();
    await store.cleanups.claim(ended, claimOf('on-demand', 'ON_DEMAND'));

    const stands = await store.cleanups.schedule(ended);

    expect(stands).toMatchObject({ status: 'RUNNING', claimId: 'on-demand' });
    expect(stands?.scheduledFor).toBeUndefined();
    expect((await store.cleanups.current(ended.executionId))?.scheduledFor).toBeUndefined();
  });

  it('takes a DONE cleanup never again, even on demand long past the deadline of the runner that ended it', async () => {
    const ended = await drill();
    await store.cleanups.claim(ended, claimOf('run-1', 'ON_DEMAND'));
    await store.cleanups.finish(ended.executionId, 'run-1', {
      status: 'DONE',
      terminated: ['i-1'],
      failed: [],
      at: END,
    });
    const done = (await store.getExecution(ended.executionId)) ?? ended;
    const dayLater = { ...claimOf('run-2', 'ON_DEMAND'), at: new Date(END.getTime() + 24 * 3_600_000) };

    expect(await store.cleanups.claim(done, dayLater)).toMatchObject({ claimed: false });

    expect(await store.cleanups.current(ended.executionId)).toMatchObject({ status: 'DONE', claimId: 'run-1' });
  });
});
