/**
 * The simulator's named errors. `DrsApiError` is what the HTTP layer turns into a DRS error
 * response (type header, status code, body fields); anything else that escapes an operation
 * becomes an InternalServerException there.
 */
import type { ValidationExceptionField } from '@aws-sdk/client-drs';

/**
 * The errors the DRS API model defines, with their HTTP status codes (the model's `httpStatusCode`,
 * as the DRS API Reference lists them under each operation's Errors). A scenario may inject any of
 * them (`faults.<operation>.errorTimes` with `error`).
 */
export const DRS_ERROR_STATUS = {
  AccessDeniedException: 403,
  ConflictException: 409,
  InternalServerException: 500,
  ResourceNotFoundException: 404,
  ServiceQuotaExceededException: 402,
  ThrottlingException: 429,
  UninitializedAccountException: 400,
  ValidationException: 400,
} as const;
export type DrsModelError = keyof typeof DRS_ERROR_STATUS;
export const DRS_MODEL_ERRORS = Object.keys(DRS_ERROR_STATUS) as DrsModelError[];

/**
 * The error types the simulator returns; the HTTP layer maps each to its status code. Beyond the
 * model's errors, `UnknownOperationException` is what the AWS front end answers for a path that is
 * no operation (404).
 */
export type DrsErrorType = DrsModelError | 'UnknownOperationException';

/** An error as DRS would return it: the error type, the message and the extra body fields. */
export class DrsApiError extends Error {
  readonly errorType: DrsErrorType;
  readonly fields: Record<string, unknown>;
  constructor(errorType: DrsErrorType, message: string, fields: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DrsApiError';
    this.errorType = errorType;
    this.fields = fields;
  }

  static validation(
    message: string,
    reason: 'fieldValidationFailed' | 'other' | 'cannotParse' | 'unknownOperation',
    fieldList: ValidationExceptionField[] = [],
  ): DrsApiError {
    return new DrsApiError('ValidationException', message, { reason, fieldList });
  }
}

/** `start()` was called on a simulator that is already listening (one simulator, one endpoint). */
export class DrsSimulatorAlreadyStarted extends Error {
  constructor() {
    super('The DRS simulator is already started');
    this.name = 'DrsSimulatorAlreadyStarted';
  }
}
