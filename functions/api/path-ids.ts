import type { APIGatewayProxyEvent } from 'aws-lambda';
import { EXECUTION_NAME, EXECUTION_NAME_RULE } from '../shared/execution-naming';
import { PLAN_ID, PLAN_ID_RULE } from '../shared/ids';
import { shown } from '../shared/zod-problems';
import { notFound, pathParameter } from './http';

/**
 * The IDs a path names, checked against their formats before any table or Step Functions call.
 * An ID that breaks its format cannot name a resource, so the answer is the 404 of an unknown one,
 * saying why; checking first also keeps it away from DynamoDB, which refuses a key over 2,048
 * bytes with a ValidationException (a 500 here), and keeps the echoed value short.
 */
type PathEvent = Pick<APIGatewayProxyEvent, 'pathParameters'>;

export function planIdInPath(event: PathEvent): string {
  const planId = pathParameter(event, 'planId');
  if (!PLAN_ID.test(planId)) {
    throw notFound(`no plan with planId ${shown(planId)}: it is not a plan ID (${PLAN_ID_RULE})`);
  }
  return planId;
}

export function executionIdInPath(event: PathEvent): string {
  const executionId = pathParameter(event, 'executionId');
  if (!EXECUTION_NAME.test(executionId)) {
    throw notFound(
      `no execution with executionId ${shown(executionId)}: it is not an execution ID (${EXECUTION_NAME_RULE})`,
    );
  }
  return executionId;
}
