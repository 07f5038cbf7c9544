/**
 * The REST API's routes: the one list the Lambda router, the CDK API construct and the OpenAPI
 * document (a test compares them) are built from. `bodySchema` is the coarse JSON Schema (draft-04)
 * API Gateway validates before the Lambda runs; the handler then applies the full plan rules.
 */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  operationId: string;
  bodySchema?: Record<string, unknown>;
}

const planBody = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'Plan',
  type: 'object',
  required: ['planId', 'waves'],
  properties: {
    planId: { type: 'string', minLength: 1, maxLength: 64 },
    name: { type: 'string', maxLength: 128 },
    description: { type: 'string', maxLength: 1024 },
    pollIntervalSeconds: { type: 'integer' },
    waves: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'object' } },
  },
};

const startExecutionBody = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'StartExecution',
  type: 'object',
  required: ['executionType'],
  properties: {
    executionType: { type: 'string', enum: ['DRILL', 'RECOVERY'] },
    confirm: { type: 'boolean' },
  },
};

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/plans', operationId: 'createPlan', bodySchema: planBody },
  { method: 'GET', path: '/plans', operationId: 'listPlans' },
  { method: 'GET', path: '/plans/{planId}', operationId: 'getPlan' },
  { method: 'PUT', path: '/plans/{planId}', operationId: 'putPlan', bodySchema: planBody },
  { method: 'DELETE', path: '/plans/{planId}', operationId: 'deletePlan' },
  { method: 'POST', path: '/plans/{planId}/executions', operationId: 'startExecution', bodySchema: startExecutionBody },
  { method: 'GET', path: '/executions', operationId: 'listExecutions' },
  { method: 'GET', path: '/executions/{executionId}', operationId: 'getExecution' },
  { method: 'POST', path: '/executions/{executionId}/cancel', operationId: 'cancelExecution' },
];
