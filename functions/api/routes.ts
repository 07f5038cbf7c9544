import type { z } from 'zod';
import { planSchema } from '../shared/plan-rules';
import { approvalDecisionBody } from './approvals';
import { checkPlanBody, startRecoveryBody } from './request';

/**
 * Who a route is for, which is what the operator policies (infra/constructs/operator-policies.ts)
 * are built from: `read` every operator; `drill` the drill operator and the recovery operator;
 * `recovery` (start a RECOVERY, cancel any execution) the recovery operator only; `plans`
 * (change what a run launches) neither: whoever authors plans is granted those routes apart.
 */
export type RouteAccess = 'read' | 'drill' | 'recovery' | 'plans';

/**
 * The REST API's routes: the one list the Lambda router, the CDK API construct, the operator
 * policies and the OpenAPI document (a test compares them) are built from. `bodySchema` is the zod
 * schema the handler reads the body with; the CDK construct generates API Gateway's coarse request
 * model from it (infra/constructs/request-models.ts), and the handler then applies the full rules.
 */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  operationId: string;
  access: RouteAccess;
  bodySchema?: z.ZodType;
}

const planBody = planSchema.meta({ title: 'Plan' });
const startRecovery = startRecoveryBody.meta({ title: 'StartRecovery' });
const approvalDecision = approvalDecisionBody.meta({ title: 'ApprovalDecision' });
const checkPlan = checkPlanBody.meta({ title: 'CheckPlan' });

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', path: '/plans', operationId: 'createPlan', access: 'plans', bodySchema: planBody },
  { method: 'GET', path: '/plans', operationId: 'listPlans', access: 'read' },
  { method: 'GET', path: '/plans/{planId}', operationId: 'getPlan', access: 'read' },
  { method: 'PUT', path: '/plans/{planId}', operationId: 'putPlan', access: 'plans', bodySchema: planBody },
  { method: 'DELETE', path: '/plans/{planId}', operationId: 'deletePlan', access: 'plans' },
  // The preflight alone: it reads DRS and launches nothing, so whoever may read plans may check one.
  {
    method: 'POST',
    path: '/plans/{planId}/check',
    operationId: 'checkPlan',
    access: 'read',
    bodySchema: checkPlan,
  },
  // One route per execution type, so that IAM can allow drills without recoveries.
  { method: 'POST', path: '/plans/{planId}/drills', operationId: 'startDrill', access: 'drill' },
  {
    method: 'POST',
    path: '/plans/{planId}/recoveries',
    operationId: 'startRecovery',
    access: 'recovery',
    bodySchema: startRecovery,
  },
  { method: 'GET', path: '/executions', operationId: 'listExecutions', access: 'read' },
  { method: 'GET', path: '/executions/{executionId}', operationId: 'getExecution', access: 'read' },
  { method: 'GET', path: '/executions/{executionId}/report', operationId: 'getExecutionReport', access: 'read' },
  { method: 'POST', path: '/executions/{executionId}/cancel', operationId: 'cancelExecution', access: 'recovery' },
  // A gate's decision: whoever may run drills decides a drill's gates; the route is the same for a RECOVERY.
  {
    method: 'POST',
    path: '/executions/{executionId}/waves/{waveIndex}/approval',
    operationId: 'decideApproval',
    access: 'drill',
    bodySchema: approvalDecision,
  },
  // It terminates instances: the recovery operator's, as cancelling is.
  { method: 'POST', path: '/executions/{executionId}/cleanup', operationId: 'cleanupExecution', access: 'recovery' },
];
