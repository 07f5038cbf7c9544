import { type ExecutionResult, LIVE_EXECUTION_STATUSES } from './types';

/** How the workflow itself ended, as Step Functions (or the local engine running the same definition) says. */
export interface WorkflowEnding {
  /** SUCCEEDED, FAILED, TIMED_OUT, ABORTED, ... */
  status: string;
  error?: string;
  cause?: string;
}

/** Who the execution is when it has no record at all (the workflow ended before anything was written). */
export type ExecutionIdentity = Pick<ExecutionResult, 'executionId' | 'planId' | 'executionType' | 'executionArn'>;

/**
 * The result a follower reports once the workflow has ended: the records' result, made worse, never
 * better, by the workflow's own ending. COMPLETED only when the records say COMPLETED *and* the
 * workflow SUCCEEDED; any disagreement is reported as FAILED with both sides named in the cause.
 *
 * One rule for both followers (the local runner and the CLI's AWS follower), so a local drill and a
 * deployed run can never judge the same pair of facts differently.
 */
export function reconcileOutcome(
  recorded: ExecutionResult | undefined,
  workflow: WorkflowEnding,
  identity: ExecutionIdentity,
): ExecutionResult {
  const says = `Step Functions says ${workflow.status}${workflow.cause ? ` (${workflow.cause})` : ''}`;
  if (!recorded) {
    return {
      ...identity,
      status: 'FAILED',
      error: workflow.error ?? 'NotRecorded',
      cause: `${says} but the execution has no record`,
      rto: { targetMinutes: null, actualSeconds: 0, met: null },
      rpo: { maxDataAgeSeconds: 0, servers: [] },
      warnings: [],
      waves: [],
    };
  }
  if (LIVE_EXECUTION_STATUSES.includes(recorded.status)) {
    return {
      ...recorded,
      status: 'FAILED',
      error: workflow.error ?? 'RecordsNotUpdated',
      cause: `${says} but the records still say ${recorded.status}`,
    };
  }
  const succeeded = workflow.status === 'SUCCEEDED';
  if (succeeded === (recorded.status === 'COMPLETED')) return recorded;
  return {
    ...recorded,
    status: 'FAILED',
    error: workflow.error ?? 'RecordsDisagree',
    cause: `the records say ${recorded.status} but ${says}`,
  };
}
