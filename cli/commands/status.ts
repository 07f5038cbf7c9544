import type { Command } from 'commander';
import { isLive } from '../../functions/shared/types';
import { connectToStack, statusOnAws } from '../aws-deployment';
import { BadInput, EXIT, exitCodeOfResult } from '../exit-codes';
import { summaryText, terminalColumns } from '../format';
import { type AwsTargetOptions, withAwsTargetOptions } from '../options';

interface StatusOptions extends AwsTargetOptions {
  json?: boolean;
}

/** `drs-orchestrator status <executionId>`: one execution of the deployed workflow, from the records. */
export function addStatusCommand(program: Command): void {
  withAwsTargetOptions(
    program
      .command('status')
      .description(
        'Show one execution of the deployed workflow: its waves, servers, error and cause, from the records.',
      )
      .argument('<executionId>', 'the execution name (as printed by run, the API or the console)')
      .option('--json', 'print the execution as one JSON object'),
  ).action(async (executionId: string, options: StatusOptions) => {
    process.exitCode = await statusCommand(executionId, options);
  });
}

async function statusCommand(executionId: string, options: StatusOptions): Promise<number> {
  const { clients, target } = await connectToStack(options);
  const { result, workflowStatus } = await statusOnAws(clients, target, executionId);
  if (!result) throw new BadInput(`no record of execution ${executionId} (Step Functions says ${workflowStatus})`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...result, workflowStatus }, null, 2)}\n`);
  } else {
    const ended = result.endedAt ? new Date(result.endedAt).getTime() : Date.now();
    const seconds = result.startedAt ? (ended - new Date(result.startedAt).getTime()) / 1000 : 0;
    process.stdout.write(`Execution ${executionId} (Step Functions: ${workflowStatus})\n\n`);
    process.stdout.write(`${summaryText(result, { seconds, simulated: false }, undefined, terminalColumns())}\n`);
  }
  // An execution still running is not a failure of `status`.
  if (isLive(result.status)) return EXIT.completed;
  return exitCodeOfResult(result);
}
