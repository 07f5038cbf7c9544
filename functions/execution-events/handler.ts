import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../shared/clock';
import { readEventsEnv } from '../shared/env';
import { ExecutionStore } from '../shared/execution-store';
import { lambdaHandler } from '../shared/lambda-handler';
import { tracer } from '../shared/observability';
import { handleExecutionEvent, snsNotifier } from './execution-events';

const env = readEventsEnv();
const dynamo = tracer.captureAWSv3Client(new DynamoDBClient({}));
const store = new ExecutionStore(
  DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
  env.executionsTableName,
);
const sns = tracer.captureAWSv3Client(new SNSClient({}));

export const handler = lambdaHandler(
  'execution-events',
  handleExecutionEvent({ store, notify: snsNotifier(sns, env.notificationTopicArn), clock: systemClock }),
);
