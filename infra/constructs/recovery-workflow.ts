import { RemovalPolicy } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ASL_PATH } from '../../statemachine/definition';
import { acknowledge, acknowledgeWildcardResources } from './nag';
import { grantWaveActionInvoke, type WaveActionFunctions } from './wave-action-grant';

export interface RecoveryWorkflowProps {
  /** Placeholder of the definition (e.g. `StartWaveFunctionArn`) → the function that fills it. */
  readonly tasks: Readonly<Record<string, IFunction>>;
  /**
   * The operator's wave action functions the workflow may invoke (`lambda:invoke`).
   * @default - none: no lambda:InvokeFunction beyond the task functions
   */
  readonly waveActionFunctions?: WaveActionFunctions;
}

/**
 * The recovery workflow: `statemachine/recovery-plan.asl.json`, the same file the local runner runs,
 * with each `${...FunctionArn}` placeholder substituted by its function's ARN. A Standard workflow
 * (drills take minutes to hours), logging every event with its data, and traced with X-Ray.
 */
export class RecoveryWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;
  readonly substitutions: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: RecoveryWorkflowProps) {
    super(scope, id);

    // RETAIN: the execution log is part of the evidence of each drill and recovery (kept one year).
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.substitutions = Object.fromEntries(
      Object.entries(props.tasks).map(([placeholder, fn]) => [placeholder, fn.functionArn]),
    );
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment: 'drs-orchestrator: recovers a plan of DRS source servers wave by wave',
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(ASL_PATH),
      definitionSubstitutions: this.substitutions,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // A definition from a file grants nothing: every function the definition names may be invoked.
    for (const fn of Object.values(props.tasks)) fn.grantInvoke(this.stateMachine);

    const role = this.stateMachine.role;
    grantWaveActionInvoke(role, this, props.waveActionFunctions ?? {});
    acknowledgeWildcardResources(
      role,
      Object.values(props.tasks).map((fn) => `${fn.functionArn}:*`),
      "lambda:InvokeFunction on the task function's versions and aliases (grantInvoke's own pattern); the function itself is named exactly.",
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'Step Functions logging (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray tracing (PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) support no resource-level permissions.',
    );
  }
}
