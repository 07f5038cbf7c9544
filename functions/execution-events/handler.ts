import { SNSClient } from '@aws-sdk/client-sns';
import { sfnCleanupWorkflows } from '../shared/cleanup-schedule';
import { createDocumentClient, createSfnClient } from '../shared/clients';
import { systemClock } from '../shared/clock';
import { readEventsEnv } from '../shared/env';
import { ExecutionStore } from '../shared/execution-store';
import { lambdaHandler } from '../shared/lambda-handler';
import { tracer } from '../shared/observability';
import { handleExecutionEvent, snsNotifier } from './execution-events';

const env = readEventsEnv();
const store = new ExecutionStore(createDocumentClient(env), env.executionsTableName);
const sns = tracer.captureAWSv3Client(new SNSClient({ region: env.region }));
const sfn = createSfnClient(env);

export const handler = lambdaHandler(
  'execution-events',
  handleExecutionEvent({
    store,
    sfn,
    stateMachineArn: env.stateMachineArn,
    notify: snsNotifier(sns, env.notificationTopicArn),
    clock: systemClock,
    cleanupWorkflows: sfnCleanupWorkflows(sfn, env.cleanupStateMachineArn),
  }),
);
