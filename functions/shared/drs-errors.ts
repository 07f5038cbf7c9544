import { DrsRejected, DrsUnavailable } from './errors';

/** What a person should do about a DRS error that retrying will not fix. */
const ADVICE: Record<string, string> = {
  AccessDeniedException:
    "the orchestrator's role lacks a DRS permission (or the permissions DRS needs to launch recovery instances on its behalf): check the role's policy",
  UninitializedAccountException: 'DRS is not initialized in this account and region: initialize it in the DRS console',
  ServiceQuotaExceededException:
    'a DRS quota is exhausted (concurrent jobs, servers per job or servers in all jobs): wait or raise the quota',
  ValidationException: 'DRS rejected the request as invalid: check the plan against the DRS console',
  ConflictException: 'a server is already in another DRS job: wait for that job to end',
  ResourceNotFoundException: 'DRS does not know a resource the request named',
};

/** Errors after which DRS has definitely done nothing and a retry may succeed. */
const TRANSIENT = new Set(['ThrottlingException', 'TooManyRequestsException']);
/** Errors after which DRS may or may not have done the work (server side, or the response was lost). */
const UNCERTAIN = new Set(['InternalServerException', 'ServiceUnavailable', 'InternalFailure']);

export type DrsErrorKind = 'transient' | 'uncertain' | 'rejected';

export function drsErrorKind(error: unknown): DrsErrorKind {
  const name = (error as { name?: string })?.name ?? '';
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (TRANSIENT.has(name) || status === 429) return 'transient';
  if (UNCERTAIN.has(name) || status === undefined || status >= 500) return 'uncertain';
  return 'rejected';
}

/** Turns a DRS SDK error into a named error the workflow matches: DrsUnavailable is retried, DrsRejected is not. */
export function fromDrsError(error: unknown, call: string): Error {
  const name = (error as { name?: string })?.name ?? 'Error';
  const message = (error as { message?: string })?.message ?? String(error);
  if (drsErrorKind(error) !== 'rejected') {
    return new DrsUnavailable(`DRS ${call} failed with ${name}: ${message}`, { cause: error, operation: call });
  }
  const advice = ADVICE[name];
  return new DrsRejected(`DRS ${call} was refused with ${name}: ${message}${advice ? ` (${advice})` : ''}`, {
    cause: error,
  });
}
