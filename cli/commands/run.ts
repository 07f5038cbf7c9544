import type { Command } from 'commander';
import { InvalidPlan } from '../../functions/shared/errors';
import { logger } from '../../functions/shared/observability';
import { validatePlan } from '../../functions/shared/plan-rules';
import type { ExecutionType } from '../../functions/shared/types';
import { runLocalExecution } from '../../local/run-local-execution';
import { connectToStack, followOnAws, startOnAws } from '../aws-deployment';
import { BadInput, EXIT, exitCodeOfResult } from '../exit-codes';
import { summaryText } from '../format';
import { readJson, readScenario } from '../input-files';
import {
  type AwsTargetOptions,
  executionNameOption,
  executionTypeOption,
  type LogLevelName,
  logLevelOption,
  pollSecondsOption,
  withAwsTargetOptions,
} from '../options';
import { ProgressDisplay } from '../progress';

interface RunOptions extends AwsTargetOptions {
  type: ExecutionType;
  name?: string;
  scenario?: string;
  json?: boolean;
  logLevel: LogLevelName;
  aws?: boolean;
  confirm?: boolean;
  pollSeconds: number;
}

/** `drs-orchestrator run <plan.json>`: a plan on the local stack, or with --aws on the deployed workflow. */
export function addRunCommand(program: Command): void {
  const run = program
    .command('run')
    .description(
      'Run a recovery plan. By default on the local stack (the real workflow definition in aws-local-stepfunctions, DynamoDB in dynalite, a DRS simulator, simulated time; no AWS account needed); with --aws on the deployed workflow.',
    )
    .argument(
      '<plan.json>',
      'the recovery plan: { planId, name, pollIntervalSeconds, waves: [{ name, sourceServerIDs, timeoutMinutes }] }',
    )
    .addOption(executionTypeOption())
    .addOption(executionNameOption())
    .option('--scenario <scenario.json>', "local runs: the simulator's world (inventory, each server's launch outcome)")
    .option('--json', 'print one result object on stdout (progress goes to stderr, on a terminal only)')
    .addOption(logLevelOption())
    .option('--aws', 'start the deployed workflow in your AWS account and follow it')
    .option('--confirm', 'with --aws --type recovery: yes, launch production workloads')
    .addOption(pollSecondsOption());
  withAwsTargetOptions(run)
    .addHelpText(
      'after',
      '\nExit codes: 0 every wave COMPLETED; 1 FAILED, TIMED_OUT or CANCELLED; 2 bad input (unreadable file, invalid plan or scenario; nothing launched).',
    )
    .action(async (plan: string, options: RunOptions) => {
      process.exitCode = await runCommand(plan, options);
    });
}

async function runCommand(planPath: string, options: RunOptions): Promise<number> {
  logger.setLogLevel(options.logLevel);
  const plan = readJson(planPath, 'plan');
  return options.aws ? runOnAws(planPath, plan, options) : runLocally(planPath, plan, options);
}

/** Progress goes to stderr with --json (and only on a terminal), so stdout holds the one result object. */
function progressFor(json: boolean | undefined): ProgressDisplay | undefined {
  if (!json) return new ProgressDisplay(process.stdout);
  return process.stderr.isTTY ? new ProgressDisplay(process.stderr) : undefined;
}

async function runLocally(planPath: string, plan: unknown, options: RunOptions): Promise<number> {
  const scenario = readScenario(options.scenario);
  const display = progressFor(options.json);
  const run = await runLocalExecution({
    input: { plan, executionType: options.type },
    ...(options.name ? { executionName: options.name } : {}),
    scenario,
    ...(display ? { onProgress: display.onEvent } : {}),
  });
  display?.finish();
  const { result } = run;
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else
    process.stdout.write(`\n${summaryText(result, { seconds: run.simulatedSeconds, simulated: true }, result.drs)}\n`);
  // The workflow itself rejected the plan (so the result above is the real one); name every problem on stderr.
  const code = exitCodeOfResult(result);
  if (code === EXIT.badInput) process.stderr.write(`${planPath}: ${result.cause}\n`);
  return code;
}

async function runOnAws(planPath: string, rawPlan: unknown, options: RunOptions): Promise<number> {
  if (options.scenario) throw new BadInput('--scenario describes the local simulator; it cannot be used with --aws');
  let plan: ReturnType<typeof validatePlan>;
  try {
    plan = validatePlan(rawPlan);
  } catch (error) {
    // Checked here too, so a plan that cannot run never reaches the account.
    if (error instanceof InvalidPlan) throw new BadInput(`${planPath}: ${error.message}`, { cause: error });
    throw error;
  }
  if (options.type === 'RECOVERY' && !options.confirm) {
    throw new BadInput('a RECOVERY launches production workloads: add --confirm to start one');
  }
  const { clients, target } = await connectToStack(options);
  const started = Date.now();
  const { executionId, executionArn } = await startOnAws(clients, target, plan, options.type, new Date(), options.name);
  process.stderr.write(`Started ${executionArn}\n`);
  const display = progressFor(options.json);
  const { result } = await followOnAws(clients, target, executionId, {
    pollSeconds: options.pollSeconds,
    ...(display ? { onProgress: display.onEvent } : {}),
  });
  display?.finish();
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`\n${summaryText(result, { seconds: (Date.now() - started) / 1000, simulated: false })}\n`);
  return exitCodeOfResult(result);
}
