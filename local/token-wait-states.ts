import type { AslState } from '../statemachine/definition';
import type { TaskTokens } from './task-tokens';

/** The Resource suffix of a Task state that waits for a task token. */
const WAIT_FOR_TOKEN = '.waitForTaskToken';

/** The longest timer Node keeps (2^31 - 1 ms), in whole seconds. */
const NEVER_SECONDS = Math.floor(0x7fffffff / 1000);

type TokenState = AslState & {
  Parameters?: { FunctionName?: string };
  TimeoutSecondsPath?: string;
  TimeoutSeconds?: number;
};

export const waitsForToken = (state: AslState): boolean => Boolean(state.Resource?.endsWith(WAIT_FOR_TOKEN));

/** The function a `lambda:invoke.waitForTaskToken` state invokes (its Parameters' FunctionName). */
export const invokedFunctionOf = (state: AslState): string | undefined =>
  waitsForToken(state) ? (state as TokenState).Parameters?.FunctionName : state.Resource;

/**
 * The definition as aws-local-stepfunctions is given it. The file is the deployed one, unchanged;
 * only how the library times a token-waiting Task differs, because it cannot time one as AWS does:
 * it would evaluate TimeoutSecondsPath on the state's effective parameters (AWS: on the state's
 * input) and wait in real time. Such a state is timed by the emulation instead (`TaskTokens.wait`,
 * simulated time, the path read from the state's input), so the library's own timer is set past
 * any drill.
 */
export function forLocalEngine<T extends { States: Record<string, AslState> }>(definition: T): T {
  const visit = (states: Record<string, AslState>): Record<string, AslState> =>
    Object.fromEntries(
      Object.entries(states).map(([name, state]) => {
        let out: AslState = state;
        if (state.ItemProcessor)
          out = { ...out, ItemProcessor: { ...state.ItemProcessor, States: visit(state.ItemProcessor.States) } };
        if (state.Iterator) out = { ...out, Iterator: { ...state.Iterator, States: visit(state.Iterator.States) } };
        if (state.Branches) out = { ...out, Branches: state.Branches.map((b) => ({ ...b, States: visit(b.States) })) };
        if (waitsForToken(state)) {
          const { TimeoutSecondsPath: _path, ...rest } = out as TokenState;
          out = { ...rest, TimeoutSeconds: NEVER_SECONDS } as AslState;
        }
        return [name, out];
      }),
    );
  return { ...definition, States: visit(definition.States) };
}

/** The state's timeout as AWS reads it: TimeoutSeconds, or TimeoutSecondsPath on the state's input; 60 s by default. */
export function timeoutSecondsOf(state: AslState, input: unknown): number {
  const { TimeoutSeconds, TimeoutSecondsPath } = state as TokenState;
  if (typeof TimeoutSeconds === 'number') return TimeoutSeconds;
  if (TimeoutSecondsPath?.startsWith('$.')) {
    let value: unknown = input;
    for (const key of TimeoutSecondsPath.slice(2).split('.'))
      value = (value as Record<string, unknown> | undefined)?.[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
    throw Object.assign(
      new Error(
        `TimeoutSecondsPath ${TimeoutSecondsPath} is not a positive whole number of seconds in the state's input`,
      ),
      {
        name: 'States.Runtime',
      },
    );
  }
  return 60;
}

/** What a token wait tells the local stack: it has begun (its Lambda invocation returned), and how it ended. */
export interface TokenWaitHooks {
  onTokenWait?: (wait: { stateName: string; token: string; payload: unknown; timeoutAt: Date }) => void;
  onTokenWaitEnded?: (ended: {
    stateName: string;
    token: string;
    payload: unknown;
    outcome: { output: unknown } | { error: string; cause: string };
  }) => void;
}

/**
 * The handler of a `lambda:invoke.waitForTaskToken` state: invokes the task function with the
 * state's Payload (which carries this attempt's token), then waits on that token. A failed
 * invocation spends the token (its attempt ended), and the workflow's Retry reads a new one.
 */
export function tokenWaitHandler(args: {
  stateName: string;
  state: AslState;
  tokens: TaskTokens;
  task: (payload: unknown) => Promise<unknown>;
  /** The state's input as it entered (AWS reads TimeoutSecondsPath there). */
  enteredInput: () => unknown;
  /** The simulated clock: the attempt's timeout counts from its start. */
  now: () => Date;
  hooks: TokenWaitHooks;
  /** Brackets the task function's run (not the wait): the stack's `busy` count. */
  running: <T>(work: () => Promise<T>) => Promise<T>;
  /** The execution's StopExecution: a paced wait ends with it. */
  signal?: AbortSignal;
}) {
  return async (parameters: unknown): Promise<unknown> => {
    const token = args.tokens.lastMinted;
    if (!token) throw new Error(`state '${args.stateName}' waits for a token but read no $$.Task.Token`);
    const payload = (parameters as { Payload?: unknown }).Payload;
    // The token is this attempt's only if read at once; the state's input comes from the event log, read in microtasks.
    await new Promise((resolve) => setImmediate(resolve));
    const at = args.now();
    const timeoutSeconds = timeoutSecondsOf(args.state, args.enteredInput());
    try {
      await args.running(() => args.task(payload));
    } catch (error) {
      // On AWS the token's answer closes the task, whatever the invocation does after it: a decision
      // that came while the function still ran stands. Otherwise the attempt failed and its token is spent.
      if (!args.tokens.answered(token)) {
        args.tokens.abandon(token);
        throw error;
      }
    }
    args.hooks.onTokenWait?.({
      stateName: args.stateName,
      token,
      payload,
      timeoutAt: new Date(at.getTime() + timeoutSeconds * 1000),
    });
    try {
      const output = await args.tokens.wait(token, timeoutSeconds, at, args.signal);
      args.hooks.onTokenWaitEnded?.({ stateName: args.stateName, token, payload, outcome: { output } });
      return output;
    } catch (error) {
      const { name, message } = error as Error;
      args.hooks.onTokenWaitEnded?.({
        stateName: args.stateName,
        token,
        payload,
        outcome: { error: name, cause: message },
      });
      throw error;
    }
  };
}
