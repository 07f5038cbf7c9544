import { InvalidToken } from '@aws-sdk/client-sfn';
import type { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type DecisionDelivery, decideApproval } from '../../../../functions/shared/records/approval-decision';
import type { RecordsTable } from '../../../../functions/shared/records/table';
import { gatedPlan, startStore } from '../../../support/store';

/**
 * The decision's races that one client cannot time on its own: another writer (a retried gate task,
 * a second decider) acting between the decider's read and its conditional write. The table's client is
 * wrapped so that the other writer runs just before the decider's write reaches dynalite.
 */
const T0 = new Date('2026-01-01T00:00:00Z');
const LATER = new Date('2026-01-01T01:00:00Z');
const PLAN = gatedPlan();

describe('approval decision races', () => {
  let world: Awaited<ReturnType<typeof startStore>>;
  let n = 0;
  let executionId: string;
  beforeAll(async () => {
    world = await startStore();
  });
  afterAll(() => world.stop());
  beforeEach(async () => {
    executionId = `gated-drill-race-${++n}`;
    await world.store.createExecution({ executionId, plan: PLAN, executionType: 'DRILL', startedAt: T0 });
  });
  const gate = (taskToken: string) =>
    world.store.openGate({ executionId, index: 0, taskToken, requestedAt: T0, timeoutAt: LATER });
  const decision = { waveIndex: 0, decision: 'APPROVE' as const, by: 'alice', at: T0 };

  /** The records table, with `before` run once just before the first write whose condition holds `condition`. */
  function tableRacing(before: () => Promise<unknown>, condition = ':awaiting'): RecordsTable {
    let raced = false;
    const send = async (command: UpdateCommand) => {
      if (!raced && command.input?.ConditionExpression?.includes(condition)) {
        raced = true;
        await before();
      }
      return world.db.send(command as never);
    };
    return { db: { send } as never, tableName: 'executions' };
  }

  /** Step Functions: only the tokens of task attempts still waiting are accepted. */
  function deliveryTo(waiting: string[], sent: string[]): DecisionDelivery {
    return {
      deliver: async (token) => {
        sent.push(token);
        if (!waiting.includes(token)) throw new InvalidToken({ message: 'Invalid Token', $metadata: {} });
      },
    };
  }

  it('decides on the token of a gate task retried between the read and the write: the waiting attempt gets the decision', async () => {
    await gate('tok-1');
    const sent: string[] = [];
    // The first attempt of the gate task failed after opening the gate; its retry opens it again on tok-2.
    const table = tableRacing(() => gate('tok-2'));

    const approval = await decideApproval(table, deliveryTo(['tok-2'], sent), { executionId, ...decision });

    expect(sent).toEqual(['tok-2']);
    expect(approval).toMatchObject({ decision: 'APPROVE', by: 'alice', deliveredAt: T0.toISOString() });
    expect((await world.store.getWave(executionId, 0)).approval).toMatchObject({
      decision: 'APPROVE',
      taskToken: 'tok-2',
    });
  });

  it('takes no decision on a gate the ending execution closed between the read and the write, even if the delivery fails uncertainly', async () => {
    await gate('tok-1');
    const sent: string[] = [];
    const table = tableRacing(() =>
      world.store.failExecution({
        executionId,
        status: 'CANCELLED',
        error: 'ExecutionCancelled',
        cause: 'test',
        endedAt: T0,
      }),
    );
    // Had the decision been written, its delivery's fate would be unknown (throttled): it would stand, unconfirmed.
    const throttled: DecisionDelivery = {
      deliver: async (token) => {
        sent.push(token);
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      },
    };

    await expect(decideApproval(table, throttled, { executionId, ...decision })).rejects.toMatchObject({
      name: 'GateNotAwaiting',
      message: expect.stringContaining('while the gate awaited a decision'),
    });
    expect(sent).toEqual([]);
    const wave = await world.store.getWave(executionId, 0);
    expect(wave.approval?.decision).toBeUndefined();
    expect(wave.approval?.undelivered).toBeUndefined();
  });

  const throttling = () => {
    throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
  };

  it('passes on a DynamoDB fault of the decision write, never reading it as a decision taken meanwhile', async () => {
    await gate('tok-1');
    const sent: string[] = [];

    await expect(
      decideApproval(
        tableRacing(async () => throttling()),
        deliveryTo(['tok-1'], sent),
        { executionId, ...decision },
      ),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });

    expect(sent).toEqual([]);
    expect((await world.store.getWave(executionId, 0)).status).toBe('AWAITING_APPROVAL');
  });

  it('passes on a DynamoDB fault of the withdrawal: a refused decision still recorded is never called "nothing was decided"', async () => {
    await gate('tok-1');
    const sent: string[] = [];
    const table = tableRacing(async () => throttling(), '#status = :notStarted AND approval.taskToken');

    // Step Functions refuses the token (the gate closed); the withdrawal then meets a fault.
    await expect(decideApproval(table, deliveryTo([], sent), { executionId, ...decision })).rejects.toMatchObject({
      name: 'ThrottlingException',
    });

    expect(sent).toEqual(['tok-1']);
    // The decision stands unconfirmed: the same decision again re-delivers it, and is withdrawn this time.
    await expect(
      decideApproval(
        tableRacing(async () => undefined),
        deliveryTo([], sent),
        { executionId, ...decision },
      ),
    ).rejects.toMatchObject({ name: 'DecisionNotDelivered', cause: expect.objectContaining({ name: 'InvalidToken' }) });
    expect((await world.store.getWave(executionId, 0)).approval).toMatchObject({
      undelivered: [{ decision: 'APPROVE', by: 'alice', at: T0.toISOString(), error: 'InvalidToken' }],
    });
  });
});
