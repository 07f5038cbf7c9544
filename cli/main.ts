import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { logger } from '../functions/shared/observability';
import { parseScenario, type Scenario, ScenarioInvalid } from '../local/drs-simulator';
import { runLocalExecution } from '../local/run-local-execution';
import { summaryText } from './format';
import { ProgressDisplay } from './progress';

/** Exit codes: 0 every wave COMPLETED, 1 FAILED or TIMED_OUT, 2 bad input (nothing was launched). */
export const EXIT = { completed: 0, failed: 1, badInput: 2 } as const;

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

interface RunOptions {
  type: 'DRILL' | 'RECOVERY';
  scenario?: string;
  json?: boolean;
  logLevel: string;
}

async function runCommand(planPath: string, options: RunOptions): Promise<number> {
  logger.setLogLevel(options.logLevel.toUpperCase() as never);
  const plan = readJson(planPath, 'plan');
  const scenario = readScenario(options.scenario);
  // Progress goes to stderr with --json, so stdout holds the one result object.
  const progressOut = options.json ? process.stderr : process.stdout;
  const display = options.json && !process.stderr.isTTY ? undefined : new ProgressDisplay(progressOut);
  const run = await runLocalExecution({
    input: { plan, executionType: options.type },
    scenario,
    onProgress: display?.onEvent,
  });
  display?.finish();
  const { result } = run;

  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`\n${summaryText(result, run.simulatedSeconds)}\n`);

  if (result.error === 'InvalidPlan') {
    process.stderr.write(`${planPath}: ${result.cause}\n`);
    return EXIT.badInput;
  }
  return result.status === 'COMPLETED' ? EXIT.completed : EXIT.failed;
}

function executionType(value: string): 'DRILL' | 'RECOVERY' {
  const type = value.toUpperCase();
  if (type !== 'DRILL' && type !== 'RECOVERY') throw new InvalidArgumentError('must be drill or recovery');
  return type;
}

export function buildProgram(): Command {
  const program = new Command('drs-orchestrator')
    .description('Wave-by-wave AWS Elastic Disaster Recovery orchestration that reports only recoveries that happened.')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  program
    .command('run')
    .description(
      'Run a recovery plan on the local stack: the real workflow definition in aws-local-stepfunctions, DynamoDB in dynalite and a DRS simulator, in simulated time. No AWS account needed.',
    )
    .argument(
      '<plan.json>',
      'the recovery plan: { planId, name, pollIntervalSeconds, waves: [{ name, sourceServerIDs, timeoutMinutes }] }',
    )
    .addOption(new Option('--type <type>', 'drill or recovery').argParser(executionType).default('DRILL', 'drill'))
    .option('--scenario <scenario.json>', "the simulator's world: inventory, each server's launch outcome, faults")
    .option('--json', 'print one result object on stdout (progress goes to stderr on a terminal only)')
    .option('--log-level <level>', "the task code's Powertools log level (JSON lines on stdout)", 'silent')
    .addHelpText(
      'after',
      '\nExit codes: 0 every wave COMPLETED; 1 FAILED or TIMED_OUT; 2 bad input (unreadable file, invalid plan or scenario).',
    )
    .action(async (plan: string, options: RunOptions) => {
      process.exitCode = await runCommand(plan, options);
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
    const code = (error as { code?: string; exitCode?: number }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return 0;
    if (code?.startsWith('commander.')) return EXIT.badInput;
    if (error instanceof BadInput) {
      process.stderr.write(`drs-orchestrator: ${error.message}\n`);
      return EXIT.badInput;
    }
    process.stderr.write(`drs-orchestrator: ${(error as Error).stack ?? error}\n`);
    return EXIT.failed;
  }
}
