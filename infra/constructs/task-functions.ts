import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env';
import { type AslState, allStates, placeholdersOf, readAsl } from '../../statemachine/definition';
import {
  DRS_ACTIONS,
  drsStatements,
  LAUNCH_ACTIONS_MANAGED_POLICY,
  PINNED_DRS_REASON,
  recoveryLaunchStatements,
  wildcardResourcesOf,
} from './drs-permissions';
import { acknowledge, acknowledgeWildcardResources, nagName } from './nag';
import { OrchestratorFunction } from './orchestrator-function';
import { grantPlanReads, grantRecordReads, grantRecords } from './records-access';
import { type WaveActionFunctions, waveActionEnvironment } from './wave-action-grant';

interface WorkflowTask {
  readonly description: string;
  /** Reads and writes the execution records (true), or only reads them ('read'). */
  readonly records: boolean | 'read';
  /**
   * Reads the stored plans (executions started by planId).
   * @default false
   */
  readonly readsPlans?: boolean;
  /**
   * The DRS read actions it calls.
   * @default - none
   */
  readonly drsActions?: readonly string[];
  /**
   * Starts DRS recovery jobs (StartRecovery and what DRS requires of its caller to launch).
   * @default false
   */
  readonly launchesRecovery?: boolean;
  /**
   * Publishes to the notifications topic (an approval gate tells subscribers how to decide).
   * @default false
   */
  readonly notifies?: boolean;
  /**
   * Wakes task-token waits (SendTaskSuccess on this workflow): a launch wait its launch results already decide, or waves admission decides.
   * @default false
   */
  readonly wakesWaits?: boolean;
}

/**
 * The Lambda function behind each `${...FunctionArn}` placeholder of the workflow definition. The
 * function's construct ID is the placeholder without `FunctionArn` and its code is the kebab-case of
 * that under `functions/` (BeginExecutionFunctionArn: `BeginExecution`, `functions/begin-execution`),
 * the same naming as the local runner's bindings (`local/task-functions.ts`).
 */
export const WORKFLOW_TASKS: Readonly<Record<string, WorkflowTask>> = {
  BeginExecutionFunctionArn: {
    description: 'Validates the plan, checks it against DRS and records the execution and its waves',
    records: true,
    readsPlans: true,
    drsActions: DRS_ACTIONS.beginExecution,
  },
  StartWaveFunctionArn: {
    description: 'Claims a wave and starts its DRS recovery job',
    records: true,
    drsActions: DRS_ACTIONS.startWave,
    launchesRecovery: true,
  },
  ClassifyWaveFunctionArn: {
    description: "Reads the wave's DRS job, decides its verdict from each server's launch state and records it",
    records: true,
    drsActions: DRS_ACTIONS.classifyWave,
  },
  FinishExecutionFunctionArn: {
    description: "Records the execution's end",
    records: true,
  },
  RequestApprovalFunctionArn: {
    description:
      "Opens a wave's approval gate: records it AWAITING_APPROVAL with its task token and notifies subscribers",
    records: true,
    notifies: true,
  },
  WaveActionsFunctionArn: {
    description: "Records each wave action's start (once, before Step Functions invokes it) and its result",
    records: true,
  },
  AwaitLaunchFunctionArn: {
    description:
      "Records a launching wave's task token on its DRS job, for the launch result events to wake it; wakes it itself when earlier results decide it",
    records: true,
    wakesWaits: true,
  },
  AdmitWaveFunctionArn: {
    description:
      "Admits waves: records a waiting wave's task token and, at its wait and at each wave's verdict, sends the waves that may start (dependencies COMPLETED, room) or never can (onWaveFailure, recorded NOT_STARTED) their decision",
    records: true,
    wakesWaits: true,
    drsActions: DRS_ACTIONS.admitWave,
  },
};

/**
 * The function timeout of a task-token wait's function. Its state's timeout is the decision's
 * deadline (minutes to a week), not the invocation's: the function itself writes one record and
 * publishes one notification.
 */
export const TOKEN_WAIT_FUNCTION_TIMEOUT_SECONDS = 30;

/**
 * How much sooner a task function times out than its Task state. A slow attempt then ends as the
 * function's own timeout (`Sandbox.Timedout`, which the workflow retries) with the invoke's own
 * overhead (a cold start, the response) still inside the state's `TimeoutSeconds`.
 */
export const TASK_TIMEOUT_MARGIN_SECONDS = 15;

/**
 * The function timeout of each task: the shortest `TimeoutSeconds` of the plain Task states that
 * invoke it, less the margin. A token wait's timeout is a decision's deadline or a fallback, never
 * its function's budget: a function only token waits invoke gets TOKEN_WAIT_FUNCTION_TIMEOUT_SECONDS,
 * and one a plain Task invokes too (admit-wave: ADMIT waits, WAKE does not; both run the same
 * admission round) keeps that Task's budget. A token wait's fixed timeout must leave its function's
 * timeout and the margin inside it, so a slow attempt ends as Sandbox.Timedout (retried), never as
 * the deadline or the fallback.
 */
export function taskTimeoutsOf(definition: string): Record<string, number> {
  const timeouts: Record<string, number> = {};
  const waits: { name: string; waiter: string; timeout: unknown }[] = [];
  for (const [name, state] of allStates(JSON.parse(definition) as { States: Record<string, AslState> })) {
    if (state.Type !== 'Task') continue;
    // The operator's wave action functions run through Step Functions' own integration, not as our tasks.
    if (state.Resource === 'arn:aws:states:::lambda:invoke') continue;
    if (state.Resource?.endsWith('.waitForTaskToken')) {
      const invoked = (state as { Parameters?: { FunctionName?: string } }).Parameters?.FunctionName ?? '';
      const waiter = /^\$\{(\w+)\}$/.exec(invoked)?.[1];
      if (!waiter) throw new Error(`Task state '${name}' waits for a token but invokes no \${...FunctionArn}`);
      waits.push({ name, waiter, timeout: (state as { TimeoutSeconds?: unknown }).TimeoutSeconds });
      continue;
    }
    const placeholder = /^\$\{(\w+)\}$/.exec(state.Resource ?? '')?.[1];
    const stateTimeout = (state as { TimeoutSeconds?: unknown }).TimeoutSeconds;
    if (!placeholder || typeof stateTimeout !== 'number' || stateTimeout <= TASK_TIMEOUT_MARGIN_SECONDS) {
      throw new Error(
        `Task state '${name}' needs a \${...FunctionArn} Resource and a TimeoutSeconds above ${TASK_TIMEOUT_MARGIN_SECONDS}, so its function can time out first`,
      );
    }
    const timeout = stateTimeout - TASK_TIMEOUT_MARGIN_SECONDS;
    timeouts[placeholder] = Math.min(timeouts[placeholder] ?? timeout, timeout);
  }
  for (const { name, waiter, timeout } of waits) {
    const budget = timeouts[waiter] ?? TOKEN_WAIT_FUNCTION_TIMEOUT_SECONDS;
    timeouts[waiter] = budget;
    if (typeof timeout === 'number' && timeout <= budget + TASK_TIMEOUT_MARGIN_SECONDS) {
      throw new Error(
        `Task state '${name}' waits for a token with a TimeoutSeconds of ${timeout}: it needs more than its function's ${budget} s and the ${TASK_TIMEOUT_MARGIN_SECONDS} s margin, so a slow attempt times out as the function first`,
      );
    }
  }
  return timeouts;
}

export const taskConstructId = (placeholder: string) => placeholder.replace(/FunctionArn$/, '');
export const taskCode = (placeholder: string) =>
  taskConstructId(placeholder)
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();

/**
 * Concurrency reserved for each task function by default. A running recovery needs one invocation
 * at a time per execution (the waves run in order), so 10 covers ten executions polling at once,
 * with room for retries, and an API flood or another function in the account cannot take it. The
 * eight functions reserve 80 of the account's concurrency, which must keep 100 unreserved.
 */
export const DEFAULT_TASK_RESERVED_CONCURRENCY = 10;

export interface TaskFunctionsProps {
  /**
   * Concurrency reserved for each task function (context `taskReservedConcurrency`); 0: none (an
   * account whose concurrency quota is under 100 + 8 × this value cannot reserve it).
   * @default DEFAULT_TASK_RESERVED_CONCURRENCY
   */
  readonly reservedConcurrency?: number;
  readonly executionsTable: ITable;
  readonly plansTable: ITable;
  /**
   * DRS_MAX_* overrides for the first task's preflight.
   * @default - the DRS quotas' documented defaults
   */
  readonly preflightEnvironment?: Readonly<Record<string, string>>;
  /**
   * Extra roles DRS may pass to recovery instances (custom instance profiles in the EC2 launch templates).
   * @default - only DRS's own instance roles
   */
  readonly recoveryInstanceRoleArns?: readonly string[];
  /** The notifications topic and its key, for the tasks that notify (the approval gate). */
  readonly notifications: { readonly topic: ITopic; readonly key: IKey };
  /**
   * The wave action functions plans may name (`wave-action-grant.ts`): the first task refuses others.
   * @default - none
   */
  readonly waveActionFunctions?: WaveActionFunctions;
}

/** The workflow's task functions, each with exactly the permissions its code needs. */
export class TaskFunctions extends Construct {
  /** Placeholder (e.g. `StartWaveFunctionArn`) → the function that fills it. */
  readonly byPlaceholder: Readonly<Record<string, IFunction>>;
  readonly functions: Readonly<Record<string, OrchestratorFunction>>;

  constructor(scope: Construct, id: string, props: TaskFunctionsProps) {
    super(scope, id);
    const definition = readAsl();
    assertTasksMatch(definition);
    const timeouts = taskTimeoutsOf(definition);

    const functions: Record<string, OrchestratorFunction> = {};
    for (const [placeholder, task] of Object.entries(WORKFLOW_TASKS)) {
      const fn = new OrchestratorFunction(this, taskConstructId(placeholder), {
        code: taskCode(placeholder),
        description: task.description,
        timeout: Duration.seconds(timeouts[placeholder] as number),
        reservedConcurrentExecutions: props.reservedConcurrency ?? DEFAULT_TASK_RESERVED_CONCURRENCY,
        environment: {
          [ENV.executionsTableName]: props.executionsTable.tableName,
          ...(task.readsPlans
            ? {
                [ENV.plansTableName]: props.plansTable.tableName,
                ...props.preflightEnvironment,
                ...waveActionEnvironment(this, props.waveActionFunctions ?? {}),
              }
            : {}),
          ...(task.notifies ? { [ENV.notificationTopicArn]: props.notifications.topic.topicArn } : {}),
        },
        ...(task.drsActions || task.launchesRecovery
          ? {
              wildcardResourceReason:
                'Its DRS reads DescribeJobs and DescribeSourceServers list across the account: the Service Authorization Reference names no resource type for them (nor for ListTagsForResource), and the AWS managed DRS policies grant them on *.',
            }
          : {}),
      });
      if (task.records === 'read') grantRecordReads(fn.role, props.executionsTable);
      else if (task.records) grantRecords(fn.role, props.executionsTable);
      if (task.readsPlans) grantPlanReads(fn.role, props.plansTable);
      if (task.drsActions) {
        const statements = drsStatements(this, task.drsActions);
        for (const statement of statements) fn.role.addToPrincipalPolicy(statement);
        acknowledgeWildcardResources(
          fn.role,
          wildcardResourcesOf(statements).filter((resource) => resource !== '*'),
          PINNED_DRS_REASON,
        );
      }
      if (task.launchesRecovery) this.grantRecoveryLaunch(fn, props.recoveryInstanceRoleArns);
      if (task.notifies) {
        // sns:Publish on the topic, and the two KMS actions SNS needs of a publisher to an encrypted topic.
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [props.notifications.topic.topicArn] }),
        );
        props.notifications.key.grant(fn.role, 'kms:GenerateDataKey', 'kms:Decrypt');
      }
      functions[placeholder] = fn;
    }
    this.functions = functions;
    this.byPlaceholder = Object.fromEntries(Object.entries(functions).map(([name, fn]) => [name, fn.function]));
  }

  /**
   * SendTaskSuccess/SendTaskFailure on this workflow for the tasks that wait for a token (a retried
   * gate delivers a decision an earlier attempt's token could not take). A policy of its own, made
   * once the workflow exists: the workflow names the function, so the function's role cannot wait for it.
   */
  grantTaskResponses(stateMachine: IStateMachine): void {
    for (const [placeholder, task] of Object.entries(WORKFLOW_TASKS)) {
      const fn = this.functions[placeholder];
      if (!(task.notifies || task.wakesWaits) || !fn) continue;
      new iam.Policy(fn, 'TaskResponsePolicy', {
        roles: [fn.role],
        statements: [
          new iam.PolicyStatement({
            // A launch wait is only ever woken (success); a gate's decision may also reject (failure).
            actions: task.notifies ? ['states:SendTaskSuccess', 'states:SendTaskFailure'] : ['states:SendTaskSuccess'],
            resources: [stateMachine.stateMachineArn],
          }),
        ],
      });
    }
  }

  /** StartRecovery and what DRS requires of its caller to launch (see `recoveryLaunchStatements`). */
  private grantRecoveryLaunch(fn: OrchestratorFunction, recoveryInstanceRoleArns?: readonly string[]): void {
    const statements = recoveryLaunchStatements(this, { recoveryInstanceRoleArns });
    const policy = new iam.Policy(fn, 'RecoveryLaunchPolicy', { statements, roles: [fn.role] });
    acknowledgeWildcardResources(
      policy,
      wildcardResourcesOf(statements).filter((resource) => resource !== '*'),
      'DRS creates the jobs and recovery instances (drs:TagResource, only at their creation) and the launch templates, volumes, snapshots, network interfaces and instances of a recovery, so their IDs are not known in advance, and a plan may name any source server of the account: the patterns are pinned to this partition, region and account (images, subnets, VPCs and security groups may belong to another account) and every write is conditioned, as in AWSElasticDisasterRecoveryConsoleFullAccess_v2, on aws:ViaAWSService or aws:CalledVia drs.amazonaws.com and on the AWSElasticDisasterRecoveryManaged tag.',
    );
    acknowledge(
      policy,
      'AwsSolutions-IAM5[Resource::*]',
      "drs:ListTagsForResource acts on jobs and recovery instances DRS creates during the launch (the Service Authorization Reference names no resource type for it; the managed DRS policies grant it on *); drs:TagResource is limited to this account's jobs and recovery instances at their creation; StartRecovery and CreateRecoveryInstanceForDrs are pinned to this account's source servers; the EC2 Describe*/GetEbs* reads support no resource-level permissions.",
    );
    const launchActions = iam.ManagedPolicy.fromAwsManagedPolicyName(LAUNCH_ACTIONS_MANAGED_POLICY);
    fn.role.addManagedPolicy(launchActions);
    acknowledge(
      fn.role,
      `AwsSolutions-IAM4[Policy::${nagName(this, launchActions.managedPolicyArn)}]`,
      'Post-launch actions (SSM automation) run with the credentials of whoever started the recovery; the DRS user guide names this AWS managed policy for them. Every SSM write in it requires aws:CalledVia drs.amazonaws.com, and AWS keeps its list of Amazon-owned SSM documents current.',
    );
  }
}

/** Fails the synth when the definition's placeholders and the task list disagree, in either direction. */
export function assertTasksMatch(definition: string): void {
  const placeholders = placeholdersOf(definition);
  const unbound = [...placeholders].filter((name) => !(name in WORKFLOW_TASKS));
  const unused = Object.keys(WORKFLOW_TASKS).filter((name) => !placeholders.has(name));
  if (unbound.length > 0 || unused.length > 0) {
    throw new Error(
      `statemachine/recovery-plan.asl.json and WORKFLOW_TASKS disagree: placeholders without a task [${unbound.join(', ')}], tasks the definition does not use [${unused.join(', ')}]. Add or remove the task in infra/constructs/task-functions.ts.`,
    );
  }
}
