import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { METRIC } from '../../functions/shared/observability';
import { CUSTOM_METRICS } from '../../infra/constructs/observability';
import { assertTasksMatch, taskConstructId, WORKFLOW_TASKS } from '../../infra/constructs/task-functions';
import { TASK_FUNCTIONS } from '../../local/task-functions';
import { placeholdersOf, readAsl } from '../../statemachine/definition';
import { resourcesOf, type Statement, synthesize } from './synth';

const { stack, template } = synthesize();
const id = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);
const stateMachineId = id(stack.workflow.stateMachine);
const stateMachine = resourcesOf(template, 'AWS::StepFunctions::StateMachine')[stateMachineId];
const functionArn = (placeholder: string) => ({
  'Fn::GetAtt': [id(stack.tasks.functions[placeholder]?.function as never), 'Arn'],
});

describe('the state machine', () => {
  const substitutions = stateMachine?.Properties.DefinitionSubstitutions as Record<string, unknown>;
  const placeholders = [...placeholdersOf(readAsl())].sort();

  it('substitutes every placeholder of statemachine/recovery-plan.asl.json, and nothing else', () => {
    expect(placeholders.length).toBeGreaterThan(0);
    expect(Object.keys(substitutions).sort()).toEqual(placeholders);
  });

  it('fills each placeholder with the ARN of the function named after it', () => {
    for (const placeholder of placeholders) {
      expect(substitutions[placeholder]).toEqual(functionArn(placeholder));
      expect(stack.tasks.functions[placeholder]?.node.id).toBe(taskConstructId(placeholder));
    }
  });

  it('binds the same tasks as the local runner (local/task-functions.ts)', () => {
    expect(Object.keys(WORKFLOW_TASKS).sort()).toEqual(Object.keys(TASK_FUNCTIONS).sort());
  });

  it('refuses to synthesize when the definition and the tasks disagree, in either direction', () => {
    const text = readAsl();
    const placeholder = (name: string) => `"$\{${name}}"`;
    const withNewTask = text.replace(
      placeholder('ClassifyWaveFunctionArn'),
      placeholder('ClassifyWaveAgainFunctionArn'),
    );
    expect(() => assertTasksMatch(withNewTask)).toThrow(
      'placeholders without a task [ClassifyWaveAgainFunctionArn], tasks the definition does not use [ClassifyWaveFunctionArn]',
    );
    expect(() => assertTasksMatch(text)).not.toThrow();
  });

  it('loads the definition from the file (an S3 asset), not from an inline copy', () => {
    expect(stateMachine?.Properties.DefinitionS3Location).toBeDefined();
    expect(stateMachine?.Properties.DefinitionString).toBeUndefined();
  });

  it('is a STANDARD workflow that logs ALL events with their data, and is traced with X-Ray', () => {
    expect(stateMachine?.Properties.StateMachineType).toBe('STANDARD');
    expect(stateMachine?.Properties.LoggingConfiguration).toEqual({
      Level: 'ALL',
      IncludeExecutionData: true,
      Destinations: [
        { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [id(stack.workflow.logGroup), 'Arn'] } } },
      ],
    });
    expect(stateMachine?.Properties.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('keeps its execution log a year, and keeps it when the stack is deleted', () => {
    const logGroup = resourcesOf(template, 'AWS::Logs::LogGroup')[id(stack.workflow.logGroup)];
    expect(logGroup?.Properties.RetentionInDays).toBe(365);
    expect(logGroup?.DeletionPolicy).toBe('Retain');
  });
});

describe('the execution status rule', () => {
  const rule = resourcesOf(template, 'AWS::Events::Rule')[id(stack.executionEvents.rule)];

  it("matches this state machine's RUNNING, SUCCEEDED, FAILED, TIMED_OUT and ABORTED status changes", () => {
    expect(rule?.Properties.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: {
        stateMachineArn: [{ Ref: stateMachineId }],
        status: ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'],
      },
    });
  });

  it('targets the execution-events function, with retries and a dead-letter queue', () => {
    expect(rule?.Properties.Targets).toEqual([
      {
        Id: 'Target0',
        Arn: { 'Fn::GetAtt': [id(stack.executionEvents.handler.function), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id(stack.executionEvents.deadLetterQueue), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
      },
    ]);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [id(stack.executionEvents.handler.function), 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [id(stack.executionEvents.rule), 'Arn'] },
    });
  });

  it('has an encrypted dead-letter queue that refuses anything but TLS and accepts only this rule', () => {
    const queueId = id(stack.executionEvents.deadLetterQueue);
    expect(resourcesOf(template, 'AWS::SQS::Queue')[queueId]?.Properties).toEqual({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    const policies = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy'));
    expect(policies).toHaveLength(1);
    const statements = policies.flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [id(stack.executionEvents.rule), 'Arn'] } } },
      }),
    );
  });
});

describe('notifications', () => {
  const topicId = id(stack.notifications.topic);

  it('go to a topic encrypted with a rotated customer managed key, TLS only', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [id(stack.notifications.key), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribe the NotificationEmail parameter, only when it is given', () => {
    template.hasParameter('NotificationEmail', { Type: 'String', Default: '' });
    template.hasCondition('*', {
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'NotificationEmail' }, ''] }],
    });
    template.hasResource('AWS::SNS::Subscription', {
      Properties: { Protocol: 'email', Endpoint: { Ref: 'NotificationEmail' }, TopicArn: { Ref: topicId } },
      Condition: Match.stringLikeRegexp('HasEmail'),
    });
  });

  it('default the NotificationEmail parameter to context `notificationEmail`', () => {
    const other = synthesize({ context: { notificationEmail: 'ops@example.com' } });
    other.template.hasParameter('NotificationEmail', { Default: 'ops@example.com' });
  });
});

describe('the alarm and the dashboard', () => {
  const alarm = resourcesOf(template, 'AWS::CloudWatch::Alarm')[id(stack.observability.failedExecutionsAlarm)];

  it("alarms on this state machine's failed and timed-out executions (its native metrics)", () => {
    expect(alarm?.Properties).toMatchObject({
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    const metrics = alarm?.Properties.Metrics as { MetricStat?: { Metric: Record<string, unknown> } }[];
    const natives = metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
    expect(natives).toEqual([
      {
        Namespace: 'AWS/States',
        MetricName: 'ExecutionsFailed',
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId } }],
      },
      {
        Namespace: 'AWS/States',
        MetricName: 'ExecutionsTimedOut',
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId } }],
      },
    ]);
  });

  it('notifies the topic, which lets this alarm (and only it) publish', () => {
    expect(alarm?.Properties.AlarmActions).toEqual([{ Ref: id(stack.notifications.topic) }]);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: {
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [id(stack.observability.failedExecutionsAlarm), 'Arn'] } },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          }),
        ]),
      },
    });
  });

  it('names the same custom metrics the functions emit', () => {
    expect(CUSTOM_METRICS).toEqual(METRIC);
  });

  it('shows the executions (native metrics) and every custom metric with its namespace and service dimension', () => {
    const dashboards = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    for (const native of ['ExecutionsStarted', 'ExecutionsSucceeded', 'ExecutionsFailed', 'ExecutionsTimedOut']) {
      expect(body).toContain(`\\"AWS/States\\",\\"${native}\\",\\"StateMachineArn\\"`);
    }
    for (const name of Object.values(METRIC)) {
      expect(body).toContain(`\\"DrsOrchestrator\\",\\"${name}\\",\\"service\\",\\"drs-orchestrator\\"`);
    }
  });
});
