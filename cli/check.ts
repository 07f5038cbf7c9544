import type { DrsClient } from '@aws-sdk/client-drs';
import { createDrsClient } from '../functions/shared/clients';
import { DEFAULT_DRS_LIMITS } from '../functions/shared/drs-limits';
import { InvalidPlan } from '../functions/shared/errors';
import { validatePlan } from '../functions/shared/plan-rules';
import { preflight } from '../functions/shared/preflight';
import type { ExecutionType } from '../functions/shared/types';
import { DrsSimulator, type Scenario } from '../local/drs-simulator';
import { LOCAL_CREDENTIALS } from '../local/dynamodb';
import { serverIDsInPlan } from '../local/scenario-plan-check';
import { SimulatedClock } from '../local/simulated-clock';

/** What `drs-orchestrator check` reports: the same checks the workflow's first task makes, alone. */
export interface CheckReport {
  planId?: string;
  executionType: ExecutionType;
  ready: boolean;
  error?: 'InvalidPlan' | 'PlanNotReady';
  problems: string[];
  /** What the run would warn about (a RECOVERY from old snapshots), shown whether or not it can run. */
  warnings: string[];
  /** Whose DRS was asked: the local simulator (its inventory invented by the scenario) or the account's. */
  checkedAgainst?: 'simulator' | 'aws';
  /** The plan's waves and servers, counted as given when the plan rules refuse it. */
  waves?: number;
  servers?: number;
  /** Recovery jobs running in DRS now; null when DRS was not asked (the plan rules refused the plan first). */
  activeJobs?: number | null;
}

/** Validates the plan, then checks it against DRS (the simulator, or the account with `drs`). Launches nothing. */
export async function checkPlan(
  rawPlan: unknown,
  target: { scenario: Scenario } | { drs: DrsClient },
  executionType: ExecutionType = 'DRILL',
): Promise<CheckReport> {
  const checkedAgainst = 'drs' in target ? 'aws' : 'simulator';
  let plan: ReturnType<typeof validatePlan>;
  try {
    plan = validatePlan(rawPlan);
  } catch (error) {
    if (!(error instanceof InvalidPlan)) throw error;
    const planId = (rawPlan as { planId?: unknown })?.planId;
    const waves = (rawPlan as { waves?: unknown })?.waves;
    return {
      ...(typeof planId === 'string' ? { planId } : {}),
      executionType,
      ready: false,
      error: 'InvalidPlan',
      problems: error.problems,
      warnings: [],
      checkedAgainst,
      waves: Array.isArray(waves) ? waves.length : 0,
      servers: new Set(serverIDsInPlan(rawPlan)).size,
      activeJobs: null,
    };
  }
  let simulator: DrsSimulator | undefined;
  let drs: DrsClient;
  // The simulator's world lives in simulated time: data ages and job windows are measured on its clock.
  let now = new Date();
  if ('drs' in target) {
    drs = target.drs;
  } else {
    const clock = new SimulatedClock();
    now = clock.now();
    simulator = new DrsSimulator({
      scenario: target.scenario,
      clock,
      planServerIDs: plan.waves.flatMap((wave) => [...wave.sourceServerIDs, ...(wave.optionalSourceServerIDs ?? [])]),
    });
    drs = createDrsClient({
      drsEndpoint: await simulator.start(),
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
  }
  try {
    const report = await preflight(drs, plan, DEFAULT_DRS_LIMITS, now, executionType);
    const problems = [...report.invalid, ...report.notReady];
    const error = report.invalid.length > 0 ? 'InvalidPlan' : report.notReady.length > 0 ? 'PlanNotReady' : undefined;
    return {
      planId: plan.planId,
      executionType,
      ready: problems.length === 0,
      ...(error ? { error } : {}),
      problems,
      warnings: report.warnings,
      checkedAgainst,
      waves: plan.waves.length,
      servers: report.servers,
      activeJobs: report.activeJobs,
    };
  } finally {
    if (simulator) {
      drs.destroy();
      await simulator.stop();
    }
  }
}

/** The report for a person; `planPath` is the plan file as given, for the command that checks the account. */
export function checkText(report: CheckReport, planPath = '<plan.json>'): string {
  // A local check asks the simulator, whose servers the scenario (or the plan itself) invented: say so first.
  const where =
    report.checkedAgainst === 'simulator'
      ? ' in the DRS simulator'
      : report.checkedAgainst === 'aws'
        ? ' in your AWS account'
        : '';
  const data =
    report.executionType === 'RECOVERY' ? 'exist and have a recovery snapshot' : 'exist and replicate CONTINUOUS';
  const lines = report.ready
    ? [
        `Plan ${report.planId} is ready for a ${report.executionType}${where}: ${report.servers} servers in ${report.waves} wave(s) ${data}, none is in a running DRS job, and every wave fits the DRS quotas (${report.activeJobs} job(s) running now).`,
      ]
    : [
        `Plan ${report.planId ?? '(no valid planId)'} cannot run${report.activeJobs === null ? '' : where}: ${report.error} (${report.problems.length} problem${report.problems.length === 1 ? '' : 's'})`,
        ...report.problems.map((problem) => `  - ${problem}`),
      ];
  if (report.warnings.length > 0) {
    lines.push(`Warnings (${report.warnings.length}):`, ...report.warnings.map((warning) => `  ! ${warning}`));
  }
  if (report.checkedAgainst === 'simulator' && report.activeJobs !== null) {
    lines.push(
      `This checked the simulator's invented inventory (the scenario's sourceServers, or without --scenario every plan server, replicating CONTINUOUS), not DRS in your AWS account. To check your account: drs-orchestrator check ${planPath} --aws`,
    );
  }
  return lines.join('\n');
}
