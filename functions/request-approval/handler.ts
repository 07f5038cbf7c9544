import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { createDocumentClient, createSfnClient } from '../shared/clients';
import { systemClock } from '../shared/clock';
import { readApprovalEnv } from '../shared/env';
import { ExecutionStore } from '../shared/execution-store';
import { lambdaHandler } from '../shared/lambda-handler';
import { tracer } from '../shared/observability';
import { requestApproval } from './request-approval';

const env = readApprovalEnv();
const sns = tracer.captureAWSv3Client(new SNSClient({ region: env.region }));

export const handler = lambdaHandler(
  'request-approval',
  requestApproval({
    store: new ExecutionStore(createDocumentClient(env), env.executionsTableName),
    clock: systemClock,
    sfn: createSfnClient(env),
    notify: async (notification) => {
      await sns.send(
        new PublishCommand({
          TopicArn: env.notificationTopicArn,
          Subject: notification.subject,
          Message: notification.message,
          MessageAttributes: Object.fromEntries(
            Object.entries(notification.attributes).map(([name, value]) => [
              name,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        }),
      );
    },
  }),
);
