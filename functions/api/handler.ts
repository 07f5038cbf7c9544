import { SFNClient } from '@aws-sdk/client-sfn';
import { sfnCleanupWorkflows } from '../shared/cleanup-schedule';
import { createDocumentClient, createDrsClient } from '../shared/clients';
import { systemClock } from '../shared/clock';
import { readApiEnv, readDrsLimits } from '../shared/env';
import { ExecutionStore } from '../shared/execution-store';
import { lambdaHandler } from '../shared/lambda-handler';
import { tracer } from '../shared/observability';
import { PlanStore } from '../shared/plan-store';
import { createApi } from './api';

const env = readApiEnv();
const db = createDocumentClient(env);
// Safe to retry: Step Functions answers a repeated StartExecution of the same name and input with the same execution.
const sfn = tracer.captureAWSv3Client(new SFNClient({ region: env.region, retryMode: 'standard', maxAttempts: 4 }));

export const handler = lambdaHandler(
  'api',
  createApi({
    executions: new ExecutionStore(db, env.executionsTableName),
    plans: new PlanStore(db, env.plansTableName),
    sfn,
    stateMachineArn: env.stateMachineArn,
    region: env.region,
    clock: systemClock,
    drs: createDrsClient(env),
    drsLimits: readDrsLimits(),
    cleanupWorkflows: sfnCleanupWorkflows(sfn, env.cleanupStateMachineArn),
  }),
);
