import type { Job } from '@aws-sdk/client-drs';
import { StateMachine } from 'aws-local-stepfunctions';
import { createTaskDeps, type TaskDeps } from '../functions/shared/clients';
import { toResult } from '../functions/shared/execution-store';
import type { ExecutionResult, ExecutionStatus, ServerStatus, WaveResult } from '../functions/shared/types';
import { type AslState, allStates, readAsl, substitute } from './asl';
import { type DrsCounts, DrsSimulator, type Scenario } from './drs-simulator';
import { LOCAL_CREDENTIALS, LocalDynamoDb } from './dynamodb';
import { SimulatedClock } from './simulated-clock';
import { localFunctionArn, TASK_FUNCTIONS } from './task-functions';

const REGION = 'us-east-1';
const TABLE_NAME = 'drs-orchestrator-executions';

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

/** The `--json` result of a local run: the records, with every server, plus the simulator's own counts. */
export type LocalRunResult = Omit<ExecutionResult, 'waves'> & {
  waves: (WaveResult & { servers: ServerStatus[] })[];
  drs: DrsCounts;
};

export interface LocalRun {
  result: LocalRunResult;
  /** How the workflow itself ended, for tests that compare it with the records. */
  workflow: { status: 'SUCCEEDED' | 'FAILED'; error?: string; cause?: string; output?: unknown };
  /** The simulator's ground truth: every job DRS created. */
  jobs: Job[];
  simulatedSeconds: number;
  /** How many times each Task state's code ran (retries and the engine's stray Map iterations included). */
  taskCalls: Record<string, number>;
}

/**
 * Runs the deployed workflow definition in aws-local-stepfunctions with each Task bound to its
 * real task code, against dynalite and the DRS simulator on loopback, in simulated time.
 */
export async function runLocalExecution(options: LocalRunOptions): Promise<LocalRun> {
  const clock = new SimulatedClock();
  const startedAt = clock.now();
  const simulator = new DrsSimulator({
    scenario: options.scenario,
    clock,
    planServerIDs: planServerIDs(options.input),
  });
  const dynamo = new LocalDynamoDb();
  let deps: TaskDeps | undefined;
  try {
    const drsEndpoint = await simulator.start();
    const dynamoDbEndpoint = await dynamo.start();
    await dynamo.createExecutionsTable(TABLE_NAME, REGION);
    deps = createTaskDeps({
      region: REGION,
      executionsTableName: TABLE_NAME,
      clock,
      drsEndpoint,
      dynamoDbEndpoint,
      credentials: LOCAL_CREDENTIALS,
    });
    const executionId = options.executionName ?? localExecutionName(options.input, startedAt);
    const engine = new LocalEngine(deps, clock, options.onProgress, options.input);
    const workflow = await engine.run(options.input, executionId);
    await engine.settle();

    const loaded = await deps.store.loadExecution(executionId);
    const recorded = loaded ? toResult(loaded.execution, loaded.waves, { withServers: true }) : undefined;
    const result = reconcile(executionId, options.input, recorded, workflow);
    return {
      result: { ...result, drs: simulator.counts() } as LocalRunResult,
      workflow,
      jobs: simulator.jobs(),
      simulatedSeconds: (clock.now().getTime() - startedAt.getTime()) / 1000,
      taskCalls: engine.taskCalls,
    };
  } finally {
    deps?.drs.destroy();
    deps?.drsStart.destroy();
    await simulator.stop();
    await dynamo.stop();
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
  const final: ExecutionStatus[] = ['COMPLETED', 'FAILED', 'TIMED_OUT'];
  if (workflow.status === 'SUCCEEDED' && fallback.status === 'COMPLETED') return fallback;
  if (workflow.status === 'FAILED' && final.includes(fallback.status) && fallback.status !== 'COMPLETED')
    return fallback;
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
  private readonly states: Map<string, AslState>;
  private readonly definition: { States: Record<string, AslState> };
  private readonly waveServers: number[];

  constructor(
    private readonly deps: TaskDeps,
    private readonly clock: SimulatedClock,
    private readonly onProgress: LocalRunOptions['onProgress'],
    input: unknown,
  ) {
    const substitutions = Object.fromEntries(Object.keys(TASK_FUNCTIONS).map((name) => [name, localFunctionArn(name)]));
    this.definition = JSON.parse(substitute(readAsl(), substitutions));
    this.states = allStates(this.definition);
    const waves = (input as { plan?: { waves?: { sourceServerIDs?: unknown[] }[] } })?.plan?.waves;
    this.waveServers = Array.isArray(waves)
      ? waves.map((w) => (Array.isArray(w?.sourceServerIDs) ? w.sourceServerIDs.length : 0))
      : [];
  }

  async run(input: unknown, executionId: string): Promise<LocalRun['workflow']> {
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
          Id: `arn:aws:states:us-east-1:000000000000:execution:drs-orchestrator-local:${executionId}`,
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
    const following = this.follow(execution.eventLogs as AsyncIterable<EngineEvent>);
    try {
      const output = await execution.result;
      return { status: 'SUCCEEDED', output };
    } catch (error) {
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
      const state = event.state ? this.states.get(event.state.name) : undefined;
      if (event.type === 'StateEntered' && state?.Type === 'Wait') {
        this.clock.advance(waitSeconds(state, event.state?.input));
      }
      if (event.type === 'StateExited' && state?.Type === 'Task') this.report(state, event.state?.output);
    }
  }

  private report(state: AslState, output: unknown): void {
    if (!this.onProgress) return;
    const at = this.clock.now();
    const out = output as TaskStateOutput;
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

interface EngineEvent {
  type: string;
  state?: { name: string; input?: unknown; output?: unknown };
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
