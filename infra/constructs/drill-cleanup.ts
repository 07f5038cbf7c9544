import { Arn, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  type IStateMachine,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env';
import { CLEANUP_ASL_PATH, placeholdersOf, readAsl } from '../../statemachine/definition';
import { acknowledge, acknowledgeWildcardResources } from './nag';
import { OrchestratorFunction } from './orchestrator-function';
import { grantRecords } from './records-access';
import { taskCode, taskConstructId, taskTimeoutsOf } from './task-functions';

/**
 * The DRS actions of a drill cleanup. DescribeRecoveryInstances and DescribeJobs list across the
 * account and name no resource type in the Service Authorization Reference (`*`);
 * TerminateRecoveryInstances acts on recovery instances (resource type `recovery-instance`), so it
 * is pinned to this partition, region and account's recovery instances, the narrowest IAM allows:
 * which of them a drill may terminate is decided by the selection rule
 * (`functions/shared/cleanup-selection.ts`), since their IDs exist only once DRS launched them.
 */
export const CLEANUP_DRS_READS = ['drs:DescribeRecoveryInstances', 'drs:DescribeJobs'] as const;
export const CLEANUP_DRS_TERMINATE = 'drs:TerminateRecoveryInstances';

/** The cleanup workflow's task functions, by placeholder (construct ID and code as for the recovery workflow's). */
export const CLEANUP_TASKS: Readonly<Record<string, { description: string }>> = {
  TerminateDrillInstancesFunctionArn: {
    description: "Claims a drill's cleanup and asks DRS to terminate the instances the drill's own jobs launched",
  },
  CheckDrillCleanupFunctionArn: {
    description: "Reads a drill cleanup's TERMINATE jobs and records each instance's result",
  },
};

export interface DrillCleanupProps {
  readonly executionsTable: ITable;
  /** @default - none reserved */
  readonly reservedConcurrency?: number;
}

/**
 * The drill cleanup workflow (`statemachine/drill-cleanup.asl.json`, the file the local engine runs
 * too) and its two task functions. A Standard workflow, so a scheduled run survives the end of the
 * recovery workflow and waits (Wait `TimestampPath`) up to the plan's 30-day maximum; each run is one
 * drill's cleanup, which a cleanup on demand stops (docs/cleanup.md explains the choice over
 * EventBridge Scheduler).
 */
export class DrillCleanup extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: Readonly<Record<string, OrchestratorFunction>>;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: DrillCleanupProps) {
    super(scope, id);
    const definition = readAsl(CLEANUP_ASL_PATH);
    const placeholders = [...placeholdersOf(definition)].sort();
    if (placeholders.join() !== Object.keys(CLEANUP_TASKS).sort().join()) {
      throw new Error(
        `statemachine/drill-cleanup.asl.json names [${placeholders}], CLEANUP_TASKS [${Object.keys(CLEANUP_TASKS)}]`,
      );
    }
    const timeouts = taskTimeoutsOf(definition);
    const { partition, region, account } = Stack.of(this);
    const recoveryInstances = `arn:${partition}:drs:${region}:${account}:recovery-instance/*`;

    const functions: Record<string, OrchestratorFunction> = {};
    for (const [placeholder, task] of Object.entries(CLEANUP_TASKS)) {
      const fn = new OrchestratorFunction(this, taskConstructId(placeholder), {
        code: taskCode(placeholder),
        description: task.description,
        timeout: Duration.seconds(timeouts[placeholder] as number),
        ...(props.reservedConcurrency ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
        environment: { [ENV.executionsTableName]: props.executionsTable.tableName },
        wildcardResourceReason:
          'DescribeRecoveryInstances and DescribeJobs list across the account: the Service Authorization Reference names no resource type for them, and the AWS managed DRS policies grant them on *.',
      });
      grantRecords(fn.role, props.executionsTable);
      for (const statement of cleanupStatements(this, recoveryInstances)) fn.role.addToPrincipalPolicy(statement);
      acknowledgeWildcardResources(
        fn.role,
        [
          recoveryInstances,
          `arn:${partition}:ec2:${region}:${account}:instance/*`,
          `arn:${partition}:ec2:${region}:${account}:volume/*`,
        ],
        "TerminateRecoveryInstances is pinned to this account's recovery instances (recovery-instance/*), the narrowest IAM allows: their IDs exist only once a drill launched them, and which ones a drill terminates is decided in code (only its own jobs' drill instances). The EC2 deletes DRS makes for it keep the managed DRS policy's conditions (through DRS, on AWSElasticDisasterRecoveryManaged resources).",
      );
      functions[placeholder] = fn;
    }
    this.functions = functions;

    // RETAIN: what a cleanup terminated is part of a drill's evidence (kept one year), as the recovery workflow's log.
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment: "drs-orchestrator: terminates a drill's recovery instances, on schedule or on demand",
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(CLEANUP_ASL_PATH),
      definitionSubstitutions: Object.fromEntries(
        Object.entries(functions).map(([placeholder, fn]) => [placeholder, fn.function.functionArn]),
      ),
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    for (const fn of Object.values(functions)) fn.function.grantInvoke(this.stateMachine);
    acknowledgeWildcardResources(
      this.stateMachine.role,
      Object.values(functions).map((fn) => `${fn.function.functionArn}:*`),
      "lambda:InvokeFunction on the task function's versions and aliases (grantInvoke's own pattern); the function itself is named exactly.",
    );
    acknowledge(
      this.stateMachine.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Step Functions logging (logs:CreateLogDelivery, ...) and X-Ray tracing support no resource-level permissions.',
    );
  }

  /** Who schedules and requests cleanups (execution-events, the API): start and stop runs of this workflow only. */
  grantStartAndStop(role: iam.IRole): void {
    this.stateMachine.grantStartExecution(role);
    this.stateMachine.grantExecution(role, 'states:StopExecution');
    acknowledgeWildcardResources(
      role,
      [`${executionArnPrefix(this.stateMachine)}:*`],
      "Stops runs of the drill cleanup workflow only (a cleanup on demand cancels the drill's scheduled run); run names are per drill, so the ARN ends in a wildcard.",
    );
  }
}

/**
 * The cleanup's permissions: the DRS reads, TerminateRecoveryInstances on this account's recovery
 * instances, and the EC2 calls DRS makes with the caller's credentials to terminate them, kept to
 * DRS-managed resources and to calls made through DRS, as in the managed policy
 * AWSElasticDisasterRecoveryConsoleFullAccess_v2.
 */
export function cleanupStatements(scope: Construct, recoveryInstances: string): iam.PolicyStatement[] {
  const { partition, region, account } = Stack.of(scope);
  const drsManaged = { Null: { 'aws:ResourceTag/AWSElasticDisasterRecoveryManaged': 'false' } };
  const viaService = { Bool: { 'aws:ViaAWSService': 'true' } };
  return [
    new iam.PolicyStatement({ sid: 'ReadDrillInstancesAndJobs', actions: [...CLEANUP_DRS_READS], resources: ['*'] }),
    new iam.PolicyStatement({
      sid: 'TerminateRecoveryInstances',
      actions: [CLEANUP_DRS_TERMINATE],
      resources: [recoveryInstances],
    }),
    new iam.PolicyStatement({
      sid: 'ReadWhatTerminationNeeds',
      actions: ['ec2:DescribeInstances', 'ec2:DescribeVolumes'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'TerminateDrsInstances',
      actions: ['ec2:TerminateInstances'],
      resources: [`arn:${partition}:ec2:${region}:${account}:instance/*`],
      conditions: { ...drsManaged, ...viaService },
    }),
    new iam.PolicyStatement({
      sid: 'DeleteDrsVolumes',
      actions: ['ec2:DeleteVolume'],
      resources: [`arn:${partition}:ec2:${region}:${account}:volume/*`],
      conditions: { ...drsManaged, ...viaService },
    }),
  ];
}

/** `arn:<partition>:states:<region>:<account>:execution:<stateMachineName>`, as `grantExecution` writes it. */
function executionArnPrefix(stateMachine: IStateMachine): string {
  return Stack.of(stateMachine).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: Arn.split(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
