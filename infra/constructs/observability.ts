import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRIC } from '../../functions/shared/metric-names';
import { POWERTOOLS_ENVIRONMENT } from './orchestrator-function';

/**
 * The custom metrics the functions emit (Powertools EMF, `functions/shared/observability.ts` METRIC),
 * in namespace `DrsOrchestrator` with the dimension `service=drs-orchestrator`.
 */
export const CUSTOM_METRICS = METRIC;

export interface ObservabilityProps {
  readonly stateMachine: IStateMachine;
  readonly topic: ITopic;
}

/** An alarm on failed or timed-out executions (to the notification topic) and a dashboard. */
export class Observability extends Construct {
  readonly failedExecutionsAlarm: Alarm;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const { stateMachine } = props;

    this.failedExecutionsAlarm = new Alarm(this, 'FailedExecutionsAlarm', {
      alarmDescription:
        'A recovery or drill execution FAILED or TIMED_OUT: open the execution in the Step Functions console (its error and cause name the wave and the servers) and read the records.',
      metric: new MathExpression({
        expression: 'failed + timedOut',
        usingMetrics: {
          failed: stateMachine.metricFailed({ period, statistic: 'Sum' }),
          timedOut: stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
        },
        label: 'Executions failed or timed out',
        period,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.failedExecutionsAlarm.addAlarmAction(new SnsAction(props.topic));
    // The topic has its own policy (TLS only), which replaces SNS's default one: let this alarm publish.
    props.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowFailedExecutionsAlarmToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [props.topic.topicArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': this.failedExecutionsAlarm.alarmArn },
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        },
      }),
    );

    const custom = (metricName: string, statistic = 'Sum') =>
      new Metric({
        namespace: POWERTOOLS_ENVIRONMENT.POWERTOOLS_METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: POWERTOOLS_ENVIRONMENT.POWERTOOLS_SERVICE_NAME },
        statistic,
        period: Duration.hours(1),
      });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# DRS orchestrator\nExecutions of the recovery workflow (Step Functions metrics) and their outcomes as the records decide them (custom metrics: a wave is COMPLETED only when every server LAUNCHED).',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Executions (Step Functions)',
        width: 12,
        left: [
          stateMachine.metricStarted({ period: Duration.hours(1), label: 'Started' }),
          stateMachine.metricSucceeded({ period: Duration.hours(1), label: 'Succeeded' }),
          stateMachine.metricFailed({ period: Duration.hours(1), label: 'Failed' }),
          stateMachine.metricTimedOut({ period: Duration.hours(1), label: 'Timed out' }),
          stateMachine.metricAborted({ period: Duration.hours(1), label: 'Stopped' }),
        ],
      }),
      new GraphWidget({
        title: 'Execution outcomes (records)',
        width: 12,
        left: [
          custom(CUSTOM_METRICS.executionCompleted),
          custom(CUSTOM_METRICS.executionFailed),
          custom(CUSTOM_METRICS.executionTimedOut),
          custom(CUSTOM_METRICS.executionCancelled),
        ],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Servers per wave',
        width: 12,
        left: [custom(CUSTOM_METRICS.serversLaunched), custom(CUSTOM_METRICS.serversFailed)],
      }),
      new GraphWidget({
        title: 'Wave duration (seconds)',
        width: 8,
        left: [
          custom(CUSTOM_METRICS.waveDurationSeconds, 'Average'),
          custom(CUSTOM_METRICS.waveDurationSeconds, 'Maximum'),
        ],
      }),
      new AlarmStatusWidget({
        title: 'Alarm',
        width: 4,
        alarms: [this.failedExecutionsAlarm],
      }),
    );
  }
}
