import type { Job } from '@aws-sdk/client-drs';
import { StateMachine } from 'aws-local-stepfunctions';
import { handleExecutionEvent } from '../functions/execution-events/execution-events';
import type { Notification } from '../functions/execution-events/notification';
import { createTaskDeps, type TaskDeps } from '../functions/shared/clients';
import { type ExecutionStore, toResult } from '../functions/shared/execution-store';
import { validatePlan } from '../functions/shared/plan-rules';
import type { ExecutionResult, ExecutionStatus, ServerStatus, WaveResult } from '../functions/shared/types';
import { type AslState, allStates, readAsl, substitute } from '../statemachine/definition';
import { type DrsCounts, DrsSimulator, type Scenario } from './drs-simulator';
import { LOCAL_CREDENTIALS, LocalDynamoDb } from './dynamodb';
import { SimulatedClock } from './simulated-clock';
import { localFunctionArn, TASK_FUNCTIONS } from './task-functions';

const REGION = 'us-east-1';
const TABLE_NAME = 'drs-orchestrator-executions';
const PLANS_TABLE_NAME = 'drs-orchestrator-plans';

/** Progress of a local run, in simulated time, for the CLI's display. */
export type ProgressEvent =
  | {
      type: 'execution-started';
      executionId: string;
      at: Date;
      waves: { index: number; name: string; servers: number }[];
    }
  | { type: 'wave-started'; index: number; name: string; jobId: string; at: Date }
  | { type: 'wave-polled'; index: number; name: string; status: string; counts: Record<string, number>; at: Date };

export interface LocalRunOptions {
  /** The execution input: `{ plan, executionType }`. */
  input: unknown;
  scenario: Scenario;
  executionName?: string;
  onProgress?: (event: ProgressEvent) => void;
}

export interface ExecuteOptions {
  input: unknown;
  executionName?: string;
  onProgress?: (event: ProgressEvent) => void;
  /** Stops the execution (as the console's Stop does) when this returns true for a progress event. */
  stopWhen?: (event: ProgressEvent) => boolean;
  /** Every event of the local engine's log, as it happens (the benchmark counts history events from them). */
  onEngineEvent?: (event: EngineEvent) => void;
}

/** The `--json` result of a local run: the records, with every server, plus the simulator's own counts. */
export type LocalRunResult = Omit<ExecutionResult, 'waves'> & {
  waves: (WaveResult & { servers: ServerStatus[] })[];
  drs: DrsCounts;
};

export interface LocalRun {
  result: LocalRunResult;
  /** How the workflow itself ended, for tests that compare it with the records. */
  workflow: { status: 'SUCCEEDED' | 'FAILED' | 'ABORTED'; error?: string; cause?: string; output?: unknown };
  /** The simulator's ground truth: every job DRS created. */
  jobs: Job[];
  simulatedSeconds: number;
  /** How many times each Task state's code ran (retries and the engine's stray Map iterations included). */
  taskCalls: Record<string, number>;
  /** How many times each Task state was retried by the workflow's Retry rules. */
  retries: Record<string, number>;
  /** What subscribers would have been told (the SNS topic on AWS). */
  notifications: Notification[];
}

/**
 * The local stack: the DRS simulator and dynalite on loopback, a simulated clock, and the real
 * task code with real SDK clients pointed at them. One stack can run several executions (a
 * concurrent second start of a plan, say); each runs the deployed ASL in aws-local-stepfunctions.
 */
export class LocalStack {
  readonly notifications: Notification[] = [];
  private deps: TaskDeps | undefined;
  private readonly dynamo = new LocalDynamoDb();
  private readonly startedAt: Date;

  private constructor(
    readonly simulator: DrsSimulator,
    readonly clock: SimulatedClock,
  ) {
    this.startedAt = clock.now();
  }

  /** Starts the stack; `planServerIDs` is the default inventory when the scenario lists none. */
  static async start(options: { scenario: Scenario; planServerIDs: string[] }): Promise<LocalStack> {
    const clock = new SimulatedClock();
    const simulator = new DrsSimulator({ scenario: options.scenario, clock, planServerIDs: options.planServerIDs });
    const stack = new LocalStack(simulator, clock);
    try {
      const drsEndpoint = await stack.simulator.start();
      const dynamoDbEndpoint = await stack.dynamo.start();
      await stack.dynamo.createExecutionsTable(TABLE_NAME, REGION);
      await stack.dynamo.createPlansTable(PLANS_TABLE_NAME, REGION);
      const deps = createTaskDeps({
        region: REGION,
        executionsTableName: TABLE_NAME,
        plansTableName: PLANS_TABLE_NAME,
        clock,
        drsEndpoint,
        dynamoDbEndpoint,
        credentials: LOCAL_CREDENTIALS,
      });
      injectTaskCrashes(deps.store, options.scenario.taskCrashes ?? {});
      stack.deps = deps;
    } catch (error) {
      await stack.close();
      throw error;
    }
    return stack;
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

  /** Runs one execution to its end, then delivers its status change as EventBridge would. */
  async execute(options: ExecuteOptions): Promise<Omit<LocalRun, 'notifications'> & { notifications: Notification[] }> {
    const deps = this.taskDeps();
    const executionId = options.executionName ?? localExecutionName(options.input, this.clock.now());
    const executionArn = `arn:aws:states:us-east-1:000000000000:execution:drs-orchestrator-local:${executionId}`;
    const startedAt = this.clock.now();
    const sent = this.notifications.length;
    const events = handleExecutionEvent({
      store: deps.store,
      clock: this.clock,
      notify: async (notification) => {
        this.notifications.push(notification);
      },
    });
    const statusChange = (status: string, extra: { error?: string; cause?: string } = {}) =>
      events({
        detail: {
          executionArn,
          name: executionId,
          status,
          input: JSON.stringify(options.input),
          stopDate: this.clock.now().getTime(),
          ...extra,
        },
      });

    await statusChange('RUNNING');
    const engine = new LocalEngine(deps, this.clock, options);
    const workflow = await engine.run(options.input, executionId, executionArn);
    await engine.settle();
    await statusChange(workflow.status, {
      ...(workflow.error ? { error: workflow.error } : {}),
      ...(workflow.cause ? { cause: workflow.cause } : {}),
    });

    const loaded = await deps.store.loadExecution(executionId);
    const recorded = loaded ? toResult(loaded.execution, loaded.waves, { withServers: true }) : undefined;
    const result = reconcile(executionId, options.input, recorded, workflow);
    return {
      result: { ...result, drs: this.simulator.counts() } as LocalRunResult,
      workflow,
      jobs: this.simulator.jobs(),
      simulatedSeconds: (this.clock.now().getTime() - startedAt.getTime()) / 1000,
      taskCalls: engine.taskCalls,
      retries: engine.retries,
      notifications: this.notifications.slice(sent),
    };
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

  private taskDeps(): TaskDeps {
    if (!this.deps) throw new Error('the local stack is not started');
    return this.deps;
  }
}

/**
 * Runs the deployed workflow definition in aws-local-stepfunctions with each Task bound to its
 * real task code, against dynalite and the DRS simulator on loopback, in simulated time.
 */
export async function runLocalExecution(options: LocalRunOptions): Promise<LocalRun> {
  const stack = await LocalStack.start({ scenario: options.scenario, planServerIDs: planServerIDs(options.input) });
  try {
    return await stack.execute(options);
  } finally {
    await stack.close();
  }
}

/** A crash of the task after its DRS call, before its DynamoDB write, as Lambda reports it. */
class InjectedTaskCrash extends Error {
  constructor(method: string) {
    super(`the task crashed before ExecutionStore.${method} (injected by the scenario's taskCrashes)`);
    this.name = 'Lambda.Unknown';
  }
}

/** Makes the first n calls of each named ExecutionStore method crash, as the scenario's `taskCrashes` say. */
function injectTaskCrashes(store: ExecutionStore, crashes: Record<string, number>): void {
  for (const [method, times] of Object.entries(crashes)) {
    const original = (store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[method];
    if (typeof original !== 'function')
      throw new Error(`taskCrashes names ${method}, which ExecutionStore does not have`);
    let remaining = times;
    Object.defineProperty(store, method, {
      value: async (...args: unknown[]) => {
        if (remaining > 0) {
          remaining--;
          throw new InjectedTaskCrash(method);
        }
        return original.apply(store, args);
      },
    });
  }
}

/**
 * The result comes from the records; the workflow's own ending can only make it worse, never
 * better: a run is COMPLETED only if the records say so and the workflow succeeded.
 */
function reconcile(
  executionId: string,
  input: unknown,
  recorded: ExecutionResult | undefined,
  workflow: LocalRun['workflow'],
): ExecutionResult {
  const fallback: ExecutionResult = recorded ?? {
    executionId,
    planId: String((input as { plan?: { planId?: unknown } })?.plan?.planId ?? 'unknown'),
    executionType: String((input as { executionType?: unknown })?.executionType ?? 'unknown'),
    status: 'FAILED',
    waves: [],
  };
  const ended: ExecutionStatus[] = ['FAILED', 'TIMED_OUT', 'CANCELLED'];
  if (workflow.status === 'SUCCEEDED' && fallback.status === 'COMPLETED') return fallback;
  if (workflow.status !== 'SUCCEEDED' && ended.includes(fallback.status)) return fallback;
  return {
    ...fallback,
    status: 'FAILED',
    error: workflow.error ?? 'RecordsInconsistent',
    cause: `the workflow ended ${workflow.status}${workflow.cause ? ` (${workflow.cause})` : ''} but the records say ${fallback.status}`,
  };
}

class LocalEngine {
  private inFlight = 0;
  readonly taskCalls: Record<string, number> = {};
  readonly retries: Record<string, number> = {};
  private readonly states: Map<string, AslState>;
  private readonly definition: { States: Record<string, AslState> };
  private readonly waveServers: number[];
  private readonly onProgress: (event: ProgressEvent) => void;
  private readonly onEngineEvent: ((event: EngineEvent) => void) | undefined;
  private abort: (() => void) | undefined;
  private stopped = false;

  constructor(
    private readonly deps: TaskDeps,
    private readonly clock: SimulatedClock,
    options: ExecuteOptions,
  ) {
    const input = options.input;
    this.onEngineEvent = options.onEngineEvent;
    this.onProgress = (event) => {
      options.onProgress?.(event);
      if (!this.stopped && options.stopWhen?.(event)) {
        this.stopped = true;
        this.abort?.();
      }
    };
    const substitutions = Object.fromEntries(Object.keys(TASK_FUNCTIONS).map((name) => [name, localFunctionArn(name)]));
    this.definition = JSON.parse(substitute(readAsl(), substitutions));
    this.states = allStates(this.definition);
    const waves = (input as { plan?: { waves?: { sourceServerIDs?: unknown[] }[] } })?.plan?.waves;
    this.waveServers = Array.isArray(waves)
      ? waves.map((w) => (Array.isArray(w?.sourceServerIDs) ? w.sourceServerIDs.length : 0))
      : [];
  }

  async run(input: unknown, executionId: string, executionArn: string): Promise<LocalRun['workflow']> {
    const machine = new StateMachine(this.definition as never);
    const handlers: Record<string, (event: unknown) => Promise<unknown>> = {};
    const waitTimeOverrides: Record<string, number> = {};
    const retryIntervalOverrides: Record<string, number> = {};
    for (const [name, state] of this.states) {
      if (state.Type === 'Task') handlers[name] = this.bind(name, state);
      // A 1 ms real pause: the simulated clock moves in the event loop's microtasks before it ends.
      if (state.Type === 'Wait') waitTimeOverrides[name] = 1;
      if (state.Retry) retryIntervalOverrides[name] = 0;
    }
    const startTime = this.clock.now().toISOString();
    const execution = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: handlers as never, waitTimeOverrides, retryIntervalOverrides },
      context: {
        Execution: {
          Id: executionArn,
          Name: executionId,
          Input: input as never,
          StartTime: startTime,
        },
        StateMachine: {
          Id: 'arn:aws:states:us-east-1:000000000000:stateMachine:drs-orchestrator-local',
          Name: 'drs-orchestrator-local',
        },
      },
    });
    this.abort = execution.abort;
    const following = this.follow(execution.eventLogs as AsyncIterable<EngineEvent>);
    try {
      const output = await execution.result;
      return { status: 'SUCCEEDED', output };
    } catch (error) {
      if ((error as Error).name === 'ExecutionAbortedError') return { status: 'ABORTED' };
      const failure = (error as { cause?: { name?: string; message?: string } }).cause ?? (error as Error);
      return { status: 'FAILED', error: failure.name ?? 'Error', cause: failure.message ?? String(error) };
    } finally {
      await following;
    }
  }

  /** Waits until no task is running: the local engine can start a Map iteration after the Map has failed. */
  async settle(): Promise<void> {
    for (let quietTurns = 0; quietTurns < 3; ) {
      await new Promise((resolve) => setImmediate(resolve));
      quietTurns = this.inFlight === 0 ? quietTurns + 1 : 0;
    }
  }

  private bind(stateName: string, state: AslState) {
    const placeholder = Object.keys(TASK_FUNCTIONS).find((name) => state.Resource === localFunctionArn(name));
    const factory = placeholder ? TASK_FUNCTIONS[placeholder] : undefined;
    if (!factory)
      throw new Error(`state '${stateName}' calls ${state.Resource}, which no local task function implements`);
    const task = factory(this.deps) as (event: unknown) => Promise<unknown>;
    return async (event: unknown) => {
      this.taskCalls[stateName] = (this.taskCalls[stateName] ?? 0) + 1;
      this.inFlight++;
      try {
        return await task(event);
      } finally {
        this.inFlight--;
      }
    };
  }

  private async follow(events: AsyncIterable<EngineEvent>): Promise<void> {
    for await (const event of events) {
      this.onEngineEvent?.(event);
      const state = event.state ? this.states.get(event.state.name) : undefined;
      if (event.type === 'StateEntered' && state?.Type === 'Wait') {
        this.clock.advance(waitSeconds(state, event.state?.input));
      }
      if (event.type === 'StateExited' && state?.Type === 'Task') this.report(state, event.state?.output);
      if (event.type === 'StateRetried' && event.state)
        this.retries[event.state.name] = (this.retries[event.state.name] ?? 0) + 1;
    }
  }

  private report(state: AslState, output: unknown): void {
    const at = this.clock.now();
    const out = output as TaskStateOutput;
    // A caught failure also exits its state, with the error in place of the task's result.
    if ((output as { failure?: unknown })?.failure !== undefined) return;
    if (state.Resource === localFunctionArn('BeginExecutionFunctionArn')) {
      this.onProgress({
        type: 'execution-started',
        executionId: out.executionId,
        at,
        waves: (out.waves as { index: number; name: string }[]).map((w) => ({
          ...w,
          servers: this.waveServers[w.index] ?? 0,
        })),
      });
    } else if (state.Resource === localFunctionArn('StartWaveFunctionArn')) {
      this.onProgress({
        type: 'wave-started',
        index: out.wave.index,
        name: out.wave.name,
        jobId: out.progress.jobId,
        at,
      });
    } else if (state.Resource === localFunctionArn('ClassifyWaveFunctionArn')) {
      this.onProgress({
        type: 'wave-polled',
        index: out.wave.index,
        name: out.wave.name,
        status: out.progress.status,
        counts: out.progress.counts,
        at,
      });
    }
  }
}

/** The fields of the tasks' state output that progress reporting reads. */
interface TaskStateOutput {
  executionId: string;
  waves: { index: number; name: string }[];
  wave: { index: number; name: string };
  progress: { jobId: string; status: string; counts: Record<string, number> };
}

/** An event of the local engine's log (aws-local-stepfunctions' `eventLogs`), the fields used here. */
export interface EngineEvent {
  type: string;
  state?: { name: string; type?: string; input?: unknown; output?: unknown };
  index?: number;
}

/** A Wait state's duration for this input (Seconds or a simple `$.a.b` SecondsPath). */
function waitSeconds(state: AslState, input: unknown): number {
  if (typeof state.Seconds === 'number') return state.Seconds;
  if (state.SecondsPath?.startsWith('$.')) {
    let value: unknown = input;
    for (const key of state.SecondsPath.slice(2).split('.'))
      value = (value as Record<string, unknown> | undefined)?.[key];
    if (typeof value === 'number') return value;
  }
  throw new Error(`cannot simulate Wait with ${JSON.stringify(state)} on input ${JSON.stringify(input)}`);
}

function planServerIDs(input: unknown): string[] {
  const waves = (input as { plan?: { waves?: unknown } })?.plan?.waves;
  if (!Array.isArray(waves)) return [];
  return waves.flatMap((wave) => {
    const ids = (wave as { sourceServerIDs?: unknown })?.sourceServerIDs;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  });
}

function localExecutionName(input: unknown, at: Date): string {
  const planId = String((input as { plan?: { planId?: unknown } })?.plan?.planId ?? 'plan').replace(
    /[^A-Za-z0-9_-]/g,
    '_',
  );
  const type = String((input as { executionType?: unknown })?.executionType ?? 'run')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  return `${planId.slice(0, 40)}-${type}-${at.toISOString().replace(/[-:.]/g, '').slice(0, 15)}`;
}
