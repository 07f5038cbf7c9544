import { CommanderError, InvalidArgumentError } from 'commander';
import { BadInput, CommandFailed, EXIT, exitCodeOfResult, exitOfError } from '../../../cli/exit-codes';
import { InvalidPlan } from '../../../functions/shared/errors';
import type { ExecutionResult, ExecutionStatus } from '../../../functions/shared/types';

const result = (status: ExecutionStatus, error?: string): ExecutionResult => ({
  executionId: 'x',
  planId: 'p',
  executionType: 'DRILL',
  status,
  ...(error ? { error } : {}),
  rto: { targetMinutes: null, actualSeconds: 0, met: null },
  rpo: { maxDataAgeSeconds: 0, servers: [] },
  warnings: [],
  waves: [],
});

/** An error of the given type (its name), whatever its message says. */
const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('exitCodeOfResult', () => {
  it('returns 0 only when the execution COMPLETED', () => {
    expect(exitCodeOfResult(result('COMPLETED'))).toBe(EXIT.completed);
  });

  it.each(['FAILED', 'TIMED_OUT', 'CANCELLED'] as const)('returns 1 for %s', (status) => {
    expect(exitCodeOfResult(result(status, 'WaveFailed'))).toBe(EXIT.failed);
  });

  it.each(['InvalidPlan', 'PlanNotReady'])('returns 2 when the workflow rejected the plan with %s', (error) => {
    expect(exitCodeOfResult(result('FAILED', error))).toBe(EXIT.badInput);
  });
});

describe('exitOfError', () => {
  it('returns 2 with the message for BadInput', () => {
    expect(exitOfError(new BadInput('the plan file p.json is not valid JSON'))).toEqual({
      code: EXIT.badInput,
      message: 'the plan file p.json is not valid JSON',
    });
  });

  it('returns 1 with the message alone, no stack trace, for CommandFailed (the API answered 5xx)', () => {
    expect(exitOfError(new CommandFailed('POST /plans/p/drills answered 500: Internal error'))).toEqual({
      code: EXIT.failed,
      message: 'POST /plans/p/drills answered 500: Internal error',
    });
  });

  it.each(['commander.helpDisplayed', 'commander.help', 'commander.version'])(
    'returns 0 and prints nothing more for %s',
    (code) => {
      expect(exitOfError(new CommanderError(0, code, 'shown'))).toEqual({ code: EXIT.completed });
    },
  );

  it("returns 2 and prints nothing more for commander's own usage errors (it printed them)", () => {
    expect(exitOfError(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"))).toEqual({
      code: EXIT.badInput,
    });
    expect(exitOfError(new InvalidArgumentError('must be drill or recovery'))).toEqual({ code: EXIT.badInput });
  });

  it.each(['CredentialsProviderError', 'ExpiredTokenException', 'UnrecognizedClientException'])(
    'returns 2 naming the credentials problem for %s',
    (name) => {
      expect(exitOfError(named(name, 'token expired'))).toEqual({
        code: EXIT.badInput,
        message: 'no usable AWS credentials (token expired)',
      });
    },
  );

  it('maps by type, not by message text: a plain Error that mentions a region or credentials is a failure', () => {
    expect(exitOfError(new Error('Region is missing')).code).toBe(EXIT.failed);
    expect(exitOfError(new Error('CredentialsProviderError: could not load credentials')).code).toBe(EXIT.failed);
  });

  it('returns 1 with the stack for any other error, an orchestrator error included', () => {
    const error = new InvalidPlan(['wave 1: no servers']);
    expect(exitOfError(error)).toEqual({ code: EXIT.failed, message: error.stack });
    expect(exitOfError('thrown text')).toEqual({ code: EXIT.failed, message: 'thrown text' });
  });
});
