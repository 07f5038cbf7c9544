import { OrchestratorError } from './errors';

/**
 * The approval gate's named errors. `ApprovalRejected` and `ApprovalTimedOut` are the workflow's
 * (a gate's SendTaskFailure and its Fail state use these names; finish-execution records them);
 * the others are what a decision meets (the API maps them to 404 and 409).
 */

/** Someone rejected a wave's gate: the execution ends CANCELLED, nothing more is launched. */
export class ApprovalRejected extends OrchestratorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ApprovalRejected';
  }
}

/** No decision came within the gate's timeoutMinutes: the execution ends FAILED, nothing more is launched. */
export class ApprovalTimedOut extends OrchestratorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ApprovalTimedOut';
  }
}

/** A decision for an execution or wave the records do not have. */
export class ApprovalTargetNotFound extends OrchestratorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ApprovalTargetNotFound';
  }
}

/** A decision for a wave that is not awaiting one (not gated, not yet reached, already decided, execution ended). */
export class GateNotAwaiting extends OrchestratorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GateNotAwaiting';
  }
}

/**
 * Step Functions refused the decision's task token (TaskTimedOut, InvalidToken, TaskDoesNotExist):
 * the gate had closed. The decision was withdrawn from the records, so it never reads as taken.
 */
export class DecisionNotDelivered extends OrchestratorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DecisionNotDelivered';
  }
}

/** The errors Step Functions answers SendTaskSuccess/SendTaskFailure with when the token's task is no longer waiting. */
export const REFUSED_TOKEN_ERRORS: readonly string[] = ['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist'];
