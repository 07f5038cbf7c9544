import type { AslState } from '../statemachine/definition';
import type { SimulatedClock } from './simulated-clock';
import { DEFAULT_ACTION_AFTER_SECONDS, type WaveActionScript, type WaveActionsScenario } from './wave-actions-scenario';

/** The Resource of a Task state that invokes a Lambda function through Step Functions' own integration. */
export const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';

/** One invocation of an operator's action function, as the local runner answered it. */
export interface ActionInvocation {
  functionArn: string;
  /** The action's name, from the request's `action.name`. */
  name: string;
  /** The request the function got (the state's `Payload`). */
  request: unknown;
  /** Simulated time of the call. */
  at: Date;
  outcome: 'ANSWERED' | 'THREW' | 'TIMED_OUT';
}

/** What a function error looks like through `lambda:invoke`: its errorType as the error, the Lambda error JSON as the cause. */
class FunctionError extends Error {
  constructor(errorType: string, errorMessage: string) {
    super(JSON.stringify({ errorType, errorMessage, trace: [] }));
    this.name = errorType;
  }
}

class StatesTimeout extends Error {
  constructor() {
    super('The task did not answer within its TimeoutSeconds (simulated)');
    this.name = 'States.Timeout';
  }
}

/**
 * The operator's action functions in a local drill: each `arn:aws:states:::lambda:invoke` state
 * is answered here as the scenario's `waveActions` say, in simulated time. A HANGS action (or one
 * slower than its state's timeout) moves the clock to the timeout and fails with States.Timeout, as
 * Step Functions would, without real waiting. Every invocation is kept (`invocations`), so a test
 * can prove an action ran once.
 */
export class SimulatedActionRunner {
  readonly invocations: ActionInvocation[] = [];

  constructor(
    private readonly script: WaveActionsScenario,
    private readonly clock: SimulatedClock,
  ) {}

  /** The local handler of one invoke state (its input is the state's Parameters: FunctionName and Payload). */
  handlerFor(stateName: string, state: AslState): (input: unknown) => Promise<unknown> {
    return async (input: unknown) => {
      const { FunctionName, Payload } = (input ?? {}) as { FunctionName?: unknown; Payload?: unknown };
      if (typeof FunctionName !== 'string') throw new Error(`state '${stateName}': no FunctionName to invoke`);
      const name = String((Payload as { action?: { name?: unknown } } | undefined)?.action?.name ?? FunctionName);
      const entry: WaveActionScript = this.script[name] ?? {
        result: 'SUCCEEDED',
        afterSeconds: DEFAULT_ACTION_AFTER_SECONDS,
      };
      const timeoutSeconds = timeoutOf(stateName, state, input);
      const invocation: ActionInvocation = {
        functionArn: FunctionName,
        name,
        request: Payload,
        at: this.clock.now(),
        outcome: 'ANSWERED',
      };
      this.invocations.push(invocation);
      if (entry.result === 'HANGS' || entry.afterSeconds >= timeoutSeconds) {
        this.clock.advance(timeoutSeconds);
        invocation.outcome = 'TIMED_OUT';
        throw new StatesTimeout();
      }
      this.clock.advance(entry.afterSeconds);
      if (entry.result === 'THROWS') {
        invocation.outcome = 'THREW';
        throw new FunctionError('Error', entry.message ?? `${name} threw`);
      }
      const answer =
        entry.answer !== undefined
          ? entry.answer
          : {
              ok: entry.result === 'SUCCEEDED',
              message: entry.message ?? (entry.result === 'SUCCEEDED' ? 'ok' : 'failed'),
            };
      // The shape of Step Functions' lambda:invoke result; the function's answer is its Payload.
      return { ExecutedVersion: '$LATEST', Payload: answer, StatusCode: 200 };
    };
  }
}

/** The state's timeout: TimeoutSeconds, or TimeoutSecondsPath (`$.a.b`) read from its input, as the engine reads it. */
function timeoutOf(stateName: string, state: AslState, input: unknown): number {
  const fixed = (state as { TimeoutSeconds?: unknown }).TimeoutSeconds;
  if (typeof fixed === 'number') return fixed;
  const path = (state as { TimeoutSecondsPath?: unknown }).TimeoutSecondsPath;
  if (typeof path === 'string' && path.startsWith('$.')) {
    let value: unknown = input;
    for (const key of path.slice(2).split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
    if (typeof value === 'number') return value;
  }
  throw new Error(`state '${stateName}': cannot read its timeout ${String(path)} from ${JSON.stringify(input)}`);
}
