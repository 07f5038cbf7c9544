import type { APIGatewayProxyEvent } from 'aws-lambda';
import { requestCleanup } from '../shared/cleanup-schedule';
import { CleanupRefused } from '../shared/records/cleanup-records';
import type { ApiDeps, Operation } from './api';
import { conflict, json, notFound } from './http';
import { executionIdInPath } from './path-ids';

/**
 * `POST /executions/{executionId}/cleanup`: a drill's cleanup on demand (docs/cleanup.md). 202
 * when it started (the cleanup is RUNNING), 200 when there was nothing to do (already running or
 * done: a second cleanup never terminates twice), 409 for a RECOVERY or a drill still running,
 * 404 for an unknown execution.
 */
export function cleanupOperations(deps: ApiDeps): Record<string, Operation> {
  return {
    async cleanupExecution(event: APIGatewayProxyEvent) {
      const executionId = executionIdInPath(event);
      if (!deps.cleanupWorkflows) throw new Error('this API was built without the drill cleanup workflow');
      try {
        const requested = await requestCleanup(
          { store: deps.executions, workflows: deps.cleanupWorkflows, clock: deps.clock },
          executionId,
        );
        return json(requested.started ? 202 : 200, {
          executionId,
          started: requested.started,
          message: requested.message,
          cleanup: requested.cleanup,
          ...(requested.runArn ? { cleanupRunArn: requested.runArn } : {}),
        });
      } catch (error) {
        if (!(error instanceof CleanupRefused)) throw error;
        throw error.reason === 'UNKNOWN_EXECUTION' ? notFound(error.message) : conflict(error.message);
      }
    },
  };
}
