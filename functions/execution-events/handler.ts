import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../shared/clock';
import { ExecutionStore } from '../shared/execution-store';
import { lambdaHandler } from '../shared/lambda-handler';
import { tracer } from '../shared/observability';
import { handleExecutionEvent, snsNotifier } from './execution-events';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

const tableName = required('EXECUTIONS_TABLE_NAME');
const topicArn = required('NOTIFICATION_TOPIC_ARN');
const dynamo = tracer.captureAWSv3Client(new DynamoDBClient({}));
const store = new ExecutionStore(
  DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
  tableName,
);
const sns = tracer.captureAWSv3Client(new SNSClient({}));

export const handler = lambdaHandler(
  'execution-events',
  handleExecutionEvent({ store, notify: snsNotifier(sns, topicArn), clock: systemClock }),
);
