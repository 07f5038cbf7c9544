import type { ExecutionRecord, ExecutionStore } from '../shared/execution-store';

/**
 * A live (PENDING or POLLING) execution of the plan in the records, if there is one.
 * An execution started but not yet recorded by its first task is not seen here; a per-plan lock
 * in the workflow closes that gap.
 */
export async function findLiveExecution(
  executions: ExecutionStore,
  planId: string,
): Promise<ExecutionRecord | undefined> {
  return executions.findLiveExecution(planId);
}
