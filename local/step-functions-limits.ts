import { HISTORY_EVENTS as E, STEP_FUNCTIONS_LIMITS } from '../functions/shared/step-functions-limits';
import type { EngineEvent } from './engine';

/** How Step Functions fails an execution that passes one of its hard limits. */
export interface LimitFailure {
  error: 'States.Runtime' | 'States.DataLimitExceeded';
  cause: string;
}

export type Limits = { historyEvents: number; payloadBytes: number };

/**
 * The history events Step Functions writes for one event of the local engine's log. A Task's first
 * attempt is counted when it is entered, each further attempt when it is retried; a Fail state
 * writes only FailStateEntered; a Map's Started/Succeeded/Failed come with its own events.
 */
export function historyEventsOf(event: EngineEvent): number {
  const type = event.state?.type;
  switch (event.type) {
    case 'ExecutionStarted':
    case 'ExecutionSucceeded':
    case 'ExecutionFailed':
    case 'ExecutionAborted':
      return E.execution / 2;
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
      return E.mapIteration / 2;
    case 'StateEntered':
      if (type === 'Fail') return E.failState;
      return E.enteredExited / 2 + (type === 'Task' ? E.lambdaAttempt : type === 'Map' ? E.mapRun / 2 : 0);
    case 'StateExited':
      return E.enteredExited / 2 + (type === 'Map' ? E.mapRun / 2 : 0);
    case 'StateFailed':
      return type === 'Map' ? E.mapRun / 2 : 0;
    case 'StateRetried':
      return E.lambdaAttempt;
    default:
      return 0;
  }
}

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');

/**
 * Step Functions' hard limits over one local execution, so a local drill fails where AWS would:
 * the history limit (the execution fails with States.Runtime) and the payload limit on every
 * state's input and output and every task's result (States.DataLimitExceeded, which no Catch
 * catches). Tests may lower the limits to reach them quickly; the defaults are AWS's.
 */
export class StepFunctionsLimits {
  historyEvents = 0;
  maxPayloadBytes = 0;
  private readonly limits: Limits;

  constructor(limits: Partial<Limits> = {}) {
    this.limits = {
      historyEvents: limits.historyEvents ?? STEP_FUNCTIONS_LIMITS.historyEvents,
      payloadBytes: limits.payloadBytes ?? STEP_FUNCTIONS_LIMITS.payloadBytes,
    };
  }

  /** Counts an event of the engine's log and checks the state input or output it carries. */
  observe(event: EngineEvent): LimitFailure | undefined {
    this.historyEvents += historyEventsOf(event);
    if (this.historyEvents > this.limits.historyEvents) {
      return {
        error: 'States.Runtime',
        cause: `The execution reached the maximum number of history events (${this.limits.historyEvents}).`,
      };
    }
    const name = event.state?.name;
    if (event.type === 'StateEntered') return this.payload(event.state?.input, `The input to state '${name}'`);
    if (event.type === 'StateExited') return this.payload(event.state?.output, `The output of state '${name}'`);
    return undefined;
  }

  /** Checks a payload: a task's input after Parameters, or the result its function returned. */
  payload(value: unknown, what: string): LimitFailure | undefined {
    const bytes = bytesOf(value);
    this.maxPayloadBytes = Math.max(this.maxPayloadBytes, bytes);
    if (bytes <= this.limits.payloadBytes) return undefined;
    return {
      error: 'States.DataLimitExceeded',
      cause: `${what} has a size of ${bytes} bytes, exceeding the maximum number of bytes service limit (${this.limits.payloadBytes}).`,
    };
  }
}
