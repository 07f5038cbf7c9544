import { Arn, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env';
import { acknowledge, acknowledgeWildcardResources } from './nag';
import { OrchestratorFunction } from './orchestrator-function';
import { grantRecords } from './records-access';
import type { ReportsBucket } from './reports-bucket';

/** The execution statuses the execution-events function acts on. */
export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export interface ExecutionEventsProps {
  readonly stateMachine: IStateMachine;
  /** The drill cleanup workflow, which the handler starts for every ended drill. */
  readonly cleanupStateMachine: IStateMachine;
  readonly executionsTable: ITable;
  readonly topic: ITopic;
  /** The key the topic is encrypted with. */
  readonly topicKey: IKey;
  /** Where the handler writes each ended execution's report. */
  readonly reports: ReportsBucket;
}

/**
 * The workflow's "Step Functions Execution Status Change" events → the execution-events function,
 * which brings the records to the truth when an execution was stopped or timed out (the workflow
 * cannot record those itself) and sends the notifications. Delivery is retried; what still cannot be
 * delivered lands in an encrypted dead-letter queue, kept 14 days.
 */
export class ExecutionEvents extends Construct {
  readonly handler: OrchestratorFunction;
  readonly rule: Rule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ExecutionEventsProps) {
    super(scope, id);

    this.handler = new OrchestratorFunction(this, 'Handler', {
      code: 'execution-events',
      description: 'Brings the records to the truth on Stop and timeout; writes the reports; sends notifications',
      timeout: Duration.seconds(60),
      environment: {
        [ENV.executionsTableName]: props.executionsTable.tableName,
        [ENV.notificationTopicArn]: props.topic.topicArn,
        [ENV.stateMachineArn]: props.stateMachine.stateMachineArn,
        [ENV.cleanupStateMachineArn]: props.cleanupStateMachine.stateMachineArn,
        [ENV.reportsBucketName]: props.reports.bucket.bucketName,
      },
    });
    grantRecords(this.handler.role, props.executionsTable);
    props.reports.grantWriteReports(this.handler.role);
    // An event is a claim: the function asks Step Functions for the execution's real status, and only of
    // this workflow's executions (arn:<partition>:states:<region>:<account>:execution:<name>:*).
    props.stateMachine.grantExecution(this.handler.role, 'states:DescribeExecution');
    acknowledgeWildcardResources(
      this.handler.role,
      [executionArnsOf(props.stateMachine)],
      "DescribeExecution of this one state machine's executions (to confirm a status change before recording it); execution names are chosen per start, so the ARN ends in a wildcard.",
    );
    // sns:Publish on the topic, and the two KMS actions SNS needs of a publisher to an encrypted topic.
    this.handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [props.topic.topicArn] }),
    );
    props.topicKey.grant(this.handler.role, 'kms:GenerateDataKey', 'kms:Decrypt');

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the execution status rule target; a dead-letter queue of its own would have nothing to receive.',
    );

    this.rule = new Rule(this, 'StatusChangeRule', {
      description: 'drs-orchestrator: execution status changes of the recovery workflow',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          stateMachineArn: [props.stateMachine.stateMachineArn],
          status: [...EXECUTION_STATUSES],
        },
      },
    });
    this.rule.addTarget(
      new LambdaFunction(this.handler.function, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
      }),
    );
  }
}

/** `arn:<partition>:states:<region>:<account>:execution:<stateMachineName>:*`, as `grantExecution` writes it. */
function executionArnsOf(stateMachine: IStateMachine): string {
  const prefix = Stack.of(stateMachine).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: Arn.split(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  return `${prefix}:*`;
}
