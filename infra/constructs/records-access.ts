import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The DynamoDB actions the records layer (`functions/shared/records/`, behind `ExecutionStore`)
 * makes on the executions table, and nothing else: a test compares them with the lib-dynamodb
 * commands its code sends. No Scan, and no index: the workflow's tasks and execution-events read an
 * execution by its key (one Query of its partition) and a lock by its key; only the API lists
 * executions through the indexes, and only it is granted `index/*`.
 */
export const RECORDS_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
] as const;

/**
 * What a task that only reads an execution needs (admit-wave: one Query of the execution's
 * partition, `loadExecution`): its decision is made so by another task's conditional write.
 */
export const RECORDS_READ_ACTIONS = ['dynamodb:Query'] as const;

/** What reading a stored plan by its ID needs (the first task's `{ planId, executionType }` input): GetItem, no Scan. */
export const PLAN_READ_ACTIONS = ['dynamodb:GetItem'] as const;

/** The records actions on the executions table itself (its ARN only, not its indexes). */
export function grantRecords(role: iam.IRole, executionsTable: ITable): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: [...RECORDS_ACTIONS], resources: [executionsTable.tableArn] }),
  );
}

/** Query on the executions table itself: reading an execution, never writing it. */
export function grantRecordReads(role: iam.IRole, executionsTable: ITable): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: [...RECORDS_READ_ACTIONS], resources: [executionsTable.tableArn] }),
  );
}

/** GetItem on the plans table (a stored plan by its ID). */
export function grantPlanReads(role: iam.IRole, plansTable: ITable): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: [...PLAN_READ_ACTIONS], resources: [plansTable.tableArn] }),
  );
}
