import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createDrsClient } from '../functions/shared/clients';
import { InvalidPlan } from '../functions/shared/errors';
import { logger } from '../functions/shared/observability';
import { validatePlan } from '../functions/shared/plan-rules';
import { type ExecutionResult, isLive } from '../functions/shared/types';
import { parseScenario, type Scenario, ScenarioInvalid } from '../local/drs-simulator';
import { runLocalExecution } from '../local/run-local-execution';
import { awsClients, followOnAws, resolveTarget, startOnAws, statusOnAws } from './aws-deployment';
import { checkPlan, checkText } from './check';
import { summaryText } from './format';
import { ProgressDisplay } from './progress';

/** Exit codes: 0 every wave COMPLETED, 1 FAILED, TIMED_OUT or CANCELLED, 2 bad input (nothing was launched). */
export const EXIT = { completed: 0, failed: 1, badInput: 2 } as const;

export const DEFAULT_STACK_NAME = 'DrsOrchestrator';

class BadInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInput';
  }
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new BadInput(`cannot read the ${what} file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadInput(`the ${what} file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

function readScenario(path: string | undefined): Scenario {
  if (!path) return parseScenario({});
  try {
    return parseScenario(readJson(path, 'scenario'));
  } catch (error) {
    if (error instanceof ScenarioInvalid)
      throw new BadInput(`the scenario file ${path} is not valid: ${error.message}`);
    throw error;
  }
}

interface AwsOptions {
  stackName: string;
  stateMachineArn?: string;
  tableName?: string;
  region?: string;
}

interface RunOptions extends AwsOptions {
  type: 'DRILL' | 'RECOVERY';
  scenario?: string;
  json?: boolean;
  logLevel: string;
  aws?: boolean;
  confirm?: boolean;
  pollSeconds: number;
}

/** Progress goes to stderr with --json (and only on a terminal), so stdout holds the one result object. */
function progressFor(json: boolean | undefined): ProgressDisplay | undefined {
  if (!json) return new ProgressDisplay(process.stdout);
  return process.stderr.isTTY ? new ProgressDisplay(process.stderr) : undefined;
}

function exitCodeOf(result: ExecutionResult): number {
  if (result.error === 'InvalidPlan' || result.error === 'PlanNotReady') return EXIT.badInput;
  return result.status === 'COMPLETED' ? EXIT.completed : EXIT.failed;
}

async function runCommand(planPath: string, options: RunOptions): Promise<number> {
  logger.setLogLevel(options.logLevel.toUpperCase() as never);
  const plan = readJson(planPath, 'plan');
  return options.aws ? runOnAws(planPath, plan, options) : runLocally(planPath, plan, options);
}

async function runLocally(planPath: string, plan: unknown, options: RunOptions): Promise<number> {
  const scenario = readScenario(options.scenario);
  const display = progressFor(options.json);
  const run = await runLocalExecution({
    input: { plan, executionType: options.type },
    scenario,
    onProgress: display?.onEvent,
  });
  display?.finish();
  const { result } = run;
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else
    process.stdout.write(`\n${summaryText(result, { seconds: run.simulatedSeconds, simulated: true }, result.drs)}\n`);
  // The workflow itself rejected the plan (so the result above is the real one); name every problem on stderr.
  const code = exitCodeOf(result);
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
    if (error instanceof InvalidPlan) throw new BadInput(`${planPath}: ${error.message}`);
    throw error;
  }
  if (options.type === 'RECOVERY' && !options.confirm) {
    throw new BadInput('a RECOVERY launches production workloads: add --confirm to start one');
  }
  const clients = awsClients(options.region);
  const target = await resolveTarget(clients, {
    stackName: options.stackName,
    ...(options.stateMachineArn ? { stateMachineArn: options.stateMachineArn } : {}),
    ...(options.tableName ? { executionsTableName: options.tableName } : {}),
  });
  const started = Date.now();
  const { executionId, executionArn } = await startOnAws(clients, target, plan, options.type, new Date());
  process.stderr.write(`Started ${executionArn}\n`);
  const display = progressFor(options.json);
  const { result } = await followOnAws(clients, target, executionId, {
    pollSeconds: options.pollSeconds,
    ...(display ? { onProgress: display.onEvent } : {}),
  });
  display?.finish();
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`\n${summaryText(result, { seconds: (Date.now() - started) / 1000, simulated: false })}\n`);
  return exitCodeOf(result);
}

async function statusCommand(executionId: string, options: AwsOptions & { json?: boolean }): Promise<number> {
  const clients = awsClients(options.region);
  const target = await resolveTarget(clients, {
    stackName: options.stackName,
    ...(options.stateMachineArn ? { stateMachineArn: options.stateMachineArn } : {}),
    ...(options.tableName ? { executionsTableName: options.tableName } : {}),
  });
  const { result, workflowStatus } = await statusOnAws(clients, target, executionId);
  if (!result) throw new BadInput(`no record of execution ${executionId} (Step Functions says ${workflowStatus})`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...result, workflowStatus }, null, 2)}\n`);
  } else {
    const ended = result.endedAt ? new Date(result.endedAt).getTime() : Date.now();
    const seconds = result.startedAt ? (ended - new Date(result.startedAt).getTime()) / 1000 : 0;
    process.stdout.write(`Execution ${executionId} (Step Functions: ${workflowStatus})\n\n`);
    process.stdout.write(`${summaryText(result, { seconds, simulated: false })}\n`);
  }
  if (isLive(result.status)) return EXIT.completed;
  return exitCodeOf(result);
}

async function checkCommand(
  planPath: string,
  options: { scenario?: string; aws?: boolean; region?: string; json?: boolean },
) {
  const plan = readJson(planPath, 'plan');
  if (options.aws && options.scenario)
    throw new BadInput('--scenario describes the local simulator; it cannot be used with --aws');
  const drs = options.aws ? createDrsClient(options.region ? { region: options.region } : {}) : undefined;
  try {
    const report = await checkPlan(plan, drs ? { drs } : { scenario: readScenario(options.scenario) });
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${checkText(report)}\n`);
    return report.ready ? EXIT.completed : EXIT.badInput;
  } finally {
    drs?.destroy();
  }
}

function executionType(value: string): 'DRILL' | 'RECOVERY' {
  const type = value.toUpperCase();
  if (type !== 'DRILL' && type !== 'RECOVERY') throw new InvalidArgumentError('must be drill or recovery');
  return type;
}

function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 1)
    throw new InvalidArgumentError('must be a number of seconds, at least 1');
  return seconds;
}

function withAwsOptions(command: Command): Command {
  return command
    .option(
      '--stack-name <name>',
      'the deployed stack whose outputs name the state machine and tables',
      DEFAULT_STACK_NAME,
    )
    .option('--state-machine-arn <arn>', 'the deployed state machine (instead of the stack outputs)')
    .option('--table-name <name>', 'the executions table (instead of the stack outputs)')
    .option('--region <region>', 'the AWS region (default: from the environment or profile)');
}

export function buildProgram(): Command {
  const program = new Command('drs-orchestrator')
    .description('Wave-by-wave AWS Elastic Disaster Recovery orchestration that reports only recoveries that happened.')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  const run = program
    .command('run')
    .description(
      'Run a recovery plan. By default on the local stack (the real workflow definition in aws-local-stepfunctions, DynamoDB in dynalite, a DRS simulator, simulated time; no AWS account needed); with --aws on the deployed workflow.',
    )
    .argument(
      '<plan.json>',
      'the recovery plan: { planId, name, pollIntervalSeconds, waves: [{ name, sourceServerIDs, timeoutMinutes }] }',
    )
    .addOption(new Option('--type <type>', 'drill or recovery').argParser(executionType).default('DRILL', 'drill'))
    .option('--scenario <scenario.json>', "local runs: the simulator's world (inventory, each server's launch outcome)")
    .option('--json', 'print one result object on stdout (progress goes to stderr, on a terminal only)')
    .option('--log-level <level>', "local runs: the task code's Powertools log level (JSON lines on stdout)", 'silent')
    .option('--aws', 'start the deployed workflow in your AWS account and follow it')
    .option('--confirm', 'with --aws --type recovery: yes, launch production workloads')
    .addOption(
      new Option('--poll-seconds <seconds>', 'with --aws: how often to read progress')
        .argParser(positiveSeconds)
        .default(15),
    );
  withAwsOptions(run)
    .addHelpText(
      'after',
      '\nExit codes: 0 every wave COMPLETED; 1 FAILED, TIMED_OUT or CANCELLED; 2 bad input (unreadable file, invalid plan or scenario; nothing launched).',
    )
    .action(async (plan: string, options: RunOptions) => {
      process.exitCode = await runCommand(plan, options);
    });
  program
    .command('check')
    .description(
      'Check a plan without launching anything: the plan rules, then DRS (every server exists and replicates CONTINUOUS, none is in a running job, every wave fits the quotas). Locally against the simulator, or with --aws against your account.',
    )
    .argument('<plan.json>', 'the recovery plan')
    .option('--scenario <scenario.json>', "local checks: the simulator's world (inventory, replication states)")
    .option('--aws', 'check against DRS in your AWS account (read-only calls)')
    .option('--region <region>', 'with --aws: the AWS region (default: from the environment or profile)')
    .option('--json', 'print the report as one JSON object')
    .addHelpText('after', '\nExit codes: 0 the plan can run now; 2 it cannot (every problem is named).')
    .action(async (plan: string, options: { scenario?: string; aws?: boolean; region?: string; json?: boolean }) => {
      process.exitCode = await checkCommand(plan, options);
    });
  withAwsOptions(
    program
      .command('status')
      .description(
        'Show one execution of the deployed workflow: its waves, servers, error and cause, from the records.',
      )
      .argument('<executionId>', 'the execution name (as printed by run, the API or the console)')
      .option('--json', 'print the execution as one JSON object'),
  ).action(async (executionId: string, options: AwsOptions & { json?: boolean }) => {
    process.exitCode = await statusCommand(executionId, options);
  });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  // `drs-orchestrator run ... | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return 0;
    if (code?.startsWith('commander.')) return EXIT.badInput;
    if (error instanceof BadInput) {
      process.stderr.write(`drs-orchestrator: ${error.message}\n`);
      return EXIT.badInput;
    }
    const name = (error as Error).name;
    if (/Region is missing/i.test((error as Error).message ?? '')) {
      process.stderr.write('drs-orchestrator: no AWS region: set AWS_REGION or pass --region\n');
      return EXIT.badInput;
    }
    if (
      name === 'CredentialsProviderError' ||
      name === 'ExpiredTokenException' ||
      name === 'UnrecognizedClientException'
    ) {
      process.stderr.write(`drs-orchestrator: no usable AWS credentials (${(error as Error).message})\n`);
      return EXIT.badInput;
    }
    process.stderr.write(`drs-orchestrator: ${(error as Error).stack ?? error}\n`);
    return EXIT.failed;
  }
}
