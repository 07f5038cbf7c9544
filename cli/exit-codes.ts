import { CommanderError } from 'commander';
import type { ExecutionResult } from '../functions/shared/types';

/**
 * The CLI's exit codes, and the one place that maps what happened to them: a result by its status
 * and error name, a thrown error by its type (its class, or the SDK's error name), never by the text
 * of its message.
 */
export const EXIT = { completed: 0, failed: 1, badInput: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Input the CLI refuses (a file, a flag, the environment): exit code 2, nothing launched. */
export class BadInput extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BadInput';
  }
}

/**
 * A command that could not do its work for a reason other than its input (the API answered 5xx,
 * a request failed on the way): exit code 1, its message without a stack trace.
 */
export class CommandFailed extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommandFailed';
  }
}

/** The errors with which the workflow's first task rejects a plan before launching anything. */
const PLAN_REJECTIONS: readonly string[] = ['InvalidPlan', 'PlanNotReady'];

/** 0 every wave COMPLETED, 2 the workflow rejected the plan, 1 anything else (FAILED, TIMED_OUT, CANCELLED). */
export function exitCodeOfResult(result: ExecutionResult): ExitCode {
  if (result.error !== undefined && PLAN_REJECTIONS.includes(result.error)) return EXIT.badInput;
  return result.status === 'COMPLETED' ? EXIT.completed : EXIT.failed;
}

/** Commander's codes for help and version output: asked for, so not a failure. */
const COMMANDER_OUTPUT: readonly string[] = ['commander.helpDisplayed', 'commander.help', 'commander.version'];

/** The SDK's error names for a caller without usable credentials (the name is the error's type in the SDK). */
const NO_CREDENTIALS: readonly string[] = [
  'CredentialsProviderError',
  'ExpiredTokenException',
  'UnrecognizedClientException',
];

/** What to do with an error that ended a command: its exit code and, if any, the line for stderr. */
export interface ErrorExit {
  code: ExitCode;
  /** Without `drs-orchestrator: `; absent when commander has already printed its own message. */
  message?: string;
}

export function exitOfError(error: unknown): ErrorExit {
  if (error instanceof CommanderError) {
    return { code: COMMANDER_OUTPUT.includes(error.code) ? EXIT.completed : EXIT.badInput };
  }
  if (error instanceof BadInput) return { code: EXIT.badInput, message: error.message };
  if (error instanceof CommandFailed) return { code: EXIT.failed, message: error.message };
  if (error instanceof Error && NO_CREDENTIALS.includes(error.name)) {
    return { code: EXIT.badInput, message: `no usable AWS credentials (${error.message})` };
  }
  return { code: EXIT.failed, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}
