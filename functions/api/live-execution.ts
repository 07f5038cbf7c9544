import type { ExecutionRecord, ExecutionStore } from '../shared/execution-store';
import { LIVE_EXECUTION_STATUSES } from '../shared/types';

/**
 * A live (PENDING or POLLING) execution of the plan in the records, if there is one. The status
 * filter applies after DynamoDB reads a page, so pages may be empty: it reads until the end.
 * An execution started but not yet recorded by its first task is not seen here; a per-plan lock
 * in the workflow closes that gap.
 */
export async function findLiveExecution(
  executions: ExecutionStore,
  planId: string,
): Promise<ExecutionRecord | undefined> {
  for (const status of LIVE_EXECUTION_STATUSES) {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await executions.listExecutions({ planId, status, limit: 100, ...(cursor ? { cursor } : {}) });
      if (page.items[0]) return page.items[0];
      cursor = page.nextCursor;
    } while (cursor);
  }
  return undefined;
}
