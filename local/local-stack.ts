import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { handleExecutionEvent } from '../functions/execution-events/execution-events';
import type { Notification } from '../functions/execution-events/notification';
import { type CleanupRequested, requestCleanup } from '../functions/shared/cleanup-schedule';
import { createDocumentClient, createTaskDeps, type DrsTimeouts } from '../functions/shared/clients';
import { executionName } from '../functions/shared/execution-naming';
import { toResult } from '../functions/shared/execution-store';
import { validatePlan } from '../functions/shared/plan-rules';
import { reconcileOutcome } from '../functions/shared/reconcile-outcome';
import { STEP_FUNCTIONS_LIMITS } from '../functions/shared/step-functions-limits';
import { EXECUTION_TYPES } from '../functions/shared/types';
import type { ActionGrant } from '../functions/shared/wave-action-grant';
import { approvalHooks } from './approvals';
import { type LocalCleanupRun, LocalCleanupWorkflows } from './cleanup-workflows';
import { DrsSimulator, type Scenario } from './drs-simulator';
import { LOCAL_CREDENTIALS, LocalDynamoDb } from './dynamodb';
import { LocalEngine } from './engine';
import { LocalEventRouting } from './event-routing';
import type { ExecuteOptions, LocalRun, LocalRunResult } from './local-run';
import { SimulatedClock } from './simulated-clock';
import { LocalStepFunctions } from './step-functions';
import { injectTaskCrashes } from './task-crashes';
import type { LocalTaskDeps } from './task-functions';
import { TaskTokens } from './task-tokens';
import { SimulatedActionRunner } from './wave-action-runner';

export const LOCAL_REGION = 'us-east-1';
const REGION = LOCAL_REGION;
export const TABLE_NAME = 'drs-orchestrator-executions';
export const PLANS_TABLE_NAME = 'drs-orchestrator-plans';
/**
 * The DRS clients' timeouts on loopback, where the simulator answers in milliseconds: shorter than
 * on AWS (`DRS_TIMEOUTS`), so a call the scenario hangs (`hangTimes`) costs 3 real seconds, not 8.
 * They are real time: the simulated clock does not move while a task waits for DRS.
 */
const LOCAL_DRS_TIMEOUTS: DrsTimeouts = { connectionMs: 1_000, readRequestMs: 3_000, startRequestMs: 3_000 };

export type { ExecuteOptions, LocalRun, LocalRunResult } from './local-run';

/**
 * The local stack: the DRS simulator and dynalite on loopback, a simulated clock, and the real
 * task code with real SDK clients pointed at them. One stack can run several executions (a
 * concurrent second start of a plan, say); each runs the deployed ASL in its own `LocalEngine`.
 */
export class LocalStack {
  readonly notifications: Notification[] = [];
  /** Step Functions' task tokens (`.waitForTaskToken`), emulated in simulated time for every engine of the stack. */
  readonly tokens: TaskTokens;
  /** What the local engine really did, for execution-events' DescribeExecution (no event is taken on trust), and SendTask*. */
  readonly stepFunctions: LocalStepFunctions;
  /** The drill cleanup workflow's runs (scheduled when a drill ends, or on demand). */
  readonly cleanupWorkflows: LocalCleanupWorkflows;
  private deps: LocalTaskDeps | undefined;
  private scenarioApprovals: Scenario['approvals'];
  private dynamoDbEndpoint: string | undefined;
  private readonly dynamo = new LocalDynamoDb();
  private readonly startedAt: Date;
  private namedExecutions = 0;
  /** DRS's launch result events → the launch-events function (the scenario's `events`). */
  private routing: LocalEventRouting | undefined;

  /** The operator's wave action functions, answered as the scenario's `waveActions` say. */
  readonly actions: SimulatedActionRunner;

  private constructor(
    readonly simulator: DrsSimulator,
    readonly clock: SimulatedClock,
    waveActions: Scenario['waveActions'],
    tokens?: TaskTokens,
  ) {
    this.startedAt = clock.now();
    this.tokens = tokens ?? new TaskTokens(clock);
    this.stepFunctions = new LocalStepFunctions(undefined, this.tokens);
    this.actions = new SimulatedActionRunner(waveActions ?? {}, clock);
    this.cleanupWorkflows = new LocalCleanupWorkflows(() => this.taskDeps(), clock);
  }

  /**
   * Starts the stack; `planServerIDs` is the default inventory when the scenario lists none.
   * `actionGrant`: the wave action functions the first task accepts, as a deployment's are (absent:
   * any, since the local runner simulates every action function). The web console's server
   * (`local/console/`) passes its own clock and tables (`shared`): one dynalite for every
   * execution, each execution with a simulator of its own scenario.
   */
  static async start(options: {
    scenario: Scenario;
    planServerIDs: string[];
    actionGrant?: ActionGrant;
    /** `tokens`: one set of task tokens for every stack, so the API's decision reaches any execution's gate. */
    /** `idSeed`: DRS job and instance IDs of this stack's own, unique among the stacks sharing the tables. */
    shared?: { clock: SimulatedClock; dynamoDbEndpoint?: string; tokens?: TaskTokens; idSeed?: string };
  }): Promise<LocalStack> {
    const clock = options.shared?.clock ?? new SimulatedClock();
    let stack: LocalStack | undefined;
    const simulator = new DrsSimulator({
      scenario: options.scenario,
      clock,
      planServerIDs: options.planServerIDs,
      ...(options.shared?.idSeed ? { idSeed: options.shared.idSeed } : {}),
      onLaunchEvents: (events) => stack?.routing?.emitted(events),
    });
    stack = new LocalStack(simulator, clock, options.scenario.waveActions, options.shared?.tokens);
    try {
      const drsEndpoint = await stack.simulator.start();
      let dynamoDbEndpoint = options.shared?.dynamoDbEndpoint;
      if (!dynamoDbEndpoint) {
        dynamoDbEndpoint = await stack.dynamo.start();
        await stack.dynamo.createExecutionsTable(TABLE_NAME, REGION);
        await stack.dynamo.createPlansTable(PLANS_TABLE_NAME, REGION);
      }
      stack.dynamoDbEndpoint = dynamoDbEndpoint;
      const deps = createTaskDeps({
        region: REGION,
        executionsTableName: TABLE_NAME,
        plansTableName: PLANS_TABLE_NAME,
        clock,
        drsEndpoint,
        dynamoDbEndpoint,
        credentials: LOCAL_CREDENTIALS,
        drsTimeouts: LOCAL_DRS_TIMEOUTS,
        ...(options.actionGrant ? { actionGrant: options.actionGrant } : {}),
      });
      injectTaskCrashes(deps.store, options.scenario.taskCrashes ?? {});
      stack.scenarioApprovals = options.scenario.approvals;
      stack.deps = {
        ...deps,
        sfn: stack.stepFunctions,
        // The gate's notification goes where the execution's others go: kept in memory, not sent.
        notify: async (notification) => {
          stack?.notifications.push(notification);
        },
      };
      stack.routing = new LocalEventRouting(
        stack.tokens,
        { store: deps.store, sfn: stack.stepFunctions },
        options.scenario.events,
      );
    } catch (error) {
      await stack.close();
      throw error;
    }
    return stack;
  }

  /** Every item of both tables, read page by page (the benchmark measures item sizes). */
  async *items(): AsyncGenerator<Record<string, unknown>> {
    const db = createDocumentClient({
      region: REGION,
      credentials: LOCAL_CREDENTIALS,
      ...(this.dynamoDbEndpoint ? { dynamoDbEndpoint: this.dynamoDbEndpoint } : {}),
    });
    try {
      for (const TableName of [TABLE_NAME, PLANS_TABLE_NAME]) {
        for await (const page of paginateScan({ client: db }, { TableName })) yield* page.Items ?? [];
      }
    } finally {
      db.destroy();
    }
  }

  get store() {
    return this.taskDeps().store;
  }

  /** Stores a plan (as the API does), so executions can start it by ID: `{ planId, executionType }`. */
  async storePlan(plan: unknown): Promise<void> {
    const plans = this.taskDeps().plans;
    if (!plans) throw new Error('the local stack has no plans table');
    await plans.put(validatePlan(plan), this.clock.now());
  }

  /**
   * Runs one execution to its end, then delivers its status change as EventBridge would. Throws
   * InvalidExecutionInput, as StartExecution refuses it, for an input over 256 KiB: no execution starts.
   */
  async execute(options: ExecuteOptions): Promise<LocalRun> {
    const inputBytes = Buffer.byteLength(JSON.stringify(options.input) ?? '', 'utf8');
    const maxBytes = options.limits?.payloadBytes ?? STEP_FUNCTIONS_LIMITS.payloadBytes;
    if (inputBytes > maxBytes) {
      throw Object.assign(
        new Error(`the execution input is ${inputBytes} bytes, more than the ${maxBytes} Step Functions accepts`),
        { name: 'InvalidExecutionInput' },
      );
    }
    const deps = this.taskDeps();
    const executionId = options.executionName ?? this.nameFor(options.input);
    const executionArn = this.stepFunctions.executionArn(executionId);
    const startedAt = this.clock.now();
    const sent = this.notifications.length;
    const invoked = this.actions.invocations.length;
    const routed = this.routing?.launchEvents.length ?? 0;
    const events = handleExecutionEvent({
      store: deps.store,
      sfn: this.stepFunctions,
      stateMachineArn: this.stepFunctions.stateMachineArn,
      clock: this.clock,
      notify: async (notification) => {
        this.notifications.push(notification);
      },
      cleanupWorkflows: this.cleanupWorkflows,
    });
    const statusChange = (status: string, extra: { error?: string; cause?: string } = {}) =>
      events({
        detail: {
          executionArn,
          stateMachineArn: this.stepFunctions.stateMachineArn,
          name: executionId,
          status,
          input: JSON.stringify(options.input),
          stopDate: this.clock.now().getTime(),
          ...extra,
        },
      });

    this.stepFunctions.started(executionId, options.input, startedAt);
    await statusChange('RUNNING');
    const approvals = options.approvals ?? { ...(this.scenarioApprovals ? { scenario: this.scenarioApprovals } : {}) };
    const gates = approvalHooks({
      store: deps.store,
      sfn: this.stepFunctions,
      tokens: this.tokens,
      clock: this.clock,
      approvals: { scenario: this.scenarioApprovals, ...approvals },
      onProgress: (event) => options.onProgress?.(event),
    });
    const engine = new LocalEngine(deps, this.clock, { ...gates, actions: this.actions, ...options }, this.tokens);
    const workflow = await engine.run(options.input, executionId, executionArn);
    this.stepFunctions.ended(executionId, workflow, this.clock.now());
    await engine.settle();
    await statusChange(workflow.status, {
      ...(workflow.error ? { error: workflow.error } : {}),
      ...(workflow.cause ? { cause: workflow.cause } : {}),
    });

    if (options.cleanupNow) await this.cleanup(executionId);

    const loaded = await deps.store.loadExecution(executionId);
    const recorded = loaded ? toResult(loaded.execution, loaded.waves, { withServers: true }) : undefined;
    const result = reconcileOutcome(recorded, workflow, identityOf(executionId, options.input));
    return {
      result: { ...result, drs: this.simulator.counts() } as LocalRunResult,
      workflow,
      jobs: this.simulator.jobs(),
      simulatedSeconds: (this.clock.now().getTime() - startedAt.getTime()) / 1000,
      taskCalls: engine.taskCalls,
      retries: engine.retries,
      historyEvents: engine.limits.historyEvents,
      notifications: this.notifications.slice(sent),
      actionInvocations: this.actions.invocations.slice(invoked),
      ...(loaded ? { records: loaded } : {}),
      launchEvents: this.routing?.launchEvents.slice(routed) ?? [],
    };
  }

  /**
   * A cleanup on demand, as the API and the CLI ask for one (`requestCleanup`: refused for a
   * RECOVERY or a live drill, nothing to do when already claimed or done), its run then carried
   * out at once in the local engine.
   */
  async cleanup(executionId: string): Promise<CleanupRequested & { runs: LocalCleanupRun[] }> {
    const requested = await requestCleanup(
      { store: this.store, workflows: this.cleanupWorkflows, clock: this.clock },
      executionId,
    );
    return { ...requested, runs: await this.cleanupWorkflows.runPending('on-demand') };
  }

  /**
   * Runs the scheduled cleanups started so far, each waiting (in simulated time) until it is due.
   * `evenIfStopped`: also those a cleanup on demand stopped, as a run whose stop came too late.
   */
  runScheduledCleanups(options: { evenIfStopped?: boolean } = {}): Promise<LocalCleanupRun[]> {
    return this.cleanupWorkflows.runPending('scheduled', options);
  }

  /** One execution's result from the records, with every server. */
  async result(executionId: string) {
    const loaded = await this.store.loadExecution(executionId);
    return loaded ? toResult(loaded.execution, loaded.waves, { withServers: true }) : undefined;
  }

  /** Simulated seconds since the stack started. */
  get elapsedSeconds(): number {
    return (this.clock.now().getTime() - this.startedAt.getTime()) / 1000;
  }

  async close(): Promise<void> {
    this.deps?.drs.destroy();
    this.deps?.drsStart.destroy();
    await this.simulator.stop();
    await this.dynamo.stop();
  }

  /**
   * The API's name for this input, `<planId>-<type>-<start time>-<6 hex>`. The hex is the stack's
   * count of named executions rather than random, so the same run gives the same name every time
   * while two starts in one simulated second still differ.
   */
  private nameFor(input: unknown): string {
    this.namedExecutions++;
    const { planId, executionType } = identityOf('', input);
    return executionName({
      planId,
      // An input the workflow will reject still needs a name; its first task names the problem.
      executionType: EXECUTION_TYPES.find((type) => type === executionType.toUpperCase()) ?? 'DRILL',
      at: this.clock.now(),
      randomHex: this.namedExecutions.toString(16).padStart(6, '0'),
    });
  }

  private taskDeps(): LocalTaskDeps {
    if (!this.deps) throw new Error('the local stack is not started');
    return this.deps;
  }
}

/** Who an execution is, from its raw input: `{ plan, executionType }` or `{ planId, executionType }`. */
function identityOf(executionId: string, input: unknown) {
  const raw = input as { plan?: { planId?: unknown }; planId?: unknown; executionType?: unknown } | null;
  const planId = raw?.plan?.planId ?? raw?.planId;
  return {
    executionId,
    planId: typeof planId === 'string' ? planId : 'unknown',
    executionType: typeof raw?.executionType === 'string' ? raw.executionType : 'unknown',
  };
}
