/**
 * What the cleanup workflow's runs share with those who start them (execution-events, the API):
 * its input and its timings. Kept apart from `cleanup-runner.ts`, so a starter does not carry the
 * runner's DRS calls (and the permissions a test derives from them).
 */
import type { CleanupClaimant } from './records/cleanup-records';

/** How often a running cleanup looks at its TERMINATE jobs. */
export const CLEANUP_POLL_SECONDS = 30;
/** How long a claimed cleanup waits for DRS before recording what is left as FAILED. */
export const CLEANUP_DEADLINE_MINUTES = 30;

/** The cleanup workflow's input, and what each of its tasks is given. */
export interface CleanupTaskInput {
  executionId: string;
  /** The claim this run holds (or takes): the cleanup workflow execution's own name. */
  claimId: string;
  claimedBy: CleanupClaimant;
}
