/**
 * How a drill cleanup reads from outside: the contract view of its record (`cleanup` in the result,
 * the API, `--json`), the refusals (an unknown execution, a RECOVERY, a drill still running), and
 * what a person is told when there is nothing to do.
 */
import { OrchestratorError } from '../errors';
import { type DrillCleanup, isLive } from '../types';
import type { CleanupRecord } from './cleanup-records';

/** The contract view (`cleanup` in the result, the API, `--json`) of an execution's record. */
export function cleanupView(execution: { executionType: string; cleanup?: CleanupRecord | undefined }): DrillCleanup {
  const record = execution.cleanup;
  if (execution.executionType !== 'DRILL' || record === undefined) {
    return { status: 'NOT_APPLICABLE', scheduledFor: null, terminatedInstanceIDs: [], failed: [] };
  }
  return {
    status: record.status,
    scheduledFor: record.scheduledFor ?? null,
    terminatedInstanceIDs: record.terminatedInstanceIDs ?? [],
    failed: record.failed ?? [],
  };
}

/** Why a cleanup cannot be had at all; the API answers 409 (404 for an unknown execution), the CLI exits 2. */
export class CleanupRefused extends OrchestratorError {
  readonly reason: 'UNKNOWN_EXECUTION' | 'NOT_A_DRILL' | 'STILL_RUNNING';
  constructor(reason: CleanupRefused['reason'], message: string) {
    super(message);
    this.name = 'CleanupRefused';
    this.reason = reason;
  }
}

/** The execution fields a cleanup decision reads. */
export interface CleanupSubject {
  executionId: string;
  executionType: string;
  status: string;
  endedAt?: string;
  cleanup?: CleanupRecord;
}

/** What a person reads when there is nothing to do. */
export function nothingToDo(record: CleanupRecord | undefined): string {
  switch (record?.status) {
    case 'RUNNING':
      return `the cleanup is already RUNNING (claimed ${record.claimedBy === 'SCHEDULE' ? 'by the schedule' : 'on demand'} at ${record.claimedAt})`;
    case 'DONE':
      return `the cleanup is already DONE (${record.terminatedInstanceIDs?.length ?? 0} instance(s) terminated at ${record.endedAt}): nothing to do`;
    case 'FAILED':
      return `the cleanup FAILED at ${record.endedAt}; only a cleanup on demand retries it`;
    default:
      return 'the cleanup is not due';
  }
}

/** The refusals that do not depend on the cleanup's own state: no such execution, a RECOVERY, a live drill. */
export function refusalOf(execution: CleanupSubject | undefined, executionId: string): CleanupRefused | undefined {
  if (!execution) return new CleanupRefused('UNKNOWN_EXECUTION', `there is no execution ${executionId}`);
  if (execution.executionType !== 'DRILL') {
    return new CleanupRefused(
      'NOT_A_DRILL',
      `execution ${executionId} is a ${execution.executionType}: only a DRILL's recovery instances are ever terminated by the orchestrator`,
    );
  }
  if (isLive(execution.status as never)) {
    return new CleanupRefused(
      'STILL_RUNNING',
      `execution ${executionId} is still ${execution.status}: its instances are cleaned up once it has ended (stop it first to clean up now)`,
    );
  }
  return undefined;
}
