import { StateMachine } from 'aws-local-stepfunctions';
import type { ProgressEvent } from '../functions/shared/progress-event';
import type { WorkflowEnding } from '../functions/shared/reconcile-outcome';
import { type AslState, allStates, readAsl, substitute } from '../statemachine/definition';
import { CapacityProgress } from './capacity-progress';
import type { SimulatedClock } from './simulated-clock';
import { type RetryRule, retryWaitSeconds, waitSeconds } from './simulated-waits';
import { type LimitFailure, type Limits, StepFunctionsLimits } from './step-functions-limits';
import {
  type LocalTaskDeps,
  type LocalWorkflow,
  localFunctionArn,
  RECOVERY_WORKFLOW,
  type TaskFactory,
} from './task-functions';
import { type PlanWaves, planWavesOf, taskProgress } from './task-progress';
import { TaskTokens } from './task-tokens';
import {
  forLocalEngine,
  invokedFunctionOf,
  type TokenWaitHooks,
  tokenWaitHandler,
  waitsForToken,
} from './token-wait-states';
import { LAMBDA_INVOKE, SimulatedActionRunner } from './wave-action-runner';

/** How the local engine ended the workflow, and its output when it succeeded. */
export type EngineEnding = WorkflowEnding & { status: 'SUCCEEDED' | 'FAILED' | 'ABORTED'; output?: unknown };

/** An event of the local engine's log (aws-local-stepfunctions' `eventLogs`), the fields used here. */
export interface EngineEvent {
  type: string;
  state?: { name: string; type?: string; input?: unknown; output?: unknown };
  index?: number;
  /** A StateRetried event's rule and attempt (1 for the first retry). */
  retry?: { retrier: RetryRule; attempt: number };
}

export interface EngineOptions extends TokenWaitHooks {
  /** The execution input: `{ plan, executionType }` or `{ planId, executionType }`. */
  input: unknown;
  onProgress?: (event: ProgressEvent) => void;
  /** Stops the execution (as the console's Stop does) when this returns true for a progress event. */
  stopWhen?: (event: ProgressEvent) => boolean;
  /** Every event of the local engine's log, as it happens. */
  onEngineEvent?: (event: EngineEvent) => void;
  /** Step Functions' hard limits; tests lower them to reach them quickly. Default: AWS's. */
  limits?: Partial<Limits>;
  /** Answers the wave actions' `lambda:invoke` states (the stack's, with the scenario's `waveActions`). Default: every action succeeds. */
  actions?: SimulatedActionRunner;
  /** The definition to run and its tasks; default the recovery workflow (the drill cleanup is the other). */
  workflow?: LocalWorkflow;
  /**
   * Pacing (the web console's watchable time): a Wait state of `seconds` lasts until this resolves,
   * and the clock is left to move by itself (a `PacedClock`) instead of being advanced at once.
   */
  pace?: (seconds: number) => Promise<void>;
  /** Stops the execution as StopExecution does (ABORTED) when it is aborted. */
  signal?: AbortSignal;
}

/**
 * The deployed workflow definition in aws-local-stepfunctions, each Task bound to its real task
 * code, each Wait moving the simulated clock instead of real time. One engine runs one execution.
 */
export class LocalEngine {
  private inFlight = 0;
  readonly taskCalls: Record<string, number> = {};
  readonly retries: Record<string, number> = {};
  private readonly states: Map<string, AslState>;
  private readonly tasks: Record<string, TaskFactory>;
  private readonly definition: { States: Record<string, AslState> };
  /** The inline plan's waves, for the progress events (empty for a stored plan). */
  private readonly planWaves: PlanWaves;
  private readonly onProgress: (event: ProgressEvent) => void;
  private readonly onEngineEvent: ((event: EngineEvent) => void) | undefined;
  private abort: (() => void) | undefined;
  private stopped = false;
  /** History events and payload sizes, checked against Step Functions' hard limits as the engine runs. */
  readonly limits: StepFunctionsLimits;
  private limitFailure: LimitFailure | undefined;
  /** Each state's input as it last entered (a token wait reads its TimeoutSecondsPath there, as AWS does). */
  private readonly entered = new Map<string, unknown>();
  private readonly hooks: TokenWaitHooks;
  private readonly actions: SimulatedActionRunner;
  private readonly pace: ((seconds: number) => Promise<void>) | undefined;
  /** The paced Wait in progress: the next task starts when it ends. */
  private waiting: Promise<void> | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly capacity: CapacityProgress;

  constructor(
    private readonly deps: LocalTaskDeps,
    private readonly clock: SimulatedClock,
    options: EngineOptions,
    /** The stack's task tokens (`.waitForTaskToken`), shared by its engines: one clock, one pump. */
    private readonly tokens: TaskTokens = new TaskTokens(clock),
  ) {
    this.hooks = { onTokenWait: options.onTokenWait, onTokenWaitEnded: options.onTokenWaitEnded };
    const input = options.input;
    this.onEngineEvent = options.onEngineEvent;
    this.limits = new StepFunctionsLimits(options.limits);
    this.actions = options.actions ?? new SimulatedActionRunner({}, clock);
    this.pace = options.pace;
    this.signal = options.signal;
    this.capacity = new CapacityProgress(deps.store);
    this.onProgress = (event) => {
      options.onProgress?.(event);
      if (!this.stopped && options.stopWhen?.(event)) {
        this.stopped = true;
        this.abort?.();
      }
    };
    const workflow = options.workflow ?? RECOVERY_WORKFLOW;
    this.tasks = workflow.tasks;
    const substitutions = Object.fromEntries(Object.keys(this.tasks).map((name) => [name, localFunctionArn(name)]));
    this.definition = JSON.parse(substitute(readAsl(workflow.aslPath), substitutions));
    this.states = allStates(this.definition);
    this.planWaves = planWavesOf(input);
  }

  async run(input: unknown, executionId: string, executionArn: string): Promise<EngineEnding> {
    const machine = new StateMachine(forLocalEngine(this.definition) as never);
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
        // `$$.Task.Token`: a fresh token on each read, so each attempt of a token wait has its own.
        Task: this.tokens.contextTask(),
      } as never,
    });
    this.abort = execution.abort;
    const stop = () => {
      this.stopped = true;
      execution.abort();
    };
    if (this.signal?.aborted) stop();
    this.signal?.addEventListener('abort', stop, { once: true });
    const following = this.follow(execution.eventLogs as AsyncIterable<EngineEvent>);
    try {
      const output = await execution.result;
      if (this.limitFailure) return { status: 'FAILED', ...this.limitFailure };
      return { status: 'SUCCEEDED', output };
    } catch (error) {
      // Past a hard limit Step Functions fails the execution; the local engine was aborted to stop it there.
      if (this.limitFailure) return { status: 'FAILED', ...this.limitFailure };
      if ((error as Error).name === 'ExecutionAbortedError') return { status: 'ABORTED' };
      const failure = (error as { cause?: { name?: string; message?: string } }).cause ?? (error as Error);
      return { status: 'FAILED', error: failure.name ?? 'Error', cause: failure.message ?? String(error) };
    } finally {
      this.signal?.removeEventListener('abort', stop);
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
    const resource = invokedFunctionOf(state);
    const placeholder = Object.keys(this.tasks).find((name) => resource === localFunctionArn(name));
    const factory = placeholder ? this.tasks[placeholder] : undefined;
    // An operator's wave action function, through Step Functions' Lambda integration: simulated.
    if (!factory && state.Resource !== LAMBDA_INVOKE)
      throw new Error(`state '${stateName}' calls ${state.Resource}, which no local task function implements`);
    const code = factory
      ? (factory(this.deps) as (event: unknown) => Promise<unknown>)
      : this.actions.handlerFor(stateName, state);
    // The admission task's WAITING_FOR_CAPACITY marks are records writes: shown as the records say them.
    const task =
      placeholder === 'AdmitWaveFunctionArn'
        ? async (event: unknown) => {
            const result = await code(event);
            const payload = (event as { Payload?: unknown })?.Payload ?? event;
            for (const e of await this.capacity.after(payload, () => this.clock.now())) this.onProgress(e);
            return result;
          }
        : code;
    if (waitsForToken(state)) {
      return tokenWaitHandler({
        stateName,
        state,
        tokens: this.tokens,
        task: (payload) => this.runTask(stateName, task, payload),
        enteredInput: () => this.entered.get(stateName),
        now: () => this.clock.now(),
        hooks: this.hooks,
        running: (work) => work(),
        ...(this.signal ? { signal: this.signal } : {}),
      });
    }
    return (event: unknown) => this.runTask(stateName, task, event);
  }

  private async runTask(stateName: string, task: (event: unknown) => Promise<unknown>, event: unknown) {
    this.inFlight++;
    this.tokens.busy++;
    try {
      // The event log is read in microtasks: let it catch up (a retry moves the clock; a limit passed
      // fails the execution), so no task starts before that is taken in (on AWS it would have been).
      await new Promise((resolve) => setImmediate(resolve));
      // A paced Wait (the web console's watchable time) ends before the next task starts.
      if (this.waiting) await this.waiting;
      this.waiting = undefined;
      this.failIf(this.limitFailure ?? this.limits.payload(event, `The input to task '${stateName}'`));
      this.taskCalls[stateName] = (this.taskCalls[stateName] ?? 0) + 1;
      const result = await task(event);
      this.failIf(this.limits.payload(result, `The result of task '${stateName}'`));
      return result;
    } finally {
      this.inFlight--;
      this.tokens.busy--;
    }
  }

  /** Fails the execution as Step Functions does past a hard limit: at once, whatever Catch the state has. */
  private failIf(failure: LimitFailure | undefined): void {
    if (!failure) return;
    if (!this.limitFailure) {
      this.limitFailure = failure;
      this.abort?.();
    }
    throw Object.assign(new Error(failure.cause), { name: failure.error });
  }

  private async follow(events: AsyncIterable<EngineEvent>): Promise<void> {
    for await (const event of events) {
      this.onEngineEvent?.(event);
      const failure = this.limits.observe(event);
      if (failure && !this.limitFailure) {
        this.limitFailure = failure;
        this.abort?.();
      }
      const state = event.state ? this.states.get(event.state.name) : undefined;
      if (event.type === 'StateEntered' && event.state) this.entered.set(event.state.name, event.state.input);
      if (event.type === 'StateEntered' && state?.Type === 'Wait') {
        const seconds = waitSeconds(state, event.state?.input, this.clock.now());
        if (this.pace) this.waiting = this.pace(seconds);
        else this.clock.advance(seconds);
      }
      if (event.type === 'StateExited' && state?.Type === 'Task') {
        for (const e of taskProgress(state, event.state?.output, this.clock.now(), this.planWaves)) this.onProgress(e);
      }
      if (event.type === 'StateRetried' && event.state) {
        this.retries[event.state.name] = (this.retries[event.state.name] ?? 0) + 1;
        if (event.retry) this.clock.advance(retryWaitSeconds(event.retry.retrier, event.retry.attempt));
      }
    }
  }
}
