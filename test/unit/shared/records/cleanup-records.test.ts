import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ExecutionStore } from '../../../../functions/shared/execution-store';
import { CleanupClaimLost, CleanupRefused } from '../../../../functions/shared/records/cleanup-records';
import { executionKey } from '../../../../functions/shared/records/keys';
import { startStore, threeWavePlan } from '../../../support/store';

const START = new Date('2026-01-01T00:00:00Z');
const END = new Date('2026-01-01T00:20:00Z');
const at = (minutes: number) => new Date(END.getTime() + minutes * 60_000);
const claimOf = (claimId: string, by: 'SCHEDULE' | 'ON_DEMAND', minutes = 0) => ({
  claimId,
  by,
  at: at(minutes),
  deadline: at(minutes + 30),
});

describe('the cleanup records', () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let store: ExecutionStore;
  let n = 0;
  beforeAll(async () => {
    local = await startStore();
    store = local.store;
  });
  afterAll(async () => local.stop());

  /** A recorded execution of this type, ended FAILED (or left live). */
  async function execution(type: 'DRILL' | 'RECOVERY', options: { live?: boolean; afterMinutes?: number } = {}) {
    const executionId = `cleanup-records-${++n}`;
    const plan = { ...threeWavePlan(), planId: `plan-${n}`, drillCleanupAfterMinutes: options.afterMinutes ?? 120 };
    await store.createExecution({ executionId, plan, executionType: type, startedAt: START });
    if (!options.live) {
      await store.failExecution({ executionId, status: 'FAILED', error: 'WaveFailed', cause: 'x', endedAt: END });
    }
    return (await store.getExecution(executionId)) as NonNullable<Awaited<ReturnType<typeof store.getExecution>>>;
  }

  it('records a DRILL’s cleanup SCHEDULED as it starts, and none for a RECOVERY', async () => {
    expect((await execution('DRILL', { live: true })).cleanup).toEqual({ status: 'SCHEDULED', afterMinutes: 120 });
    expect((await execution('RECOVERY', { live: true })).cleanup).toBeUndefined();
  });

  it('schedules an ended drill once, at its end plus drillCleanupAfterMinutes; 0 is never scheduled', async () => {
    const drill = await execution('DRILL', { afterMinutes: 45 });
    expect((await store.cleanups.schedule(drill))?.scheduledFor).toBe(at(45).toISOString());
    const again = await store.cleanups.schedule({ ...drill, endedAt: at(100).toISOString() });
    expect(again?.scheduledFor).toBe(at(45).toISOString());
    const onDemandOnly = await execution('DRILL', { afterMinutes: 0 });
    expect((await store.cleanups.schedule(onDemandOnly))?.scheduledFor).toBeUndefined();
  });

  it('lets exactly one of two runners claiming at once take the cleanup; the other is told there is nothing to do', async () => {
    const drill = await execution('DRILL');
    const outcomes = await Promise.all([
      store.cleanups.claim(drill, claimOf('scheduled', 'SCHEDULE')),
      store.cleanups.claim(drill, claimOf('on-demand', 'ON_DEMAND')),
    ]);
    expect(outcomes.filter((o) => o.claimed)).toHaveLength(1);
    const lost = outcomes.find((o) => !o.claimed);
    expect(lost).toMatchObject({ claimed: false, why: expect.stringMatching(/^the cleanup is already RUNNING/) });
  });

  it('gives the same claim back to its own retried runner, and refuses its writes to anyone else', async () => {
    const drill = await execution('DRILL');
    expect((await store.cleanups.claim(drill, claimOf('run-1', 'SCHEDULE'))).claimed).toBe(true);
    expect((await store.cleanups.claim(drill, claimOf('run-1', 'SCHEDULE'))).claimed).toBe(true);
    await expect(
      store.cleanups.recordTerminateJob(drill.executionId, 'run-2', { jobId: 'drsjob-aaaaaaaaaaaaaaaaa', pending: [] }),
    ).rejects.toThrow(CleanupClaimLost);
  });

  it('refuses a RECOVERY and a drill still running, whoever asks', async () => {
    const recovery = await execution('RECOVERY');
    await expect(store.cleanups.claim(recovery, claimOf('x', 'ON_DEMAND'))).rejects.toMatchObject({
      name: 'CleanupRefused',
      reason: 'NOT_A_DRILL',
    });
    const live = await execution('DRILL', { live: true });
    await expect(store.cleanups.claim(live, claimOf('x', 'ON_DEMAND'))).rejects.toThrow(CleanupRefused);
    expect((await store.getExecution(live.executionId))?.cleanup?.status).toBe('SCHEDULED');
  });

  it('does nothing for a DONE cleanup, retries a FAILED one only on demand', async () => {
    const drill = await execution('DRILL');
    await store.cleanups.claim(drill, claimOf('run-1', 'ON_DEMAND'));
    await store.cleanups.finish(drill.executionId, 'run-1', {
      status: 'FAILED',
      terminated: ['i-1'],
      failed: [{ recoveryInstanceID: 'i-2', reason: 'r' }],
      at: at(1),
    });
    const ended = (await store.getExecution(drill.executionId)) ?? drill;
    expect((await store.cleanups.claim(ended, claimOf('sched', 'SCHEDULE', 2))).claimed).toBe(false);
    const retried = await store.cleanups.claim(ended, claimOf('run-2', 'ON_DEMAND', 2));
    expect(retried).toMatchObject({
      claimed: true,
      record: { status: 'RUNNING', terminatedInstanceIDs: ['i-1'], failed: [] },
    });
    await store.cleanups.finish(drill.executionId, 'run-2', {
      status: 'DONE',
      terminated: ['i-1', 'i-2'],
      failed: [],
      at: at(3),
    });
    const done = (await store.getExecution(drill.executionId)) ?? drill;
    expect(await store.cleanups.claim(done, claimOf('run-3', 'ON_DEMAND', 4))).toMatchObject({
      claimed: false,
      why: expect.stringMatching(/already DONE \(2 instance\(s\) terminated/),
    });
  });

  it('lets a cleanup on demand take over a RUNNING cleanup whose runner passed its deadline, never before', async () => {
    const drill = await execution('DRILL');
    await store.cleanups.claim(drill, claimOf('stuck', 'SCHEDULE'));
    const claimed = (await store.getExecution(drill.executionId)) ?? drill;
    expect((await store.cleanups.claim(claimed, claimOf('early', 'ON_DEMAND', 10))).claimed).toBe(false);
    expect((await store.cleanups.claim(claimed, claimOf('late', 'ON_DEMAND', 31))).claimed).toBe(true);
  });
  it('schedules nothing while the drill runs, even for a caller that read it as ended', async () => {
    const live = await execution('DRILL', { live: true });
    expect(await store.cleanups.schedule(live)).toEqual({ status: 'SCHEDULED', afterMinutes: 120 });
    const staleRead = { ...live, status: 'FAILED', endedAt: END.toISOString() };
    expect(await store.cleanups.schedule(staleRead)).toEqual({ status: 'SCHEDULED', afterMinutes: 120 });
    expect((await store.getExecution(live.executionId))?.cleanup?.scheduledFor).toBeUndefined();
  });

  it('keeps the scheduled run of a drill, so a cleanup on demand can stop it; a RECOVERY gets neither run nor schedule', async () => {
    const drill = await execution('DRILL');
    await store.cleanups.recordScheduledRun(drill.executionId, 'arn:run:1');
    expect((await store.getExecution(drill.executionId))?.cleanup?.scheduledRun).toBe('arn:run:1');
    const recovery = await execution('RECOVERY');
    await store.cleanups.recordScheduledRun(recovery.executionId, 'arn:run:2');
    expect(await store.cleanups.schedule(recovery)).toBeUndefined();
    expect((await store.getExecution(recovery.executionId))?.cleanup).toBeUndefined();
  });

  it('lets only a cleanup on demand take over a stuck RUNNING cleanup, and only after its deadline, not at it', async () => {
    const drill = await execution('DRILL');
    await store.cleanups.claim(drill, claimOf('stuck', 'SCHEDULE'));
    const claimed = (await store.getExecution(drill.executionId)) ?? drill;
    expect((await store.cleanups.claim(claimed, claimOf('schedule', 'SCHEDULE', 31))).claimed).toBe(false);
    expect((await store.cleanups.claim(claimed, claimOf('at-deadline', 'ON_DEMAND', 30))).claimed).toBe(false);
    expect(await store.cleanups.current(drill.executionId)).toMatchObject({ status: 'RUNNING', claimId: 'stuck' });
  });

  it('claims on demand, once, an ended drill recorded without a cleanup; never the schedule, never a RECOVERY', async () => {
    const removeCleanup = (executionId: string) =>
      local.db.send(
        new UpdateCommand({
          TableName: 'executions',
          Key: executionKey(executionId),
          UpdateExpression: 'REMOVE cleanup',
        }),
      );
    const drill = await execution('DRILL');
    await removeCleanup(drill.executionId);
    const bare = { ...drill, cleanup: undefined };
    expect((await store.cleanups.claim(bare, claimOf('sched', 'SCHEDULE'))).claimed).toBe(false);

    const outcomes = await Promise.all([
      store.cleanups.claim(bare, claimOf('first', 'ON_DEMAND')),
      store.cleanups.claim(bare, claimOf('second', 'ON_DEMAND')),
    ]);
    expect(outcomes.filter((o) => o.claimed)).toHaveLength(1);
    expect(outcomes.find((o) => o.claimed)?.record).toMatchObject({
      status: 'RUNNING',
      afterMinutes: 0,
      claimedBy: 'ON_DEMAND',
      deadline: at(30).toISOString(),
      terminateJobIds: [],
    });

    // A record that says DRILL is not enough: the item itself must be one.
    const recovery = await execution('RECOVERY');
    const posing = { ...recovery, executionType: 'DRILL' };
    expect((await store.cleanups.claim(posing, claimOf('x', 'ON_DEMAND'))).claimed).toBe(false);
    expect((await store.getExecution(recovery.executionId))?.cleanup).toBeUndefined();
  });

  it('records what the claim selected and each TERMINATE job once, and nothing for a claim that has ended', async () => {
    const drill = await execution('DRILL');
    await store.cleanups.claim(drill, claimOf('run-1', 'SCHEDULE'));
    await store.cleanups.recordSelection(drill.executionId, 'run-1', { selected: ['i-1', 'i-2'], note: 'n' });
    await store.cleanups.recordTerminateRequest(drill.executionId, 'run-1', at(1));
    const job = { jobId: 'drsjob-aaaaaaaaaaaaaaaaa', pending: ['i-2'] };
    await store.cleanups.recordTerminateJob(drill.executionId, 'run-1', job);
    // A retried task records the same job again: already there, not appended twice.
    const again = await store.cleanups.recordTerminateJob(drill.executionId, 'run-1', job);
    expect(again).toMatchObject({
      selected: ['i-1', 'i-2'],
      pending: ['i-2'],
      note: 'n',
      terminateRequestedAt: at(1).toISOString(),
      terminateJobIds: ['drsjob-aaaaaaaaaaaaaaaaa'],
    });

    await store.cleanups.finish(drill.executionId, 'run-1', {
      status: 'DONE',
      terminated: ['i-1'],
      failed: [],
      at: at(2),
    });
    // By name: the workflow's Catch matches CleanupClaimLost.
    await expect(store.cleanups.recordTerminateJob(drill.executionId, 'run-1', job)).rejects.toMatchObject({
      name: 'CleanupClaimLost',
    });
    await expect(
      store.cleanups.finish(drill.executionId, 'run-1', { status: 'FAILED', terminated: [], failed: [], at: at(3) }),
    ).rejects.toThrow(CleanupClaimLost);
    expect(await store.cleanups.current(drill.executionId)).toMatchObject({ status: 'DONE', pending: [] });
  });
});
