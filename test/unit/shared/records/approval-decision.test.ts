import { TaskTimedOut } from '@aws-sdk/client-sfn';
import type { DecisionDelivery } from '../../../../functions/shared/records/approval-decision';
import { gatedPlan, startStore } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const LATER = new Date('2026-01-01T01:00:00Z');
const EXECUTION = 'gated-drill-20260101T000000-000001';
const PLAN = gatedPlan();

describe('approval decisions in the records', () => {
  let world: Awaited<ReturnType<typeof startStore>>;
  let n = 0;
  let executionId: string;
  beforeAll(async () => {
    world = await startStore();
  });
  afterAll(() => world.stop());
  beforeEach(async () => {
    n++;
    executionId = `${EXECUTION}${n}`;
    await world.store.createExecution({ executionId, plan: PLAN, executionType: 'DRILL', startedAt: T0 });
  });
  const gate = (taskToken: string) =>
    world.store.openGate({ executionId, index: 0, taskToken, requestedAt: T0, timeoutAt: LATER });
  const decision = { waveIndex: 0, decision: 'APPROVE' as const, by: 'alice', at: T0 };

  it('hands a decision the old token could not take to the retried gate task, which delivers it: never lost', async () => {
    await gate('tok-1');
    const sent: string[] = [];
    // The gate task crashed after opening the gate; its retry opens it again while the decision is on its way.
    const delivery: DecisionDelivery = {
      deliver: async (token) => {
        sent.push(token);
        expect(await gate('tok-2')).toEqual({ kind: 'decided', decision: 'APPROVE', by: 'alice' });
        throw new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} });
      },
    };

    const approval = await world.store.decideApproval(delivery, { executionId, ...decision });

    expect(sent).toEqual(['tok-1']);
    expect(approval).toMatchObject({ decision: 'APPROVE', by: 'alice' });
    const wave = await world.store.getWave(executionId, 0);
    expect(wave.approval).toMatchObject({ decision: 'APPROVE', taskToken: 'tok-2' });
    expect(wave.approval?.undelivered).toBeUndefined();
  });

  it('withdraws a decision Step Functions refused when no retry took it: it does not read as taken', async () => {
    await gate('tok-1');
    const refused: DecisionDelivery = {
      deliver: async () => {
        throw new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} });
      },
    };

    await expect(world.store.decideApproval(refused, { executionId, ...decision })).rejects.toMatchObject({
      name: 'DecisionNotDelivered',
    });

    const wave = await world.store.getWave(executionId, 0);
    expect(wave.approval?.decision).toBeUndefined();
    expect(wave.approval?.undelivered).toEqual([
      { decision: 'APPROVE', by: 'alice', at: T0.toISOString(), error: 'TaskTimedOut' },
    ]);
    // A retried gate task opens the gate again on its own token, undecided.
    expect(await gate('tok-2')).toEqual({ kind: 'opened' });
    expect((await world.store.getWave(executionId, 0)).status).toBe('AWAITING_APPROVAL');
  });

  it('re-delivers the same decision when its first delivery was uncertain (no answer), and refuses a different one', async () => {
    await gate('tok-1');
    const sent: string[] = [];
    const flaky: DecisionDelivery = {
      deliver: async (token) => {
        sent.push(token);
        if (sent.length === 1) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      },
    };

    await expect(world.store.decideApproval(flaky, { executionId, ...decision })).rejects.toThrow('socket hang up');
    await expect(
      world.store.decideApproval(flaky, { executionId, ...decision, decision: 'REJECT' }),
    ).rejects.toMatchObject({ name: 'GateNotAwaiting' });
    const again = await world.store.decideApproval(flaky, { executionId, ...decision, by: 'bob' });

    expect(sent).toEqual(['tok-1', 'tok-1']);
    expect(again).toMatchObject({ decision: 'APPROVE', by: 'alice', deliveredAt: T0.toISOString() });
  });

  it('takes a decision once: of two deciders racing on one gate, one decides and the other is refused', async () => {
    await gate('tok-1');
    const sent: string[] = [];
    const delivery: DecisionDelivery = {
      deliver: async (token, _wave, request) => {
        sent.push(`${token} ${request.decision}`);
      },
    };

    const results = await Promise.allSettled([
      world.store.decideApproval(delivery, { executionId, ...decision }),
      world.store.decideApproval(delivery, { executionId, ...decision, decision: 'REJECT', by: 'bob' }),
    ]);

    const decided = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(decided).toHaveLength(1);
    expect(refused.map((r) => (r as PromiseRejectedResult).reason.name)).toEqual(['GateNotAwaiting']);
    const winner = (decided[0] as PromiseFulfilledResult<{ decision: string; by: string }>).value;
    expect(sent).toEqual([`tok-1 ${winner.decision}`]);
    expect((await world.store.getWave(executionId, 0)).approval).toMatchObject({
      decision: winner.decision,
      by: winner.by,
    });
  });

  it('decides only a wave the execution has: an unknown execution or wave number is ApprovalTargetNotFound', async () => {
    await gate('tok-1');
    const sent: string[] = [];
    const delivery: DecisionDelivery = { deliver: async (token) => void sent.push(token) };
    const refusal = (request: { executionId: string; waveIndex: number }) =>
      world.store.decideApproval(delivery, { ...decision, ...request }).then(
        () => 'decided',
        (error: Error) => `${error.name}: ${error.message}`,
      );

    expect(await refusal({ executionId: 'no-such-execution', waveIndex: 0 })).toBe(
      "ApprovalTargetNotFound: no execution with executionId 'no-such-execution'",
    );
    for (const waveIndex of [1, -1, 0.5]) {
      expect(await refusal({ executionId, waveIndex })).toBe(
        `ApprovalTargetNotFound: execution ${executionId} has no wave ${waveIndex} (it has 1, numbered from 0)`,
      );
    }
    expect(sent).toEqual([]);
    expect((await world.store.getWave(executionId, 0)).status).toBe('AWAITING_APPROVAL');
  });

  it('takes no decision once the execution has ended, even on a gate still recorded as awaiting', async () => {
    await gate('tok-1');
    await world.store.failExecution({
      executionId,
      status: 'CANCELLED',
      error: 'ExecutionCancelled',
      cause: 'test',
      endedAt: T0,
    });
    const sent: string[] = [];

    await expect(
      world.store.decideApproval({ deliver: async (token) => void sent.push(token) }, { executionId, ...decision }),
    ).rejects.toMatchObject({
      name: 'GateNotAwaiting',
      message: expect.stringMatching(/is not awaiting approval: the execution is CANCELLED$/),
    });
    expect(sent).toEqual([]);
    expect((await world.store.getWave(executionId, 0)).approval?.decision).toBeUndefined();
  });

  it('refuses a delivered decision sent again, naming who decided: it is delivered once', async () => {
    await gate('tok-1');
    const sent: string[] = [];
    const delivery: DecisionDelivery = { deliver: async (token) => void sent.push(token) };
    const first = await world.store.decideApproval(delivery, {
      executionId,
      ...decision,
      comment: 'change window open',
    });
    expect(first).toEqual({
      requestedAt: T0.toISOString(),
      timeoutAt: LATER.toISOString(),
      decision: 'APPROVE',
      by: 'alice',
      at: T0.toISOString(),
      comment: 'change window open',
      deliveredAt: T0.toISOString(),
    });

    await expect(
      world.store.decideApproval(delivery, { executionId, ...decision, by: 'bob', at: LATER }),
    ).rejects.toMatchObject({
      name: 'GateNotAwaiting',
      message: `wave 0 'App' of execution ${executionId} is not awaiting approval: APPROVE was already decided by alice at ${T0.toISOString()}`,
    });
    expect(sent).toEqual(['tok-1']);
  });

  it('re-delivers an unconfirmed decision as it was recorded: who, when and the comment, whoever sends it again', async () => {
    await gate('tok-1');
    const sent: { token: string; by: string; at: string; comment?: string }[] = [];
    const flaky: DecisionDelivery = {
      deliver: async (token, _wave, request) => {
        sent.push({
          token,
          by: request.by,
          at: request.at.toISOString(),
          ...(request.comment ? { comment: request.comment } : {}),
        });
        if (sent.length === 1) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      },
    };
    await expect(world.store.decideApproval(flaky, { executionId, ...decision, comment: 'go' })).rejects.toThrow(
      'socket hang up',
    );

    await world.store.decideApproval(flaky, { executionId, ...decision, by: 'bob', at: LATER });

    const first = { token: 'tok-1', by: 'alice', at: T0.toISOString(), comment: 'go' };
    expect(sent).toEqual([first, first]);
  });

  it('refuses a decision on a wave whose gate has not opened, naming why', async () => {
    const sent: string[] = [];
    await expect(
      world.store.decideApproval({ deliver: async (token) => void sent.push(token) }, { executionId, ...decision }),
    ).rejects.toMatchObject({
      name: 'GateNotAwaiting',
      message: `wave 0 'App' of execution ${executionId} is not awaiting approval: its gate has not opened (the wave has no approval gate, or an earlier wave is still running)`,
    });
    expect(sent).toEqual([]);
  });

  it('refuses a decision on a wave already launching without a gate, naming its status', async () => {
    await world.store.claimWave(executionId, 0, T0, LATER);
    await expect(
      world.store.decideApproval({ deliver: async () => undefined }, { executionId, ...decision }),
    ).rejects.toMatchObject({
      name: 'GateNotAwaiting',
      message: `wave 0 'App' of execution ${executionId} is not awaiting approval: it is LAUNCHING and has no approval gate`,
    });
  });

  it('does not send an unconfirmed decision again once its wave has started: the decision was taken', async () => {
    await gate('tok-1');
    const sent: string[] = [];
    const flaky: DecisionDelivery = {
      deliver: async (token) => {
        sent.push(token);
        if (sent.length === 1) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      },
    };
    await expect(world.store.decideApproval(flaky, { executionId, ...decision })).rejects.toThrow('socket hang up');
    // It did reach the workflow: the wave was claimed.
    await world.store.claimWave(executionId, 0, T0, LATER);

    await expect(world.store.decideApproval(flaky, { executionId, ...decision })).rejects.toMatchObject({
      name: 'GateNotAwaiting',
    });
    expect(sent).toEqual(['tok-1']);
  });

  it('opens no gate on an execution that has ended', async () => {
    await world.store.failExecution({
      executionId,
      status: 'CANCELLED',
      error: 'ExecutionCancelled',
      cause: 'test',
      endedAt: T0,
    });
    await expect(gate('tok-1')).rejects.toMatchObject({ name: 'RecordsInconsistent' });
    expect((await world.store.getWave(executionId, 0)).status).toBe('NOT_STARTED');
  });
});
