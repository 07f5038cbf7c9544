/**
 * Step Functions' hard limits for a Standard workflow, and the history events each kind of state
 * writes, in one place: the plan rules budget a plan's history with them, and the local runner
 * enforces them, so a local drill fails where AWS would.
 */
export const STEP_FUNCTIONS_LIMITS = {
  /** An execution fails (States.Runtime) when its history would pass this many events. */
  historyEvents: 25_000,
  /** A state's input or output, and a task's result, may be at most this many bytes (States.DataLimitExceeded). */
  payloadBytes: 262_144,
  /** The cause Step Functions keeps for an error (a longer one is cut). */
  causeCharacters: 32_768,
} as const;

/**
 * History events as Step Functions writes them (GetExecutionHistory's event types). A Task whose
 * Resource is a Lambda ARN writes TaskStateEntered, then LambdaFunctionScheduled, LambdaFunctionStarted
 * and LambdaFunctionSucceeded/Failed/TimedOut per attempt, then TaskStateExited. Inline Map
 * iterations write into the parent execution's history.
 */
export const HISTORY_EVENTS = {
  /** ExecutionStarted, and ExecutionSucceeded/Failed/Aborted/TimedOut. */
  execution: 2,
  /** <Type>StateEntered and <Type>StateExited (Task, Wait, Choice, Succeed, Map, Pass). */
  enteredExited: 2,
  /** FailStateEntered (the execution or the iteration fails next). */
  failState: 1,
  /** LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded/Failed/TimedOut: each attempt. */
  lambdaAttempt: 3,
  /** MapStateStarted and MapStateSucceeded/Failed. */
  mapRun: 2,
  /** MapIterationStarted and MapIterationSucceeded/Failed. */
  mapIteration: 2,
} as const;
