import { DrsClient } from '@aws-sdk/client-drs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../shared/clock';
import { readApiEnv, readDrsLimits } from '../shared/env';
import { ExecutionStore } from '../shared/execution-store';
import { lambdaHandler } from '../shared/lambda-handler';
import { tracer } from '../shared/observability';
import { PlanStore } from '../shared/plan-store';
import { createApi } from './api';

const env = readApiEnv();
const dynamo = tracer.captureAWSv3Client(
  new DynamoDBClient({ region: env.region, retryMode: 'standard', maxAttempts: 6 }),
);
const db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
// Safe to retry: Step Functions answers a repeated StartExecution of the same name and input with the same execution.
const sfn = tracer.captureAWSv3Client(new SFNClient({ region: env.region, retryMode: 'standard', maxAttempts: 4 }));
const drs = tracer.captureAWSv3Client(new DrsClient({ region: env.region, retryMode: 'standard', maxAttempts: 4 }));

export const handler = lambdaHandler(
  'api',
  createApi({
    executions: new ExecutionStore(db, env.executionsTableName),
    plans: new PlanStore(db, env.plansTableName),
    sfn,
    stateMachineArn: env.stateMachineArn,
    region: env.region,
    clock: systemClock,
    drs,
    drsLimits: readDrsLimits(),
  }),
);
