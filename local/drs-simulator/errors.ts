/**
 * The simulator's named errors. `DrsApiError` is what the HTTP layer turns into a DRS error
 * response (type header, status code, body fields); anything else that escapes an operation
 * becomes an InternalServerException there.
 */
import type { ValidationExceptionField } from '@aws-sdk/client-drs';

/** The error types the simulator returns; the HTTP layer maps each to its status code. */
export type DrsErrorType =
  | 'ValidationException'
  | 'ConflictException'
  | 'ResourceNotFoundException'
  | 'ThrottlingException'
  | 'InternalServerException'
  | 'UnknownOperationException';

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
