import { CfnOutput, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DrillCleanup } from '../constructs/drill-cleanup';
import { ExecutionEvents } from '../constructs/execution-events';
import { LaunchEvents } from '../constructs/launch-events';
import { Notifications } from '../constructs/notifications';
import { Observability } from '../constructs/observability';
import { OperatorPolicies } from '../constructs/operator-policies';
import { API_STAGE_NAME, OrchestratorApi } from '../constructs/orchestrator-api';
import { RecoveryWorkflow } from '../constructs/recovery-workflow';
import { ReportsBucket } from '../constructs/reports-bucket';
import { RecordTables } from '../constructs/tables';
import { TaskFunctions } from '../constructs/task-functions';
import type { WaveActionFunctions } from '../constructs/wave-action-grant';
import { WebConsole } from '../constructs/web-console';

/** The stack outputs the CLI and the docs read, by their output key. */
export const STACK_OUTPUTS = {
  stateMachineArn: 'StateMachineArn',
  apiUrl: 'ApiUrl',
  executionsTableName: 'ExecutionsTableName',
  plansTableName: 'PlansTableName',
  notificationTopicArn: 'NotificationTopicArn',
  drillOperatorPolicyArn: 'DrillOperatorPolicyArn',
  recoveryOperatorPolicyArn: 'RecoveryOperatorPolicyArn',
  reportsBucketName: 'ReportsBucketName',
  consoleUrl: 'ConsoleUrl',
  consoleUserPoolId: 'ConsoleUserPoolId',
} as const;

export interface DrsOrchestratorStackProps extends StackProps {
  /**
   * The default of the NotificationEmail parameter (context `notificationEmail`).
   * @default - no email subscription
   */
  readonly notificationEmail?: string;
  /**
   * Roles DRS may pass to recovery instances beyond its own (custom instance profiles set in the EC2
   * launch templates of your source servers); context `recoveryInstanceRoleArns`, comma-separated.
   * @default - only DRS's own instance roles
   */
  readonly recoveryInstanceRoleArns?: readonly string[];
  /**
   * The DRS quotas of the account, where they differ from the defaults (100 servers per job, 20
   * concurrent jobs, 500 servers in all jobs); context `drsMaxServersPerJob`, `drsMaxConcurrentJobs`,
   * `drsMaxServersInAllJobs`. The preflight (first task, API start route) checks plans against them.
   * @default - the DRS quotas' documented defaults
   */
  readonly drsLimitsEnvironment?: Readonly<Record<string, string>>;
  /**
   * Concurrency reserved for each workflow task function; 0: none (context `taskReservedConcurrency`).
   * @default DEFAULT_TASK_RESERVED_CONCURRENCY (10)
   */
  readonly taskReservedConcurrency?: number;
  /**
   * The API stage's throttling (contexts `apiThrottlingRateLimit`, `apiThrottlingBurstLimit`).
   * @default DEFAULT_API_THROTTLING (10 requests per second, burst 20)
   */
  readonly apiThrottling?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Whether the stack sets API Gateway's account-wide CloudWatch logging role (context
   * `apiGatewayCloudWatchRole`, "false" to leave the account's own role alone).
   * @default true
   */
  readonly apiGatewayCloudWatchRole?: boolean;
  /**
   * The Lambda functions plans may run as wave actions (contexts `waveActionFunctionArns`,
   * comma-separated ARNs, and `waveActionFunctionPrefix`, a function name prefix). The workflow may
   * invoke exactly these; the first task refuses a plan naming another.
   * @default - none: a plan with wave actions is refused (InvalidPlan)
   */
  readonly waveActionFunctions?: WaveActionFunctions;
  /**
   * Days each execution's report (and the reports bucket's access logs) is kept before S3 expires it
   * (context `reportRetentionDays`).
   * @default DEFAULT_REPORT_RETENTION_DAYS (365)
   */
  readonly reportRetentionDays?: number;
  /**
   * The built web console (context `consoleAssetsDirectory`); synth fails if it has no index.html.
   * @default console/dist (`npm run build:console`)
   */
  readonly consoleAssetsDirectory?: string;
}

/**
 * drs-orchestrator in one stack, environment-agnostic (no lookups): deploy it in the region where DRS
 * replicates your source servers.
 *
 * Construct IDs are a public contract: renaming one replaces the resource (and for the RETAIN tables,
 * orphans the old one). The tree: Records/{Executions,Plans}, Tasks/<Task>/{Function,Role,Logs},
 * Workflow/{StateMachine,Logs},
 * DrillCleanup/{TerminateDrillInstances,CheckDrillCleanup,StateMachine,Logs}, Notifications/{Key,Topic,EmailSubscription}, ExecutionEvents/{Handler,
 * StatusChangeRule,DeadLetterQueue}, LaunchEvents/{Handler,LaunchResultRule}, Reports/{Bucket,AccessLogs}, Api/{Handler,RestApi,AccessLogs},
 * OperatorPolicies/{DrillOperator,RecoveryOperator}, Observability/{FailedExecutionsAlarm,Dashboard},
 * Console/{UserPool,IdentityPool,AdminRole,ViewerRole,Assets,Distribution,Deploy}.
 */
export class DrsOrchestratorStack extends Stack {
  readonly records: RecordTables;
  readonly tasks: TaskFunctions;
  readonly workflow: RecoveryWorkflow;
  readonly drillCleanup: DrillCleanup;
  readonly notifications: Notifications;
  readonly executionEvents: ExecutionEvents;
  readonly reports: ReportsBucket;
  readonly launchEvents: LaunchEvents;
  readonly api: OrchestratorApi;
  readonly operatorPolicies: OperatorPolicies;
  readonly observability: Observability;
  readonly webConsole: WebConsole;

  constructor(scope: Construct, id: string, props: DrsOrchestratorStackProps = {}) {
    super(scope, id, {
      description:
        'drs-orchestrator: wave-by-wave AWS Elastic Disaster Recovery drills and recoveries on Step Functions',
      ...props,
    });

    const notificationEmail = new CfnParameter(this, 'NotificationEmail', {
      type: 'String',
      default: props.notificationEmail ?? '',
      allowedPattern: '^$|^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
      constraintDescription: 'an email address, or empty for no email subscription',
      description:
        'An email address to notify of execution outcomes and alarms (AWS sends it a confirmation link first). Empty: no subscription.',
    });

    this.records = new RecordTables(this, 'Records');
    // Before the tasks: the approval gate's task notifies subscribers (construct IDs are unchanged).
    this.notifications = new Notifications(this, 'Notifications', { email: notificationEmail.valueAsString });
    this.tasks = new TaskFunctions(this, 'Tasks', {
      notifications: this.notifications,
      executionsTable: this.records.executions,
      plansTable: this.records.plans,
      ...(props.drsLimitsEnvironment ? { preflightEnvironment: props.drsLimitsEnvironment } : {}),
      ...(props.recoveryInstanceRoleArns ? { recoveryInstanceRoleArns: props.recoveryInstanceRoleArns } : {}),
      ...(props.taskReservedConcurrency !== undefined ? { reservedConcurrency: props.taskReservedConcurrency } : {}),
      ...(props.waveActionFunctions ? { waveActionFunctions: props.waveActionFunctions } : {}),
    });
    this.workflow = new RecoveryWorkflow(this, 'Workflow', {
      tasks: this.tasks.byPlaceholder,
      ...(props.waveActionFunctions ? { waveActionFunctions: props.waveActionFunctions } : {}),
    });
    this.tasks.grantTaskResponses(this.workflow.stateMachine);
    this.drillCleanup = new DrillCleanup(this, 'DrillCleanup', { executionsTable: this.records.executions });
    this.reports = new ReportsBucket(this, 'Reports', {
      ...(props.reportRetentionDays !== undefined ? { retentionDays: props.reportRetentionDays } : {}),
    });
    this.executionEvents = new ExecutionEvents(this, 'ExecutionEvents', {
      stateMachine: this.workflow.stateMachine,
      executionsTable: this.records.executions,
      topic: this.notifications.topic,
      topicKey: this.notifications.key,
      cleanupStateMachine: this.drillCleanup.stateMachine,
      reports: this.reports,
    });
    this.drillCleanup.grantStartAndStop(this.executionEvents.handler.role);
    this.launchEvents = new LaunchEvents(this, 'LaunchEvents', {
      stateMachine: this.workflow.stateMachine,
      executionsTable: this.records.executions,
    });
    this.api = new OrchestratorApi(this, 'Api', {
      executionsTable: this.records.executions,
      plansTable: this.records.plans,
      stateMachine: this.workflow.stateMachine,
      cleanupStateMachine: this.drillCleanup.stateMachine,
      ...(props.drsLimitsEnvironment ? { preflightEnvironment: props.drsLimitsEnvironment } : {}),
      ...(props.apiThrottling ? { throttling: props.apiThrottling } : {}),
      ...(props.apiGatewayCloudWatchRole !== undefined ? { cloudWatchRole: props.apiGatewayCloudWatchRole } : {}),
    });
    this.drillCleanup.grantStartAndStop(this.api.handler.role);
    this.operatorPolicies = new OperatorPolicies(this, 'OperatorPolicies', {
      api: this.api.api,
      stageName: API_STAGE_NAME,
    });
    this.observability = new Observability(this, 'Observability', {
      stateMachine: this.workflow.stateMachine,
      topic: this.notifications.topic,
    });

    this.webConsole = new WebConsole(this, 'Console', {
      api: this.api.api,
      stageName: API_STAGE_NAME,
      ...(props.consoleAssetsDirectory ? { assetsDirectory: props.consoleAssetsDirectory } : {}),
    });

    new CfnOutput(this, STACK_OUTPUTS.stateMachineArn, {
      description: 'The recovery workflow: start a drill or recovery here (or through the API)',
      value: this.workflow.stateMachine.stateMachineArn,
    });
    new CfnOutput(this, STACK_OUTPUTS.apiUrl, {
      description: 'The REST API (IAM-authorized, SigV4), stage v1',
      value: this.api.api.url,
    });
    new CfnOutput(this, STACK_OUTPUTS.executionsTableName, {
      description: 'The execution records (executions, waves, servers)',
      value: this.records.executions.tableName,
    });
    new CfnOutput(this, STACK_OUTPUTS.plansTableName, {
      description: 'The recovery plans',
      value: this.records.plans.tableName,
    });
    new CfnOutput(this, STACK_OUTPUTS.notificationTopicArn, {
      description: 'Execution outcomes and alarms: subscribe here',
      value: this.notifications.topic.topicArn,
    });
    new CfnOutput(this, STACK_OUTPUTS.drillOperatorPolicyArn, {
      description: 'Attach to who runs drills: read plans and executions, start DRILLs (docs/security.md)',
      value: this.operatorPolicies.drillOperator.managedPolicyArn,
    });
    new CfnOutput(this, STACK_OUTPUTS.recoveryOperatorPolicyArn, {
      description: 'Attach to who may fail over: also start RECOVERYs and cancel executions (docs/security.md)',
      value: this.operatorPolicies.recoveryOperator.managedPolicyArn,
    });
    new CfnOutput(this, STACK_OUTPUTS.reportsBucketName, {
      description: `Each ended execution's report (reports/<planId>/<executionId>/report.html and .json), kept ${this.reports.retentionDays} days`,
      value: this.reports.bucket.bucketName,
    });
    new CfnOutput(this, STACK_OUTPUTS.consoleUrl, {
      description: 'The web console (sign in with a user of ConsoleUserPoolId in the admin or viewer group)',
      value: this.webConsole.url,
    });
    new CfnOutput(this, STACK_OUTPUTS.consoleUserPoolId, {
      description: "The console's Cognito user pool: add users and put them in a group here (docs/deploy.md)",
      value: this.webConsole.userPool.userPoolId,
    });
  }
}
