import { Command } from 'commander';
import { logger } from '../functions/shared/observability';
import { version } from '../package.json';
import { addApproveCommand } from './commands/approve';
import { addCheckCommand } from './commands/check';
import { addCleanupCommand } from './commands/cleanup';
import { addConsoleCommand } from './commands/console';
import { addReportCommand } from './commands/report';
import { addRunCommand } from './commands/run';
import { addStatusCommand } from './commands/status';
import { exitOfError } from './exit-codes';
import { sendLogsToStderr } from './log-output';

/** The `drs-orchestrator` program: its commands, each in `commands/`, and `--version`. */
export function buildProgram(): Command {
  const program = new Command('drs-orchestrator')
    .description('Wave-by-wave AWS Elastic Disaster Recovery orchestration that reports only recoveries that happened.')
    .version(version, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  addRunCommand(program);
  addCheckCommand(program);
  addStatusCommand(program);
  addApproveCommand(program);
  addReportCommand(program);
  addCleanupCommand(program);
  addConsoleCommand(program);
  return program;
}

/** Runs the CLI with `argv` and returns its exit code (`exit-codes.ts`). */
export async function main(argv: string[]): Promise<number> {
  // Logs (local runs: the task code's) go to stderr, so stdout holds only what the command prints.
  sendLogsToStderr(logger);
  // `drs-orchestrator run ... | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    const { code, message } = exitOfError(error);
    if (message !== undefined) process.stderr.write(`drs-orchestrator: ${message}\n`);
    return code;
  }
}
