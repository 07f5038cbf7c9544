/**
 * Fault injection from the scenario: which call of an operation is throttled, fails inside DRS
 * having done nothing, loses its response after DRS did the work, or never answers. Faults strike an operation's
 * first calls, by position, so a scenario reproduces the same failures on every run.
 */
import type { DrsCounts } from './counts';
import { DrsApiError } from './errors';
import type { DrsOperation } from './requests';
import type { Scenario } from './scenario';

/** What happens to one call: refused before the work, or the work done and the response lost or never sent. */
export type InjectedFault = 'throttle' | 'internal' | 'disconnect' | 'error' | 'hang';

/** Counts each operation's calls and says which fault, if any, the scenario puts on the next one. */
export class FaultSchedule {
  private readonly faults: Scenario['faults'];
  private readonly callsByOperation = new Map<DrsOperation, number>();

  constructor(faults: Scenario['faults'] | undefined) {
    this.faults = faults ?? {};
  }

  /** The fault for this call of the operation: throttling first, then internal errors, lost responses, hangs. */
  next(operation: DrsOperation): InjectedFault | undefined {
    const call = (this.callsByOperation.get(operation) ?? 0) + 1;
    this.callsByOperation.set(operation, call);
    const fault = this.faults[operation];
    if (!fault) return undefined;
    let last = fault.throttleTimes;
    if (call <= last) return 'throttle';
    last += fault.internalErrorTimes;
    if (call <= last) return 'internal';
    last += fault.loseResponseTimes;
    if (call <= last) return fault.loseResponseAs;
    last += fault.hangTimes;
    if (call <= last) return 'hang';
    return undefined;
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
}

/** Whether the fault loses the response of work DRS did: the caller cannot tell whether it happened. */
export function losesResponse(fault: InjectedFault | undefined): fault is 'disconnect' | 'error' {
  return fault === 'disconnect' || fault === 'error';
}

/** The 500 a caller gets instead of the response of work that was done (`loseResponseAs: "error"`). */
export function lostResponseError(operation: DrsOperation): DrsApiError {
  return new DrsApiError('InternalServerException', `Internal error after ${operation} (injected by the scenario)`);
}
