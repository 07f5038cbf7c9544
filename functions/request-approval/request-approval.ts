import { decisionCommand, type TaskTokenClient } from '../shared/approval-delivery';
import type { WaveGate } from '../shared/approval-gate';
import type { Clock } from '../shared/clock';
import type { ExecutionStore } from '../shared/execution-store';
import { logger } from '../shared/observability';
import { type ApprovalNotification, approvalNotification } from './approval-notification';

export interface RequestApprovalEvent {
  executionId: string;
  planId: string;
  executionType: string;
  wave: { index: number; name: string; approval: WaveGate };
  /** `$$.Task.Token`: this attempt's token; the decision sends it back with SendTaskSuccess/Failure. */
  taskToken: string;
}

export interface RequestApprovalDeps {
  store: Pick<ExecutionStore, 'openGate'>;
  clock: Clock;
  /** Where subscribers are told: the stack's SNS topic on AWS, the local run's list locally. */
  notify: (notification: ApprovalNotification) => Promise<void>;
  /** Step Functions, to deliver a decision an earlier attempt's token could not take. */
  sfn: TaskTokenClient;
}

/**
 * The gate before a wave (a `.waitForTaskToken` task): records the wave AWAITING_APPROVAL with this
 * attempt's token and deadline (only while the execution is live; `records/approval-request.ts`),
 * then tells subscribers how to decide. The workflow then waits, costing no state transitions, until
 * a decision sends the token back or the gate's TimeoutSeconds passes (ApprovalTimedOut).
 *
 * A retried attempt (a crash after the write, say) records its own, new token. If a decision was
 * already taken on the old token, this attempt delivers it itself: a retry never loses a decision.
 */
export function requestApproval(deps: RequestApprovalDeps) {
  return async (
    event: RequestApprovalEvent,
  ): Promise<{ status: 'AWAITING_APPROVAL' | 'DECIDED'; timeoutAt: string }> => {
    const { executionId, wave } = event;
    const requestedAt = deps.clock.now();
    const timeoutAt = new Date(requestedAt.getTime() + wave.approval.timeoutSeconds * 1000);
    const opened = await deps.store.openGate({
      executionId,
      index: wave.index,
      taskToken: event.taskToken,
      ...(wave.approval.message ? { message: wave.approval.message } : {}),
      requestedAt,
      timeoutAt,
    });
    if (opened.kind === 'decided') {
      logger.info(`Wave ${wave.name}: delivering the ${opened.decision} an earlier attempt's gate did not take`, {
        executionId,
        waveIndex: wave.index,
      });
      await deps.sfn.send(decisionCommand(event.taskToken, wave, { ...opened, at: requestedAt }));
      return { status: 'DECIDED', timeoutAt: timeoutAt.toISOString() };
    }
    await deps.notify(approvalNotification({ ...event, timeoutAt }));
    logger.info(`Wave ${wave.name} awaits approval until ${timeoutAt.toISOString()}`, {
      executionId,
      waveIndex: wave.index,
    });
    return { status: 'AWAITING_APPROVAL', timeoutAt: timeoutAt.toISOString() };
  };
}
