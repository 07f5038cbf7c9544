import type { RequestApprovalEvent } from './request-approval';

/** What subscribers are told when a wave's gate opens (the same shape as the execution's other notifications). */
export interface ApprovalNotification {
  subject: string;
  message: string;
  attributes: Record<string, string>;
}

// SNS subjects: ASCII, no line breaks, at most 100 characters.
const subjectOf = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);

/** The gate is open: which wave, until when, and the two ways to decide (the API route, the CLI). */
export function approvalNotification(
  event: Omit<RequestApprovalEvent, 'taskToken'> & { timeoutAt: Date },
): ApprovalNotification {
  const { executionId, wave } = event;
  const lines = [
    `${event.executionType} of plan ${event.planId}: wave ${wave.index + 1} '${wave.name}' awaits approval before it starts.`,
    ...(wave.approval.message ? [`Message: ${wave.approval.message}`] : []),
    `Execution: ${executionId}`,
    `Decide by ${event.timeoutAt.toISOString()}; without a decision the execution ends FAILED (ApprovalTimedOut) and nothing more is launched.`,
    'To decide:',
    `  drs-orchestrator approve ${executionId} --wave ${wave.index} --aws            (add --reject to reject; --comment "..." to say why)`,
    `  POST <ApiUrl>/executions/${executionId}/waves/${wave.index}/approval  {"decision":"APPROVE"|"REJECT","comment":"..."}`,
    'REJECT ends the execution CANCELLED (ApprovalRejected); nothing more is launched.',
  ];
  return {
    subject: subjectOf(`[drs-orchestrator] ${event.executionType} of ${event.planId}: approve wave ${wave.index + 1}?`),
    message: lines.join('\n'),
    attributes: {
      status: 'AWAITING_APPROVAL',
      planId: event.planId,
      executionType: event.executionType,
    },
  };
}
