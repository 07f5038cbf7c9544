import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DecisionDelivery } from '../../../../functions/shared/records/approval-decision';
import { closeGates, type GateRequest, openGate } from '../../../../functions/shared/records/approval-request';
import { executionKey, waveKey } from '../../../../functions/shared/records/keys';
import type { RecordsTable } from '../../../../functions/shared/records/table';
import type { Plan } from '../../../../functions/shared/types';
import { serverId, useExecutionStore } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const LATER = new Date('2026-01-01T01:00:00Z');
const ENDED = new Date('2026-01-01T00:30:00Z');
const gated = { timeoutMinutes: 60 };
/** Two gated waves that wait for nothing, and a third that waits for the first. */
const PLAN: Plan = {
  planId: 'gates',
  name: 'Gates',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Db', sourceServerIDs: [serverId(1)], timeoutMinutes: 60, approval: gated, dependsOn: [] },
    { name: 'Files', sourceServerIDs: [serverId(2)], timeoutMinutes: 60, approval: gated, dependsOn: [] },
    { name: 'App', sourceServerIDs: [serverId(3)], timeoutMinutes: 60, approval: gated, dependsOn: ['Db'] },
  ],
};

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
/** A delivery whose answer was lost: the decision stays recorded, not confirmed. */
const lost: DecisionDelivery = {
  deliver: async () => {
    throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
  },
};

describe('opening and closing approval gates in the records', () => {
  const world = useExecutionStore('gates', T0);
  let executionId: string;
  beforeEach(async () => {
    executionId = await world.execution(PLAN);
  });
  const request = (index: number, taskToken: string, over: Partial<GateRequest> = {}): GateRequest => ({
    executionId,
    index,
    taskToken,
    requestedAt: T0,
    timeoutAt: LATER,
    ...over,
  });
  const table = (db = world.local.db): RecordsTable => ({ db, tableName: 'executions' });
  /** The table's client, running `before` (once per call) ahead of each write whose UpdateExpression is `expression`. */
  const interfering = (expression: string, before: () => Promise<unknown>) => {
    let writes = 0;
    const db = {
      send: async (command: object) => {
        if (command instanceof UpdateCommand && command.input.UpdateExpression === expression) {
          writes++;
          await before();
        }
        return world.local.db.send(command as UpdateCommand);
      },
    } as unknown as RecordsTable['db'];
    return { table: table(db), writes: () => writes };
  };
  const decide = (index: number, comment?: string) =>
    expect(
      world.store.decideApproval(lost, {
        executionId,
        waveIndex: index,
        decision: 'APPROVE',
        by: 'alice',
        at: T0,
        ...(comment ? { comment } : {}),
      }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
  const setWave = (index: number, expression: string, values: Record<string, unknown>) =>
    world.local.db.send(
      new UpdateCommand({
        TableName: 'executions',
        Key: waveKey(executionId, index),
        UpdateExpression: expression,
        ExpressionAttributeNames: expression.includes('#status') ? { '#status': 'status' } : undefined,
        ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
      }),
    );

  it("opens the gate: the wave awaits a decision on this attempt's token, until its deadline", async () => {
    expect(await openGate(table(), request(0, 'tok-1', { message: 'Check the database first' }))).toEqual({
      kind: 'opened',
    });

    const wave = await world.store.getWave(executionId, 0);
    expect(wave.status).toBe('AWAITING_APPROVAL');
    expect(wave.approval).toEqual({
      message: 'Check the database first',
      requestedAt: T0.toISOString(),
      timeoutAt: LATER.toISOString(),
      taskToken: 'tok-1',
    });
  });

  it('gives a retried gate task, the gate still undecided, its own token in place of the old one', async () => {
    await openGate(table(), request(0, 'tok-1'));

    expect(await openGate(table(), request(0, 'tok-2', { timeoutAt: ENDED }))).toEqual({ kind: 'opened' });

    const wave = await world.store.getWave(executionId, 0);
    expect(wave.status).toBe('AWAITING_APPROVAL');
    expect(wave.approval).toMatchObject({ taskToken: 'tok-2', timeoutAt: ENDED.toISOString() });
    expect(wave.approval).not.toHaveProperty('message');
  });

  it('opens no gate before the waves it depends on have COMPLETED', async () => {
    await expect(openGate(table(), request(2, 'tok-1'))).rejects.toMatchObject({
      name: 'RecordsInconsistent',
      message: expect.stringMatching(
        /^the approval gate of wave 3 was not opened: .*a wave it depends on has not COMPLETED/,
      ),
    });
    expect(await world.store.getWave(executionId, 2)).toMatchObject({ status: 'NOT_STARTED' });
    expect((await world.store.getWave(executionId, 2)).approval).toBeUndefined();
  });

  it("hands a decision taken on an earlier attempt's token to the retry, with who took it and the comment: never taken twice", async () => {
    await openGate(table(), request(0, 'tok-1'));
    await decide(0, 'after the backup');

    expect(await openGate(table(), request(0, 'tok-2'))).toEqual({
      kind: 'decided',
      decision: 'APPROVE',
      by: 'alice',
      comment: 'after the backup',
    });

    const wave = await world.store.getWave(executionId, 0);
    expect(wave.status).toBe('NOT_STARTED');
    expect(wave.approval).toMatchObject({ decision: 'APPROVE', by: 'alice', taskToken: 'tok-2' });
    expect(wave.approval?.requestedAt).toBe(T0.toISOString());
  });

  it('hands a REJECT over as it hands an APPROVE', async () => {
    await openGate(table(), request(0, 'tok-1'));
    await expect(
      world.store.decideApproval(lost, { executionId, waveIndex: 0, decision: 'REJECT', by: 'bob', at: T0 }),
    ).rejects.toMatchObject({ name: 'TimeoutError' });

    expect(await openGate(table(), request(0, 'tok-2'))).toEqual({ kind: 'decided', decision: 'REJECT', by: 'bob' });
    expect((await world.store.getWave(executionId, 0)).approval).toMatchObject({
      decision: 'REJECT',
      taskToken: 'tok-2',
    });
  });

  it('re-opens the gate when the decision is withdrawn while a retry takes it over: a refused decision is never delivered', async () => {
    await openGate(table(), request(0, 'tok-1'));
    await decide(0);
    // Between the retry's read and its write, Step Functions refuses the first token and the decision is withdrawn.
    const racing = interfering('SET approval.taskToken = :token', () => setWave(0, 'REMOVE approval.decision', {}));

    expect(await openGate(racing.table, request(0, 'tok-2'))).toEqual({ kind: 'opened' });

    const wave = await world.store.getWave(executionId, 0);
    expect(wave.status).toBe('AWAITING_APPROVAL');
    expect(wave.approval?.taskToken).toBe('tok-2');
    expect(wave.approval?.decision).toBeUndefined();
  });

  it('hands over no decision once its wave has started meanwhile: the decision was taken and delivered', async () => {
    await openGate(table(), request(0, 'tok-1'));
    await decide(0);
    const racing = interfering('SET approval.taskToken = :token', () =>
      setWave(0, 'SET #status = :launching', { ':launching': 'LAUNCHING' }),
    );

    await expect(openGate(racing.table, request(0, 'tok-2'))).rejects.toMatchObject({
      name: 'RecordsInconsistent',
      message: expect.stringContaining("wave 1 'Db' cannot open: the wave is LAUNCHING (decision APPROVE)"),
    });
    expect((await world.store.getWave(executionId, 0)).approval?.taskToken).toBe('tok-1');
  });

  it('gives up after three attempts when other attempts keep taking the decision over', async () => {
    await openGate(table(), request(0, 'tok-1'));
    await decide(0);
    let other = 0;
    const racing = interfering('SET approval.taskToken = :token', () =>
      setWave(0, 'SET approval.taskToken = :other', { ':other': `tok-other-${++other}` }),
    );

    await expect(openGate(racing.table, request(0, 'tok-2'))).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    expect(racing.writes()).toBe(3);
    expect((await world.store.getWave(executionId, 0)).approval?.taskToken).toBe('tok-other-3');
  });

  it('refuses to open a gate whose wave was already decided and ended, naming its status and decision', async () => {
    await openGate(table(), request(0, 'tok-1'));
    await decide(0);
    await setWave(0, 'SET #status = :failed', { ':failed': 'FAILED' });

    await expect(openGate(table(), request(0, 'tok-2'))).rejects.toMatchObject({
      name: 'RecordsInconsistent',
      message: expect.stringContaining("wave 1 'Db' cannot open: the wave is FAILED (decision APPROVE)"),
    });
  });

  it("opens no gate on a wave its own item records as started, even when the execution's item says it may start", async () => {
    // The second line: the wave's item alone refuses (the execution item's claim refuses first when they agree).
    await setWave(0, 'SET #status = :launching', { ':launching': 'LAUNCHING' });

    await expect(openGate(table(), request(0, 'tok-1'))).rejects.toMatchObject({
      name: 'RecordsInconsistent',
      message: expect.stringMatching(/wave 1 'Db' cannot open: the wave is LAUNCHING$/),
    });
    const wave = await world.store.getWave(executionId, 0);
    expect(wave.status).toBe('LAUNCHING');
    expect(wave.approval).toBeUndefined();
  });

  it('opens no gate once a wave failed in a STOP plan, and opens an independent one in a CONTINUE plan', async () => {
    const failOne = (id: string) =>
      world.local.db.send(
        new UpdateCommand({
          TableName: 'executions',
          Key: executionKey(id),
          UpdateExpression: 'SET failedWaves = :one',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    await failOne(executionId);
    await expect(openGate(table(), request(1, 'tok-1'))).rejects.toMatchObject({ name: 'RecordsInconsistent' });
    expect((await world.store.getWave(executionId, 1)).approval).toBeUndefined();

    executionId = await world.execution({ ...PLAN, onWaveFailure: 'CONTINUE' });
    await failOne(executionId);
    expect(await openGate(table(), request(1, 'tok-1'))).toEqual({ kind: 'opened' });
  });

  it('hands over nothing but an APPROVE or a REJECT: a gate its item records as TIMED_OUT does not open', async () => {
    await openGate(table(), request(0, 'tok-1'));
    // The items disagree: the wave's says the gate timed out, the execution's that it is live.
    await setWave(0, 'SET #status = :notStarted, approval.decision = :timedOut', {
      ':notStarted': 'NOT_STARTED',
      ':timedOut': 'TIMED_OUT',
    });

    await expect(openGate(table(), request(0, 'tok-2'))).rejects.toMatchObject({
      name: 'RecordsInconsistent',
      message: expect.stringContaining("wave 1 'Db' cannot open: the wave is NOT_STARTED (decision TIMED_OUT)"),
    });
    expect((await world.store.getWave(executionId, 0)).approval?.taskToken).toBe('tok-1');
  });

  it('surfaces a DynamoDB fault when opening the gate, never reading it as a decision', async () => {
    const unread = interfering('SET #status = #status', async () => {
      throw throttled();
    });
    await expect(openGate(unread.table, request(0, 'tok-1'))).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    const faulty = interfering('SET #status = :awaiting, approval = :approval', async () => {
      throw throttled();
    });
    await expect(openGate(faulty.table, request(0, 'tok-1'))).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    await openGate(table(), request(0, 'tok-1'));
    await decide(0);
    const takeOver = interfering('SET approval.taskToken = :token', async () => {
      throw throttled();
    });
    await expect(openGate(takeOver.table, request(0, 'tok-2'))).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    expect(takeOver.writes()).toBe(1);
  });

  describe('when the execution ends', () => {
    const end = (error: string) =>
      world.store.failExecution({ executionId, status: 'FAILED', error, cause: 'test', endedAt: ENDED });

    it('records an open gate TIMED_OUT when the gate timed out, its wave NOT_STARTED', async () => {
      await openGate(table(), request(0, 'tok-1'));

      await end('ApprovalTimedOut');

      const wave = await world.store.getWave(executionId, 0);
      expect(wave.status).toBe('NOT_STARTED');
      expect(wave.approval).toMatchObject({ decision: 'TIMED_OUT', at: ENDED.toISOString(), taskToken: 'tok-1' });
      expect(wave.approval?.closedBecause).toBeUndefined();
    });

    it('closes every open gate saying why on any other ending, and keeps a decision already taken', async () => {
      await openGate(table(), request(0, 'tok-1'));
      await decide(0);
      await openGate(table(), request(1, 'tok-2'));

      await end('ExecutionCancelled');

      const decided = await world.store.getWave(executionId, 0);
      expect(decided.approval).toMatchObject({ decision: 'APPROVE', by: 'alice' });
      expect(decided.approval?.closedBecause).toBeUndefined();
      const open = await world.store.getWave(executionId, 1);
      expect(open.status).toBe('NOT_STARTED');
      expect(open.approval?.decision).toBeUndefined();
      expect(open.approval?.closedBecause).toBe(
        'the execution ended (ExecutionCancelled) while the gate awaited a decision',
      );
    });

    it('closes a gate whose decision was withdrawn (its wave NOT_STARTED, undecided)', async () => {
      await openGate(table(), request(0, 'tok-1'));
      const refused: DecisionDelivery = {
        deliver: async () => {
          throw Object.assign(new Error('Task Timed Out'), { name: 'TaskTimedOut' });
        },
      };
      await expect(
        world.store.decideApproval(refused, { executionId, waveIndex: 0, decision: 'APPROVE', by: 'alice', at: T0 }),
      ).rejects.toMatchObject({ name: 'DecisionNotDelivered' });
      expect(await world.store.getWave(executionId, 0)).toMatchObject({ status: 'NOT_STARTED' });

      await end('ExecutionCancelled');

      expect((await world.store.getWave(executionId, 0)).approval?.closedBecause).toBe(
        'the execution ended (ExecutionCancelled) while the gate awaited a decision',
      );
    });

    it('keeps a decision taken after the ending read the gate as open: the decision is the truer record', async () => {
      await openGate(table(), request(0, 'tok-1'));
      const stale = await world.store.getWave(executionId, 0);
      await decide(0);

      await closeGates(table(), executionId, [stale], { error: 'ApprovalTimedOut', endedAt: ENDED });
      await closeGates(table(), executionId, [stale], { error: 'ExecutionCancelled', endedAt: ENDED });

      const wave = await world.store.getWave(executionId, 0);
      expect(wave.approval).toMatchObject({ decision: 'APPROVE', at: T0.toISOString() });
      expect(wave.approval?.closedBecause).toBeUndefined();
    });

    it('leaves a gate that never opened, or whose wave ran, as it is', async () => {
      await openGate(table(), request(0, 'tok-1'));
      const open = await world.store.getWave(executionId, 0);
      const never = await world.store.getWave(executionId, 1);

      await closeGates(table(), executionId, [never, { ...open, status: 'LAUNCHING' }], {
        error: 'ExecutionCancelled',
        endedAt: ENDED,
      });

      expect((await world.store.getWave(executionId, 0)).approval?.closedBecause).toBeUndefined();
      expect((await world.store.getWave(executionId, 1)).approval).toBeUndefined();
    });

    it('leaves a wave its item records as started as it is, though the ending read its gate as open', async () => {
      await openGate(table(), request(0, 'tok-1'));
      const stale = await world.store.getWave(executionId, 0);
      await setWave(0, 'SET #status = :launching', { ':launching': 'LAUNCHING' });

      await closeGates(table(), executionId, [stale], { error: 'ExecutionCancelled', endedAt: ENDED });

      const wave = await world.store.getWave(executionId, 0);
      expect(wave.status).toBe('LAUNCHING');
      expect(wave.approval?.closedBecause).toBeUndefined();
    });

    it('surfaces a DynamoDB fault while closing a gate, for the Retry', async () => {
      await openGate(table(), request(0, 'tok-1'));
      const open = await world.store.getWave(executionId, 0);
      const faulty = interfering('SET #status = :notStarted, approval.closedBecause = :why', async () => {
        throw throttled();
      });

      await expect(
        closeGates(faulty.table, executionId, [open], { error: 'ExecutionCancelled', endedAt: ENDED }),
      ).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    });
  });
});
