import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env';
import { LAUNCH_RESULT_DETAIL_TYPE, LAUNCH_RESULT_SOURCE } from '../../functions/shared/launch-result-event';
import { OrchestratorFunction } from './orchestrator-function';
import { grantRecords } from './records-access';

export interface LaunchEventsProps {
  readonly stateMachine: IStateMachine;
  readonly executionsTable: ITable;
}

/**
 * DRS's "DRS Source Server Launch Result" events → the launch-events function, which records each
 * server's result on the wave's launch wait and wakes the waiting wave (SendTaskSuccess on this
 * workflow only) when the results may decide it. The events are best effort and only speed the
 * verdict up: the wave's polling fallback does without them, so an event that cannot be delivered
 * within a few minutes is dropped rather than kept (no dead-letter queue: nobody would act on it).
 */
export class LaunchEvents extends Construct {
  readonly handler: OrchestratorFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: LaunchEventsProps) {
    super(scope, id);

    this.handler = new OrchestratorFunction(this, 'Handler', {
      code: 'launch-events',
      description: 'Records DRS launch results on the waiting wave and wakes it when they may decide it',
      timeout: Duration.seconds(30),
      environment: { [ENV.executionsTableName]: props.executionsTable.tableName },
    });
    grantRecords(this.handler.role, props.executionsTable);
    this.handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [props.stateMachine.stateMachineArn] }),
    );

    this.rule = new Rule(this, 'LaunchResultRule', {
      description: 'drs-orchestrator: DRS launch results, to wake the wave that waits on the job',
      eventPattern: { source: [LAUNCH_RESULT_SOURCE], detailType: [LAUNCH_RESULT_DETAIL_TYPE] },
    });
    this.rule.addTarget(
      new LambdaFunction(this.handler.function, { retryAttempts: 2, maxEventAge: Duration.minutes(5) }),
    );
  }
}
