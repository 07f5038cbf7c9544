import type { z } from 'zod';
import { planSchema } from '../shared/plan-rules';
import { startExecutionBody } from './request';

/**
 * The REST API's routes: the one list the Lambda router, the CDK API construct and the OpenAPI
 * document (a test compares them) are built from. `bodySchema` is the zod schema the handler
 * reads the body with; the CDK construct generates API Gateway's coarse request model from it
 * (infra/constructs/request-models.ts), and the handler then applies the full rules.
 */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  operationId: string;
  bodySchema?: z.ZodType;
}

const planBody = planSchema.meta({ title: 'Plan' });
const startExecution = startExecutionBody.meta({ title: 'StartExecution' });

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/plans', operationId: 'createPlan', bodySchema: planBody },
  { method: 'GET', path: '/plans', operationId: 'listPlans' },
  { method: 'GET', path: '/plans/{planId}', operationId: 'getPlan' },
  { method: 'PUT', path: '/plans/{planId}', operationId: 'putPlan', bodySchema: planBody },
  { method: 'DELETE', path: '/plans/{planId}', operationId: 'deletePlan' },
  { method: 'POST', path: '/plans/{planId}/executions', operationId: 'startExecution', bodySchema: startExecution },
  { method: 'GET', path: '/executions', operationId: 'listExecutions' },
  { method: 'GET', path: '/executions/{executionId}', operationId: 'getExecution' },
  { method: 'POST', path: '/executions/{executionId}/cancel', operationId: 'cancelExecution' },
];
