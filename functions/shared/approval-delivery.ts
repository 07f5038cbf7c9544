import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import type { DecisionDelivery, DecisionToDeliver } from './records/approval-decision';

/** What the gate task's result is when approved (SendTaskSuccess's output becomes the Task state's result). */
export interface ApprovedOutput {
  decision: 'APPROVE';
  by: string;
  at: string;
  comment?: string;
}

/** Step Functions as a decision needs it: SendTaskSuccess and SendTaskFailure (the SDK client, or the local one). */
export interface TaskTokenClient {
  send(command: SendTaskSuccessCommand | SendTaskFailureCommand): Promise<unknown>;
}

/** Delivers decisions through Step Functions' task-token calls (the API, a retried gate task, the local stack). */
export const sfnDecisionDelivery = (sfn: TaskTokenClient): DecisionDelivery => ({
  deliver: async (taskToken, wave, decision) => {
    await sfn.send(decisionCommand(taskToken, wave, decision));
  },
});

/** SendTaskSuccess for APPROVE (its output becomes the gate task's result); SendTaskFailure `ApprovalRejected` for REJECT. */
export function decisionCommand(
  taskToken: string,
  wave: { index: number; name: string },
  decision: DecisionToDeliver,
): SendTaskSuccessCommand | SendTaskFailureCommand {
  if (decision.decision === 'APPROVE') {
    const output: ApprovedOutput = {
      decision: 'APPROVE',
      by: decision.by,
      at: decision.at.toISOString(),
      ...(decision.comment ? { comment: decision.comment } : {}),
    };
    return new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) });
  }
  const comment = decision.comment ? `: ${decision.comment}` : '';
  return new SendTaskFailureCommand({
    taskToken,
    error: 'ApprovalRejected',
    // Step Functions keeps up to 32,768 characters of a cause.
    cause:
      `wave ${wave.index + 1} '${wave.name}' was rejected by ${decision.by} at ${decision.at.toISOString()}${comment}; nothing more was launched`.slice(
        0,
        32_768,
      ),
  });
}
