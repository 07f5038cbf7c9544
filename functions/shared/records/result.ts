import type { ExecutionResult, WaveResult } from '../types';
import type { ExecutionRecord } from './execution-records';
import type { WaveRecord } from './wave-records';

/**
 * The result shape (`--json`, the workflow's output, the API) from the records. Servers only on
 * request (the API and the CLI ask): the workflow's output stays small, under the 256 KB a
 * Step Functions state may hold.
 */
export function toResult(
  execution: ExecutionRecord,
  waves: WaveRecord[],
  options: { withServers?: boolean } = {},
): ExecutionResult {
  return {
    executionId: execution.executionId,
    ...(execution.executionArn ? { executionArn: execution.executionArn } : {}),
    planId: execution.planId,
    executionType: execution.executionType,
    status: execution.status,
    startedAt: execution.startedAt,
    ...(execution.endedAt ? { endedAt: execution.endedAt } : {}),
    ...(execution.error ? { error: execution.error } : {}),
    ...(execution.cause ? { cause: execution.cause } : {}),
    waves: waves.map(
      (wave): WaveResult => ({
        index: wave.index,
        name: wave.name,
        status: wave.status,
        ...(wave.jobId ? { jobId: wave.jobId } : {}),
        failedServers: wave.failedServers ?? [],
        ...(wave.reason ? { reason: wave.reason } : {}),
        ...(wave.startedAt ? { startedAt: wave.startedAt } : {}),
        ...(wave.endedAt ? { endedAt: wave.endedAt } : {}),
        ...(options.withServers
          ? {
              servers:
                wave.servers ??
                wave.sourceServerIDs.map((sourceServerID) => ({ sourceServerID, launchStatus: 'NOT_STARTED' })),
            }
          : {}),
      }),
    ),
  };
}
