import type { ExecutionResult } from '../functions/shared/types';

/**
 * The drill cleanup as a person reads it under the summary: when it will run, or what it
 * terminated and what it could not (each failed instance named with its reason, never hidden).
 * A RECOVERY has no line: nothing of it is ever terminated.
 */
export function cleanupLines(
  result: Pick<ExecutionResult, 'executionId' | 'executionType' | 'cleanup' | 'status'>,
): string[] {
  const cleanup = result.cleanup;
  if (!cleanup || cleanup.status === 'NOT_APPLICABLE') return [];
  const terminated = cleanup.terminatedInstanceIDs;
  const list = (ids: string[]) => (ids.length > 0 ? `: ${ids.join(', ')}` : '');
  switch (cleanup.status) {
    case 'SCHEDULED':
      if (cleanup.scheduledFor) {
        return [`Cleanup: SCHEDULED for ${cleanup.scheduledFor} (the drill's recovery instances are terminated then)`];
      }
      return result.status === 'PENDING' || result.status === 'POLLING'
        ? ['Cleanup: SCHEDULED when the drill ends']
        : [
            `Cleanup: SCHEDULED on demand only (drillCleanupAfterMinutes 0): drs-orchestrator cleanup ${result.executionId}`,
          ];
    case 'RUNNING':
      return ["Cleanup: RUNNING (terminating the drill's recovery instances)"];
    case 'DONE':
      return [`Cleanup: DONE, ${terminated.length} recovery instance(s) terminated${list(terminated)}`];
    case 'FAILED':
      return [
        `Cleanup: FAILED, ${terminated.length} recovery instance(s) terminated${list(terminated)}; ${cleanup.failed.length} not:`,
        ...cleanup.failed.map((f) => `  ! ${f.recoveryInstanceID}: ${f.reason}`),
      ];
  }
}
