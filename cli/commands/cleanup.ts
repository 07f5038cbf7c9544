import type { Command } from 'commander';
import type { DrillCleanup } from '../../functions/shared/types';
import { apiPath, OrchestratorApiClient } from '../aws/api-client';
import { refusal } from '../aws/start-through-api';
import { connectToStack } from '../aws-deployment';
import { cleanupLines } from '../cleanup-text';
import { BadInput, CommandFailed, EXIT } from '../exit-codes';
import { type AwsTargetOptions, withAwsTargetOptions } from '../options';

interface CleanupOptions extends AwsTargetOptions {
  aws?: boolean;
  apiUrl?: string;
  json?: boolean;
}

interface CleanupAnswer {
  executionId: string;
  started: boolean;
  message: string;
  cleanup: DrillCleanup;
}

/**
 * `drs-orchestrator cleanup <executionId>`: a drill's cleanup on demand, through the deployed
 * API (`POST /executions/{executionId}/cleanup`, signed with your credentials: the recovery
 * operator's route). A local drill's stack ends with its run: clean it up with `run --cleanup-now`.
 */
export function addCleanupCommand(program: Command): void {
  withAwsTargetOptions(
    program
      .command('cleanup')
      .description(
        "Terminate a deployed DRILL's recovery instances now (only those its own jobs launched as drill instances), cancelling its scheduled cleanup. A second cleanup does nothing and says so.",
      )
      .argument('<executionId>', 'the DRILL execution (as printed by run, the API or the console)')
      .option('--aws', 'the deployed stack (the default: a local drill is cleaned up with run --cleanup-now)')
      .option('--api-url <url>', "the deployed API (instead of the stack's ApiUrl output)")
      .option('--json', 'print the answer as one JSON object'),
  )
    .addHelpText(
      'after',
      '\nExit codes: 0 the cleanup started, or there was nothing to do; 2 refused (a RECOVERY, a drill still running, an unknown execution, not allowed); 1 anything else.',
    )
    .action(async (executionId: string, options: CleanupOptions) => {
      process.exitCode = await cleanupCommand(executionId, options);
    });
}

async function cleanupCommand(executionId: string, options: CleanupOptions): Promise<number> {
  const { region, target } = await connectToStack(options, { withApi: true });
  const api = new OrchestratorApiClient({ apiUrl: target.apiUrl as string, region });
  const route = `POST /executions/${executionId}/cleanup`;
  const answer = await api.send('POST', apiPath('executions', executionId, 'cleanup'));
  if (answer.status === 404) throw new BadInput(`${route} answered 404: there is no execution ${executionId}`);
  if (answer.status !== 200 && answer.status !== 202) {
    throw refusal(answer, route, 'Cleaning up terminates instances: it needs the recovery operator policy.');
  }
  const body = answer.body as CleanupAnswer;
  if (typeof body?.message !== 'string' || typeof body.cleanup?.status !== 'string') {
    throw new CommandFailed(`${route} answered ${answer.status} without a cleanup: ${JSON.stringify(answer.body)}`);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  else {
    process.stdout.write(`${executionId}: ${body.message}\n`);
    for (const line of cleanupLines({
      executionId,
      executionType: 'DRILL',
      status: 'COMPLETED',
      cleanup: body.cleanup,
    }))
      process.stdout.write(`${line}\n`);
  }
  return EXIT.completed;
}
