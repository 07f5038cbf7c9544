import type { DrsClient } from '@aws-sdk/client-drs';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { CleanupWorkflows } from '../shared/cleanup-schedule';
import type { Clock } from '../shared/clock';
import type { DrsLimits } from '../shared/drs-limits';
import { parseStateMachineArn } from '../shared/execution-naming';
import type { ExecutionStore } from '../shared/execution-store';
import { logger } from '../shared/observability';
import type { PlanStore } from '../shared/plan-store';
import type { Plan } from '../shared/types';
import { approvalOperations } from './approvals';
import { type CheckTarget, checkOperations } from './check-plan';
import { cleanupOperations } from './cleanup';
import { executionOperations } from './executions';
import { errorResponse, HttpError, json, notFound } from './http';
import { planOperations } from './plans';
import { reportOperations } from './report';
import { API_ROUTES } from './routes';
import { startOperations } from './start-execution';

export interface ApiDeps {
  executions: ExecutionStore;
  plans: PlanStore;
  sfn: SFNClient;
  /** The recovery-plan workflow: executions are started on it and their ARNs built from it. */
  stateMachineArn: string;
  /** The Region of the console links. */
  region: string;
  clock: Clock;
  /** DRS for the start route's preflight (read-only calls); without it the workflow's own preflight is the only one. */
  drs?: DrsClient;
  drsLimits?: DrsLimits;
  /** The drill cleanup workflow, started by `POST /executions/{executionId}/cleanup`. */
  cleanupWorkflows?: CleanupWorkflows;
  /** The DRS a plan check asks, when it is not `drs` at the clock's time (the local console: a simulator of the request's scenario). */
  checkTarget?: (plan: Plan) => Promise<CheckTarget>;
}

export type Operation = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/**
 * The REST API (API Gateway proxy integration; API Gateway has already checked the caller's IAM
 * signature). Routes on `resource` + `httpMethod` exactly as API_ROUTES lists them, each to the
 * operation of its operationId. Never throws: a route's HttpError is its answer, anything else is
 * logged and answered 500 with the request ID and nothing of the error.
 */
export function createApi(deps: ApiDeps): Operation {
  parseStateMachineArn(deps.stateMachineArn);
  const operations: Record<string, Operation> = {
    ...planOperations(deps),
    ...startOperations(deps),
    ...executionOperations(deps),
    ...approvalOperations(deps),
    ...reportOperations(deps),
    ...cleanupOperations(deps),
    ...checkOperations(deps),
  };
  const routes = new Map<string, Operation>();
  for (const route of API_ROUTES) {
    const operation = operations[route.operationId];
    if (!operation) throw new Error(`route ${route.method} ${route.path} has no operation ${route.operationId}`);
    routes.set(`${route.method} ${route.path}`, operation);
  }
  const unrouted = Object.keys(operations).filter((id) => !API_ROUTES.some((route) => route.operationId === id));
  if (unrouted.length > 0) throw new Error(`operations without a route: ${unrouted.join(', ')}`);

  return async (event) => {
    const requestId = event.requestContext?.requestId;
    try {
      const operation = routes.get(`${event.httpMethod} ${event.resource}`);
      if (!operation) throw notFound(`there is no route ${event.httpMethod} ${event.path ?? event.resource}`);
      return await operation(event);
    } catch (error) {
      if (error instanceof HttpError) return errorResponse(error);
      logger.error(
        { message: 'API request failed', method: event.httpMethod, resource: event.resource, requestId },
        error as Error,
      );
      return json(500, {
        message: `Internal error${requestId ? ` (request ${requestId})` : ''}: it is logged; retry later, or report the request ID`,
      });
    }
  };
}
