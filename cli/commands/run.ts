import { userInfo } from 'node:os';
import { LogLevel } from '@aws-lambda-powertools/logger';
import type { Command } from 'commander';
import { InvalidPlan } from '../../functions/shared/errors';
import { logger } from '../../functions/shared/observability';
import { validatePlan } from '../../functions/shared/plan-rules';
import { buildReport } from '../../functions/shared/report/report-facts';
import { STEP_FUNCTIONS_LIMITS } from '../../functions/shared/step-functions-limits';
import type { ExecutionResult, ExecutionType } from '../../functions/shared/types';
import type { LocalApprovals } from '../../local/approvals';
import type { DrsCounts, Scenario } from '../../local/drs-simulator';
import { runLocalExecution } from '../../local/run-local-execution';
import { terminalApprover } from '../approval-prompt';
import { OrchestratorApiClient } from '../aws/api-client';
import { reportThroughApi } from '../aws/report-through-api';
import { startThroughApi } from '../aws/start-through-api';
import { connectToStack, followOnAws } from '../aws-deployment';
import { checkText } from '../check';
import { BadInput, EXIT, exitCodeOfResult } from '../exit-codes';
import { rejectionText, summaryText, terminalColumns } from '../format';
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
import { writeReportFiles } from '../report-files';

interface RunOptions extends AwsTargetOptions {
  type: ExecutionType;
  name?: string;
  scenario?: string;
  json?: boolean;
  logLevel: LogLevelName;
  aws?: boolean;
  confirm?: boolean;
  /** false with `--no-update-plan`. */
  updatePlan: boolean;
  apiUrl?: string;
  pollSeconds: number;
  autoApprove?: boolean;
  /** `--report <file.html>`: the RTO/RPO report's page there, its JSON facts beside it. */
  report?: string;
  cleanupNow?: boolean;
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
    .option(
      '--aws',
      "start the plan through the deployed stack's API (POST /plans/{planId}/drills or /recoveries, signed with your credentials) and follow it",
    )
    .option('--confirm', 'with --aws --type recovery: yes, launch production workloads')
    .option(
      '--cleanup-now',
      "local drills: terminate the drill's recovery instances right after it ends (simulated), instead of leaving the cleanup SCHEDULED",
    )
    .option(
      '--no-update-plan',
      'with --aws: never store the plan file in the API (PUT /plans/{planId}); refuse if the stored plan differs',
    )
    .option('--api-url <url>', "with --aws: the deployed API (instead of the stack's ApiUrl output)")
    .option(
      '--auto-approve',
      "local runs: approve every approval gate at once (the scenario's approvals still decide the gates they name)",
    )
    .option(
      '--report <file.html>',
      'when the execution ends, write its RTO/RPO report there (one self-contained HTML page) and the same facts as JSON beside it (<file>.json)',
    )
    .addOption(pollSecondsOption());
  withAwsTargetOptions(run)
    .addHelpText(
      'after',
      '\nExit codes: 0 every wave COMPLETED; 1 FAILED, TIMED_OUT or CANCELLED; 2 bad input (unreadable file, invalid plan or scenario; with --aws also the API refusing the start: 400 problems with the plan, 403 not allowed, 409 a live execution; nothing launched).',
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

/**
 * Progress goes to stderr with --json (and only on a terminal), so stdout holds the one result
 * object. While logs are on they share the terminal with the view, and a line written between two
 * redraws would be overwritten: the view is then one line per change, as in a pipe.
 */
function progressFor(options: RunOptions, simulatedTime: boolean): ProgressDisplay | undefined {
  const out = options.json ? process.stderr : process.stdout;
  if (options.json && !out.isTTY) return undefined;
  const logging = options.logLevel !== LogLevel.SILENT;
  return new ProgressDisplay(out, { simulatedTime, interactive: Boolean(out.isTTY) && !logging });
}

async function runLocally(planPath: string, plan: unknown, options: RunOptions): Promise<number> {
  if (options.cleanupNow && options.type !== 'DRILL') {
    throw new BadInput(
      "--cleanup-now cleans up a DRILL: a RECOVERY's recovery instances are never terminated by the orchestrator",
    );
  }
  const scenario = readScenario(options.scenario, plan);
  refuseOversizedInput(planPath, { plan, executionType: options.type });
  const display = progressFor(options, true);
  let start: Date | undefined;
  const run = await runLocalExecution({
    input: { plan, executionType: options.type, startedBy: localUser() },
    ...(options.name ? { executionName: options.name } : {}),
    scenario,
    onProgress: (event) => {
      if (event.type === 'execution-started') start = event.at;
      display?.onEvent(event);
    },
    approvals: localApprovals(scenario, options, () => start),
    ...(options.cleanupNow ? { cleanupNow: true } : {}),
  });
  display?.finish();
  const { result } = run;
  if (options.report && run.records) {
    // Built at the end of simulated time, the clock the records were written by.
    const endedAt = run.records.execution.endedAt;
    reportWritten(writeReportFiles(options.report, buildReport(run.records, new Date(endedAt ?? Date.now()))));
  }
  return printOutcome(result, options, { seconds: run.simulatedSeconds, simulated: true }, result.drs);
}

const reportWritten = (files: { html: string; json: string }) =>
  process.stderr.write(`Report written to ${files.html} (facts: ${files.json})\n`);

/** Who started a local drill, for its records and report: the local user. */
function localUser(): string {
  try {
    return `${userInfo().username} (local drill)`;
  } catch {
    // A container user without a passwd entry has no name to give.
    return `${process.env.USER ?? 'unknown user'} (local drill)`;
  }
}

/**
 * Who decides a local drill's gates: the scenario's entries; then --auto-approve; then, on a
 * terminal, the person running it; otherwise nobody, and the gate waits to its timeout (simulated).
 */
function localApprovals(scenario: Scenario, options: RunOptions, start: () => Date | undefined): LocalApprovals {
  return {
    ...(scenario.approvals ? { scenario: scenario.approvals } : {}),
    ...(options.autoApprove ? { autoApprove: true } : {}),
    ...(process.stdin.isTTY ? { ask: terminalApprover({ input: process.stdin, output: process.stderr }, start) } : {}),
  };
}

/**
 * The result, and its exit code. A plan the workflow rejected before launching anything
 * (`InvalidPlan`, `PlanNotReady`) gets no table (it has no waves): its problems, once, as a list
 * on stderr, as `check` prints them; `--json` still prints the result, which is the real one.
 */
function printOutcome(
  result: ExecutionResult,
  options: RunOptions,
  elapsed: { seconds: number; simulated: boolean },
  drs?: DrsCounts,
): number {
  const code = exitCodeOfResult(result);
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (code === EXIT.badInput) {
    process.stderr.write(`${rejectionText(result)}\n`);
    return code;
  }
  if (!options.json) process.stdout.write(`\n${summaryText(result, elapsed, drs, terminalColumns())}\n`);
  return code;
}

async function runOnAws(planPath: string, rawPlan: unknown, options: RunOptions): Promise<number> {
  if (options.scenario) throw new BadInput('--scenario describes the local simulator; it cannot be used with --aws');
  if (options.autoApprove) {
    throw new BadInput(
      "--auto-approve decides a local drill's gates; on AWS decide each gate with drs-orchestrator approve",
    );
  }
  if (options.cleanupNow) {
    throw new BadInput(
      '--cleanup-now is for local drills; on AWS a drill is cleaned up on its schedule, or now with drs-orchestrator cleanup <executionId> --aws',
    );
  }
  let plan: ReturnType<typeof validatePlan>;
  try {
    plan = validatePlan(rawPlan);
  } catch (error) {
    // Checked here too, so a plan that cannot run never reaches the account.
    if (error instanceof InvalidPlan) {
      const planId = (rawPlan as { planId?: unknown } | null)?.planId;
      const report = {
        executionType: options.type,
        ready: false,
        error: 'InvalidPlan' as const,
        problems: error.problems,
        warnings: [],
      };
      throw new BadInput(`${planPath}: ${checkText(typeof planId === 'string' ? { planId, ...report } : report)}`, {
        cause: error,
      });
    }
    throw error;
  }
  if (options.type === 'RECOVERY' && !options.confirm) {
    throw new BadInput('a RECOVERY launches production workloads: add --confirm to start one');
  }
  const { clients, region, target } = await connectToStack(options, { withApi: true });
  // withApi: connectToStack has found the URL, or failed naming the missing output.
  const api = new OrchestratorApiClient({ apiUrl: target.apiUrl as string, region });
  const started = Date.now();
  const start = await startThroughApi(api, {
    planPath,
    file: rawPlan,
    plan,
    executionType: options.type,
    confirmed: options.confirm === true,
    updatePlan: options.updatePlan,
    ...(options.name ? { name: options.name } : {}),
  });
  if (start.storedPlan !== 'unchanged') {
    const why = start.storedPlan === 'created' ? 'it was not stored' : `it differed in ${start.differences.join(', ')}`;
    process.stderr.write(`Stored ${planPath} as plan '${plan.planId}' (PUT /plans/${plan.planId}): ${why}\n`);
  }
  const { executionId, executionArn } = start;
  process.stderr.write(
    `${start.alreadyStarted ? 'Already started (same --name), following' : 'Started'} ${executionArn}\n`,
  );
  const display = progressFor(options, false);
  const { result } = await followOnAws(clients, target, executionId, {
    pollSeconds: options.pollSeconds,
    ...(display ? { onProgress: display.onEvent } : {}),
  });
  display?.finish();
  if (options.report) reportWritten(writeReportFiles(options.report, await reportThroughApi(api, executionId)));
  return printOutcome(result, options, { seconds: (Date.now() - started) / 1000, simulated: false });
}

/**
 * StartExecution refuses an input over 256 KiB (the local stack too): no workflow runs to name the
 * plan's problems, so the plan rules name them here, as `--aws` does before it starts anything.
 */
function refuseOversizedInput(planPath: string, input: { plan: unknown; executionType: string }): void {
  const bytes = Buffer.byteLength(JSON.stringify(input), 'utf8');
  if (bytes <= STEP_FUNCTIONS_LIMITS.payloadBytes) return;
  try {
    validatePlan(input.plan);
  } catch (error) {
    if (error instanceof InvalidPlan) throw new BadInput(`${planPath}: ${error.message}`, { cause: error });
    throw error;
  }
  throw new BadInput(
    `${planPath}: the execution input is ${bytes} bytes, more than the ${STEP_FUNCTIONS_LIMITS.payloadBytes} Step Functions accepts`,
  );
}
