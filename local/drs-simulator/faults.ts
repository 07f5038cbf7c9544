/**
 * Fault injection from the scenario: which call of an operation is throttled, fails inside DRS
 * having done nothing, loses its response after DRS did the work, or never answers. Faults strike an operation's
 * first calls, by position, so a scenario reproduces the same failures on every run.
 */
import type { Clock } from '../../functions/shared/clock';
import type { DrsCounts } from './counts';
import { DRS_ERROR_STATUS, DrsApiError, type DrsModelError } from './errors';
import type { DrsOperation } from './requests';
import type { Scenario, ScenarioOutage } from './scenario';

/**
 * What happens to one call: refused before the work (throttled, an internal error, or the DRS error
 * the scenario names), or the work done and the response lost or never sent.
 */
export type InjectedFault = 'throttle' | 'internal' | { refuse: DrsModelError } | 'disconnect' | 'error' | 'hang';

/** Counts each operation's calls and says which fault, if any, the scenario puts on the next one. */
export class FaultSchedule {
  private readonly faults: Scenario['faults'];
  private readonly outages: readonly ScenarioOutage[];
  private readonly callsByOperation = new Map<DrsOperation, number>();
  private readonly clock: Clock | undefined;
  private readonly startMs: number;

  /** `clock`: the simulation's, whose time at construction is second 0 of the scenario's `outages`. */
  constructor(faults: Scenario['faults'] | undefined, outages: readonly ScenarioOutage[] = [], clock?: Clock) {
    this.faults = faults ?? {};
    this.outages = outages;
    this.clock = clock;
    this.startMs = clock?.now().getTime() ?? 0;
    if (outages.length > 0 && !clock) throw new Error('a FaultSchedule with outages needs the simulation clock');
  }

  /**
   * The fault for this call of the operation: an outage under way first (it strikes by time, and
   * the call still counts as one of the operation's calls), then by position: throttling, internal
   * errors, the named errors, lost responses, hangs.
   */
  next(operation: DrsOperation): InjectedFault | undefined {
    const call = (this.callsByOperation.get(operation) ?? 0) + 1;
    this.callsByOperation.set(operation, call);
    const outage = this.outageAt(operation);
    if (outage) return outage.error === 'ThrottlingException' ? 'throttle' : 'internal';
    const fault = this.faults[operation];
    if (!fault) return undefined;
    const windows: [number, InjectedFault | undefined][] = [
      [fault.throttleTimes, 'throttle'],
      [fault.internalErrorTimes, 'internal'],
      [fault.errorTimes, fault.error === undefined ? undefined : { refuse: fault.error }],
      [fault.loseResponseTimes, fault.loseResponseAs],
      [fault.hangTimes, 'hang'],
    ];
    let end = 0;
    for (const [times, injected] of windows) {
      end += times;
      if (call <= end) return injected;
    }
    return undefined;
  }

  /** The outage the operation is in now, if any: `fromSeconds` inclusive to `fromSeconds + forSeconds` exclusive. */
  private outageAt(operation: DrsOperation): ScenarioOutage | undefined {
    if (!this.clock || this.outages.length === 0) return undefined;
    const seconds = (this.clock.now().getTime() - this.startMs) / 1000;
    return this.outages.find(
      (outage) =>
        (outage.operations === 'all' || outage.operations.includes(operation)) &&
        seconds >= outage.fromSeconds &&
        seconds < outage.fromSeconds + outage.forSeconds,
    );
  }
}

/** Throws (and counts) a fault that strikes before DRS does anything; any other fault passes. */
export function refuseBeforeWork(fault: InjectedFault | undefined, operation: DrsOperation, counts: DrsCounts): void {
  if (fault === 'throttle') {
    counts.throttledCalls += 1;
    throw new DrsApiError('ThrottlingException', `Rate exceeded for ${operation} (injected by the scenario)`, {
      retryAfterSeconds: 1,
    });
  }
  if (fault === 'internal') {
    counts.internalErrors += 1;
    throw new DrsApiError('InternalServerException', `Internal error in ${operation} (injected by the scenario)`);
  }
  if (typeof fault === 'object') {
    counts.refusedCalls += 1;
    throw injectedError(fault.refuse, operation);
  }
}

/** The named DRS error with its message and body fields as DRS words them (the status comes from the name). */
function injectedError(error: DrsModelError, operation: DrsOperation): DrsApiError {
  const injected = `(injected by the scenario, HTTP ${DRS_ERROR_STATUS[error]})`;
  switch (error) {
    case 'AccessDeniedException':
      return new DrsApiError(error, `User is not authorized to perform: drs:${operation} ${injected}`, {
        code: 'AccessDeniedException',
      });
    case 'UninitializedAccountException':
      return new DrsApiError(error, `Account not initialized for Elastic Disaster Recovery ${injected}`, {
        code: 'UninitializedAccountException',
      });
    case 'ServiceQuotaExceededException':
      return new DrsApiError(error, `Service quota exceeded for ${operation} ${injected}`, { serviceCode: 'drs' });
    case 'ThrottlingException':
      return new DrsApiError(error, `Rate exceeded for ${operation} ${injected}`, { retryAfterSeconds: 1 });
    case 'ValidationException':
      return DrsApiError.validation(`Invalid request to ${operation} ${injected}`, 'other');
    case 'ConflictException':
    case 'ResourceNotFoundException':
    case 'InternalServerException':
      return new DrsApiError(error, `${error} in ${operation} ${injected}`);
  }
}

/** Whether the fault loses the response of work DRS did: the caller cannot tell whether it happened. */
export function losesResponse(fault: InjectedFault | undefined): fault is 'disconnect' | 'error' {
  return fault === 'disconnect' || fault === 'error';
}

/** The 500 a caller gets instead of the response of work that was done (`loseResponseAs: "error"`). */
export function lostResponseError(operation: DrsOperation): DrsApiError {
  return new DrsApiError('InternalServerException', `Internal error after ${operation} (injected by the scenario)`);
}
