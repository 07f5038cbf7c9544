import { z } from 'zod';

/**
 * A gated wave's approval as its record keeps it. `taskToken` is the open gate's Step Functions task
 * token (one per attempt of the gate task); it never leaves the records (the result view drops it).
 * `decision` is written once, by the decision (`approval-decision.ts`), or TIMED_OUT by the
 * execution's ending when the gate's deadline passed unanswered.
 */
export const APPROVAL_DECISIONS = ['APPROVE', 'REJECT'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

export interface ApprovalRecord {
  message?: string;
  requestedAt: string;
  /** The gate task's deadline (its TimeoutSeconds from `requestedAt`). */
  timeoutAt: string;
  taskToken: string;
  decision?: ApprovalDecision | 'TIMED_OUT';
  /** Who decided: the IAM principal on AWS, the scenario's `by` or the local operator locally. */
  by?: string;
  at?: string;
  comment?: string;
  /** When Step Functions accepted the decision (absent: not yet confirmed; the same decision again re-delivers it). */
  deliveredAt?: string;
  /** A decision Step Functions refused (its gate had closed): kept so it never reads as taken, and never lost from sight. */
  undelivered?: { decision: ApprovalDecision; by: string; at: string; error: string }[];
  /** Why the gate closed without a decision (the execution ended some other way while it waited). */
  closedBecause?: string;
}

export const approvalRecordSchema: z.ZodType<ApprovalRecord> = z.object({
  message: z.string().optional(),
  requestedAt: z.string(),
  timeoutAt: z.string(),
  taskToken: z.string(),
  decision: z.enum([...APPROVAL_DECISIONS, 'TIMED_OUT']).optional(),
  by: z.string().optional(),
  at: z.string().optional(),
  comment: z.string().optional(),
  deliveredAt: z.string().optional(),
  undelivered: z
    .array(z.object({ decision: z.enum(APPROVAL_DECISIONS), by: z.string(), at: z.string(), error: z.string() }))
    .optional(),
  closedBecause: z.string().optional(),
});

/** The approval in the result (`--json`, the API): everything but the token. */
export type WaveApprovalResult = Omit<ApprovalRecord, 'taskToken'>;

export function approvalResultOf(record: ApprovalRecord): WaveApprovalResult {
  const { taskToken: _token, ...rest } = record;
  return rest;
}
