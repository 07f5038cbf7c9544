import { SNSClient } from '@aws-sdk/client-sns';
import { sfnCleanupWorkflows } from '../shared/cleanup-schedule';
import { createDocumentClient, createS3Client, createSfnClient } from '../shared/clients';
import { systemClock } from '../shared/clock';
import { readEventsEnv } from '../shared/env';
import { ExecutionStore } from '../shared/execution-store';
import { lambdaHandler } from '../shared/lambda-handler';
import { tracer } from '../shared/observability';
import { handleExecutionEvent, snsNotifier } from './execution-events';
import { s3ReportWriter } from './s3-report-writer';

const env = readEventsEnv();
const store = new ExecutionStore(createDocumentClient(env), env.executionsTableName);
const sns = tracer.captureAWSv3Client(new SNSClient({ region: env.region }));
const sfn = createSfnClient(env);
const reports = s3ReportWriter(createS3Client(env), {
  bucket: env.reportsBucketName,
  region: env.region,
  // The bucket is this stack's, in the workflow's account: arn:<partition>:states:<region>:<account>:...
  expectedBucketOwner: env.stateMachineArn.split(':')[4],
});

export const handler = lambdaHandler(
  'execution-events',
  handleExecutionEvent({
    store,
    sfn,
    stateMachineArn: env.stateMachineArn,
    notify: snsNotifier(sns, env.notificationTopicArn),
    clock: systemClock,
    reports,
    cleanupWorkflows: sfnCleanupWorkflows(sfn, env.cleanupStateMachineArn),
  }),
);
