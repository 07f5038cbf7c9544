import { Console } from 'node:console';
import type { Logger } from '@aws-lambda-powertools/logger';

/**
 * Sends the task code's Powertools logs to stderr. Powertools prints INFO and DEBUG lines with
 * `console.info`/`console.debug`, which write to stdout: in the CLI, stdout is for the result
 * (one JSON object with `--json`), so a log line there would break it. Powertools takes no output
 * option, so the CLI replaces the Console it prints with (its `console` field, set at construction);
 * if a Powertools upgrade renames that field this throws rather than letting logs reach stdout.
 */
export function sendLogsToStderr(logger: Logger): void {
  const target = logger as unknown as Record<string, unknown>;
  if (typeof target.console !== 'object' || target.console === null) {
    throw new Error('the Powertools Logger has no console field to redirect: logs would go to stdout');
  }
  const toStderr = new Console({ stdout: process.stderr, stderr: process.stderr });
  // As Powertools does: `trace` prints the line, not a stack trace.
  toStderr.trace = (message?: unknown, ...rest: unknown[]) => toStderr.log(message, ...rest);
  target.console = toStderr;
}
