/**
 * Named errors. Each sets `this.name` explicitly: Step Functions matches a thrown Lambda error
 * by that name in Retry/Catch `ErrorEquals`, and the name must survive bundling and minification.
 */

export class OrchestratorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OrchestratorError';
  }
}

/**
 * A task was asked to act on an execution type other than DRILL or RECOVERY: it refuses before any
 * DRS call (fail closed: an unknown type must never start a recovery that is not a drill).
 */
export class InvalidExecutionType extends OrchestratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidExecutionType';
  }
}

/** The plan or the execution input is not valid; nothing was launched. */
export class InvalidPlan extends OrchestratorError {
  readonly problems: string[];
  constructor(problems: string[], options?: { cause?: unknown }) {
    super(
      `The plan is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`,
      options,
    );
    this.name = 'InvalidPlan';
    this.problems = problems;
  }
}

/** A wave ended with a server that did not launch (the workflow's Fail state uses this name). */
export class WaveFailed extends OrchestratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WaveFailed';
  }
}

/** A wave passed its deadline with no verdict (the workflow's Fail state uses this name). */
export class WaveTimedOut extends OrchestratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WaveTimedOut';
  }
}

/**
 * A wave action failed (a thrown error, a timeout, `ok: false` or a malformed answer) and the plan
 * does not let the wave go on: the workflow's "Pre-wave action failed" / "Post-wave action failed"
 * Fail states use this name.
 */
export class WaveActionFailed extends OrchestratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WaveActionFailed';
  }
}

/**
 * The data layer refused to start a wave: the execution is no longer running, a wave it depends on
 * has not COMPLETED (or, under STOP, a wave failed), or the wave was already started or ended.
 * Never retried: retrying cannot make it true.
 */
export class WaveNotStartable extends OrchestratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WaveNotStartable';
  }
}

/**
 * The data layer refused to claim a wave for want of room: its dependencies are COMPLETED, but one
 * more job (or its servers, or one more wave) would exceed `maxConcurrentJobs`,
 * `maxServersInAllJobs` (counting the account's other running jobs) or `maxConcurrentWaves`. The
 * wave waits (WAITING_FOR_CAPACITY) and asks again once a running wave's verdict frees room.
 */
export class WaveWaitingForCapacity extends OrchestratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WaveWaitingForCapacity';
  }
}

/** Another execution of the same plan is running; this one launched nothing. */
export class PlanAlreadyRunning extends OrchestratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlanAlreadyRunning';
  }
}

/** The plan is valid but DRS is not ready to run it (replication, a conflicting job, a quota); nothing was launched. */
export class PlanNotReady extends OrchestratorError {
  readonly problems: string[];
  constructor(problems: string[], options?: { cause?: unknown }) {
    super(
      `DRS is not ready to run the plan (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`,
      options,
    );
    this.name = 'PlanNotReady';
    this.problems = problems;
  }
}

/** DescribeJobs did not return the wave's job. Retried by the workflow; never a verdict. */
export class JobNotFound extends OrchestratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobNotFound';
  }
}

/**
 * A wave's servers were launched by a job since the wave was claimed, and DescribeJobs does not
 * list that job yet (it is eventually consistent): the task neither adopts a job it cannot see nor
 * starts a second one. Retried by the workflow, which looks again after its backoff.
 */
export class WaveJobNotYetVisible extends OrchestratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WaveJobNotYetVisible';
  }
}

/** DRS throttled the call or had an internal error: retried by the workflow with backoff. */
export class DrsUnavailable extends OrchestratorError {
  /** The DRS operation that failed (e.g. DescribeJobs), when known. */
  readonly operation: string | undefined;
  constructor(message: string, options?: { cause?: unknown; operation?: string }) {
    super(message, options);
    this.name = 'DrsUnavailable';
    this.operation = options?.operation;
  }
}

/** DRS refused the call for a reason retrying will not fix (access, validation, quota, conflict). */
export class DrsRejected extends OrchestratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DrsRejected';
  }
}

/** The records disagree with what the workflow is about to report; refuse rather than report a lie. */
export class RecordsInconsistent extends OrchestratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecordsInconsistent';
  }
}

/**
 * The execution-events function received a status change that is not of this stack's workflow (another
 * state machine, an execution ARN that does not match its name, an execution Step Functions does not
 * know): a forged or misrouted event. Nothing was recorded.
 */
export class ForeignEvent extends OrchestratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForeignEvent';
  }
}

/**
 * Step Functions says the execution is still running while the event says it ended: a forged event,
 * or one that ran ahead of the execution's own status. Nothing was recorded; EventBridge retries it,
 * and one that never comes true ends in the rule's dead-letter queue.
 */
export class StatusNotConfirmed extends OrchestratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StatusNotConfirmed';
  }
}

/** The execution-events function received an event that is not a Step Functions status change; nothing was recorded. */
export class MalformedEvent extends OrchestratorError {
  readonly problems: string[];
  constructor(problems: string[], options?: { cause?: unknown }) {
    super(
      `The event is not a Step Functions Execution Status Change (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`,
      options,
    );
    this.name = 'MalformedEvent';
    this.problems = problems;
  }
}
