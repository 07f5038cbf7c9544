import type { Command } from 'commander';
import { OrchestratorApiClient } from '../aws/api-client';
import { decideThroughApi } from '../aws/decide-through-api';
import { connectToStack } from '../aws-deployment';
import { BadInput, EXIT } from '../exit-codes';
import { type AwsTargetOptions, withAwsTargetOptions } from '../options';

interface ApproveOptions extends AwsTargetOptions {
  wave?: string;
  reject?: boolean;
  comment?: string;
  aws?: boolean;
  apiUrl?: string;
  json?: boolean;
}

/** `drs-orchestrator approve <executionId> [--wave <index>] [--reject] [--comment ...] --aws`: a gate's decision. */
export function addApproveCommand(program: Command): void {
  withAwsTargetOptions(
    program
      .command('approve')
      .description(
        "Decide a wave's approval gate on the deployed workflow (through the API, signed with your credentials): approve it, or with --reject reject it (the execution ends CANCELLED, nothing more is launched).",
      )
      .argument('<executionId>', 'the execution name (as printed by run, the API or the notification)')
      .option('--wave <index>', 'the wave, by its index from 0 (default: the one wave awaiting approval)')
      .option('--reject', 'reject the gate instead of approving it')
      .option('--comment <text>', 'why: kept in the record with who decided and when')
      .option(
        '--aws',
        "the deployed stack (required: a local drill's gates are decided by its scenario or at its prompt)",
      )
      .option('--api-url <url>', "the deployed API (instead of the stack's ApiUrl output)")
      .option('--json', 'print the decision as one JSON object'),
  )
    .addHelpText(
      'after',
      '\nExit codes: 0 decided; 1 the API failed (5xx); 2 bad input (no --aws, a bad --wave) or the API refusing the decision (404 unknown execution or wave, 409 not awaiting approval or the gate already closed, 403 not allowed).',
    )
    .action(async (executionId: string, options: ApproveOptions) => {
      process.exitCode = await approveCommand(executionId, options);
    });
}

async function approveCommand(executionId: string, options: ApproveOptions): Promise<number> {
  if (!options.aws) {
    throw new BadInput(
      'approve decides a gate of the deployed workflow: add --aws (a local drill decides its gates with the scenario\'s "approvals", run --auto-approve, or at its prompt)',
    );
  }
  const wave = options.wave === undefined ? undefined : Number(options.wave);
  if (wave !== undefined && !(Number.isInteger(wave) && wave >= 0 && /^\d+$/.test(options.wave ?? ''))) {
    throw new BadInput(`--wave must be a wave's index, a whole number from 0 (got ${JSON.stringify(options.wave)})`);
  }
  const { region, target } = await connectToStack(options, { withApi: true });
  const api = new OrchestratorApiClient({ apiUrl: target.apiUrl as string, region });
  const decision = options.reject ? 'REJECT' : 'APPROVE';
  const decided = await decideThroughApi(api, {
    executionId,
    ...(wave !== undefined ? { wave } : {}),
    decision,
    ...(options.comment ? { comment: options.comment } : {}),
  });
  if (options.json) process.stdout.write(`${JSON.stringify({ executionId, ...decided }, null, 2)}\n`);
  else {
    const by = typeof decided.approval.by === 'string' ? ` by ${decided.approval.by}` : '';
    process.stdout.write(
      `Wave ${decided.waveIndex} of ${executionId}: ${decision === 'APPROVE' ? 'approved' : 'rejected'}${by}\n`,
    );
  }
  return EXIT.completed;
}
