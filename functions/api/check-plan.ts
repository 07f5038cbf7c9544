import type { DrsClient } from '@aws-sdk/client-drs';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { DEFAULT_DRS_LIMITS } from '../shared/drs-limits';
import { InvalidPlan } from '../shared/errors';
import { validatePlan } from '../shared/plan-rules';
import { type PreflightReport, preflight, waveLabel } from '../shared/preflight';
import type { ExecutionType, Plan } from '../shared/types';
import { problemsOf } from '../shared/zod-problems';
import type { ApiDeps, Operation } from './api';
import { badRequest, json, notFound } from './http';
import { planIdInPath } from './path-ids';
import { checkPlanBody, readJsonBody } from './request';

/** The DRS a check asks, and what to do when it is done (the local console starts a simulator per check). */
export interface CheckTarget {
  drs: DrsClient;
  now: Date;
  release?: () => Promise<void>;
}

/** One server's problems, within its wave. */
export interface CheckedServer {
  sourceServerID: string;
  problems: string[];
}

export interface CheckedWave {
  waveIndex: number;
  name: string;
  /** The wave's members as DRS resolved them (tags included); the plan's IDs when DRS was not asked. */
  servers: CheckedServer[];
  /** Every problem naming this wave, its servers' included. */
  problems: string[];
  warnings: string[];
}

/** `POST /plans/{planId}/check`'s answer: the preflight's report; `problems` is every problem, the waves' and the plan's. */
export interface CheckReport {
  planId: string;
  executionType: ExecutionType;
  ready: boolean;
  error?: 'InvalidPlan' | 'PlanNotReady';
  problems: string[];
  warnings: string[];
  waves: CheckedWave[];
  servers: number;
  /** Recovery jobs running in DRS now; null when DRS was not asked (the plan rules refused the plan first). */
  activeJobs: number | null;
  checkedAt: string;
}

function readCheckBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): ExecutionType {
  if (event.body === null || event.body === undefined || event.body.trim() === '') return 'DRILL';
  const body = readJsonBody(event, '{ "executionType": "DRILL" | "RECOVERY" } or no body');
  if (!body.ok) throw badRequest([body.problem]);
  const parsed = checkPlanBody.safeParse(body.value);
  if (!parsed.success) throw badRequest(problemsOf(parsed.error));
  return parsed.data.executionType ?? 'DRILL';
}

/** The problems that name a wave (preflight's `waveLabel`), grouped by wave and by server; the rest are the plan's. */
export function byWave(plan: Plan, problems: string[], report?: PreflightReport): CheckedWave[] {
  return plan.waves.map((wave, index) => {
    const label = waveLabel(index, wave.name);
    const mine = problems.filter(
      (problem) => problem === label || problem.startsWith(`${label}:`) || problem.startsWith(`${label} `),
    );
    const members = report?.members[index]?.sourceServerIDs ?? [
      ...wave.sourceServerIDs,
      ...(wave.optionalSourceServerIDs ?? []),
    ];
    return {
      waveIndex: index,
      name: wave.name,
      servers: members.map((id) => ({
        sourceServerID: id,
        problems: mine.filter((problem) => problem.startsWith(`${label}: ${id} `)),
      })),
      problems: mine,
      warnings: report?.waves[index]?.warnings ?? [],
    };
  });
}

/**
 * POST /plans/{planId}/check: the workflow's preflight on the stored plan, alone: the plan rules,
 * then every server, replication, running job, server lock and quota in DRS. It launches nothing,
 * so a plan that cannot run is a 200 with `ready: false` and every problem, not an error.
 */
export function checkOperations(deps: ApiDeps): Record<string, Operation> {
  return {
    async checkPlan(event: APIGatewayProxyEvent) {
      const planId = planIdInPath(event);
      const executionType = readCheckBody(event);
      const stored = await deps.plans.get(planId);
      if (!stored) throw notFound(`no plan with planId '${planId}'`);
      const checkedAt = deps.clock.now().toISOString();
      const { createdAt: _c, updatedAt: _u, ...raw } = stored as unknown as Record<string, unknown>;
      let plan: Plan;
      try {
        plan = validatePlan(raw);
      } catch (error) {
        if (!(error instanceof InvalidPlan)) throw error;
        const report: CheckReport = {
          planId,
          executionType,
          ready: false,
          error: 'InvalidPlan',
          problems: error.problems,
          warnings: [],
          waves: byWave(stored, error.problems),
          servers: 0,
          activeJobs: null,
          checkedAt,
        };
        return json(200, report);
      }
      const target: CheckTarget | undefined = deps.checkTarget
        ? await deps.checkTarget(plan)
        : deps.drs
          ? { drs: deps.drs, now: deps.clock.now() }
          : undefined;
      if (!target) throw new Error('the API has no DRS client to check plans against');
      try {
        // The server locks too, as the start route reads them: no execution is "this one" for a check.
        const report = await preflight(
          target.drs,
          plan,
          deps.drsLimits ?? DEFAULT_DRS_LIMITS,
          target.now,
          executionType,
          { servers: deps.executions, executionId: '' },
        );
        const problems = [...report.invalid, ...report.notReady];
        const error =
          report.invalid.length > 0 ? 'InvalidPlan' : report.notReady.length > 0 ? 'PlanNotReady' : undefined;
        const answer: CheckReport = {
          planId,
          executionType,
          ready: problems.length === 0,
          ...(error ? { error } : {}),
          problems,
          warnings: report.warnings,
          waves: byWave(plan, problems, report),
          servers: report.servers,
          activeJobs: report.activeJobs,
          checkedAt,
        };
        return json(200, answer);
      } finally {
        await target.release?.();
      }
    },
  };
}
