import { admissionFallbacks, fallbackWaveOf } from '../shared/admission-fallback';
import { type WaveGate, waveGateOf } from '../shared/approval-gate';
import type { TaskDeps } from '../shared/clients';
import { DrsUnavailable, InvalidPlan } from '../shared/errors';
import { lockExpiresAt } from '../shared/execution-store';
import { logger } from '../shared/observability';
import { validateExecutionInput } from '../shared/plan-rules';
import { assertReady, preflight } from '../shared/preflight';
import { withMembers } from '../shared/tag-selection';
import type { ExecutionType } from '../shared/types';
import { actionGrantProblems } from '../shared/wave-action-grant';
import { dependenciesOf, type PlanScheduling, schedulingOf, topologicalOrder } from '../shared/wave-graph';

export interface BeginExecutionEvent {
  executionId: string;
  /**
   * The execution input as given: `{ plan, executionType }`, or `{ planId, executionType }` for a
   * stored plan (its copy at this moment is what the execution runs and records).
   */
  /** `$$.Execution.Id`: kept in the record for the console link and for stopping the execution. */
  executionArn?: string;
  input: unknown;
}

/** What the workflow carries from here on: IDs and summaries, never per-server detail. */
export interface BeginExecutionResult {
  executionId: string;
  planId: string;
  planName: string;
  executionType: ExecutionType;
  pollIntervalSeconds: number;
  /** `servers`: each wave's member count, tag matches included (what a progress line shows before the first poll). */
  waves: {
    index: number;
    name: string;
    servers: number;
    approval?: WaveGate;
    preWaveActions?: number;
    postWaveActions?: number;
    /** "Wait for dependencies and room"'s TimeoutSecondsPath: when a wave not woken asks again (`admission-fallback.ts`). */
    admissionFallbackSeconds: number;
  }[];
  /** Each wave's dependencies as indices (`dependenciesOf`): what "Wait for dependencies and room" decides on. */
  dependencies: number[][];
  /** The plan's failure policy and concurrency, defaults filled in (`schedulingOf`). */
  scheduling: PlanScheduling;
  /** The Map's MaxConcurrencyPath: min(40, maxConcurrentWaves or the wave count) waves in flight at once. */
  maxConcurrency: number;
}

/** Step Functions' inline Map runs at most 40 iterations at once, whatever MaxConcurrency says. */
export const INLINE_MAP_CONCURRENCY = 40;

/**
 * The execution's first task, before anything is launched: validates the input (InvalidPlan names
 * every problem), takes the plan's lock (PlanAlreadyRunning names the running execution), checks
 * the plan against DRS and the other live executions' servers (InvalidPlan / PlanNotReady name every
 * problem), then records the execution and its waves and claims its servers. Every failure after
 * the lock is taken releases it on the workflow's failure path.
 */
export function beginExecution(
  deps: Pick<TaskDeps, 'store' | 'clock' | 'drs' | 'drsLimits' | 'plans' | 'actionGrant'>,
) {
  return async (event: BeginExecutionEvent): Promise<BeginExecutionResult> => {
    const { plan, executionType, startedBy } = validateExecutionInput(await withStoredPlan(deps, event.input));
    // An action the stack may not invoke would fail hours into the recovery: refused now, nothing launched.
    const ungranted = deps.actionGrant ? actionGrantProblems(plan, deps.actionGrant) : [];
    if (ungranted.length > 0) throw new InvalidPlan(ungranted);
    const now = deps.clock.now();
    await deps.store.acquirePlanLock({
      planId: plan.planId,
      executionId: event.executionId,
      now,
      expiresAt: lockExpiresAt(plan, now),
    });
    // The servers' locks are read here (another live execution holding one is PlanNotReady) and
    // taken once the execution has recorded itself (claimServers), where a race is settled.
    const report = await preflight(deps.drs, plan, deps.drsLimits, now, executionType, {
      servers: deps.store,
      executionId: event.executionId,
    }).catch((error: unknown) => {
      // Still DrsUnavailable (the workflow retries it), worded for the run it may end: nothing was launched.
      if (!(error instanceof DrsUnavailable)) throw error;
      throw new DrsUnavailable(
        `DRS did not answer the preflight, so nothing was launched: ${error.message}. Start the ${executionType} again once DRS answers.`,
        { cause: error.cause, ...(error.operation ? { operation: error.operation } : {}) },
      );
    });
    assertReady(report);
    // The wave's tags, resolved now, are frozen into the records: the execution recovers these servers.
    const resolved = withMembers(plan, report.members);
    await deps.store.createExecution({
      executionId: event.executionId,
      ...(event.executionArn ? { executionArn: event.executionArn } : {}),
      plan: resolved,
      executionType,
      startedAt: now,
      ...(startedBy ? { startedBy } : {}),
      preflight: report.waves,
    });
    await deps.store.claimServers({ executionId: event.executionId, plan: resolved, now });
    for (const warning of report.warnings) logger.warn(warning, { executionId: event.executionId });
    logger.info(`Execution ${event.executionId} of plan ${plan.planId} recorded`, {
      executionId: event.executionId,
      planId: plan.planId,
      executionType,
      waves: plan.waves.length,
      servers: resolved.waves.reduce((sum, wave) => sum + wave.sourceServerIDs.length, 0),
    });
    const dependencies = dependenciesOf(plan.waves);
    const scheduling = schedulingOf(plan);
    // On the resolved plan: the tags' members are known now, so room may be found ample where the plan rules assumed short.
    const fallbacks = admissionFallbacks({ waves: resolved.waves.map(fallbackWaveOf), dependencies, scheduling });
    return {
      executionId: event.executionId,
      planId: plan.planId,
      planName: plan.name,
      executionType,
      pollIntervalSeconds: plan.pollIntervalSeconds,
      // In topological order (each wave after the ones it depends on), each keeping its plan index: the
      // Map starts iterations in item order, so a wave never holds a slot its dependencies need.
      waves: orderedWaves(resolved.waves, dependencies).map(({ wave, index }) => ({
        index,
        name: wave.name,
        servers: wave.sourceServerIDs.length,
        // A gated wave carries its gate into the Map item: the gate's Choice and TimeoutSecondsPath read it.
        ...(wave.approval ? { approval: waveGateOf(wave.approval) } : {}),
        // Present only when the wave has actions: the workflow's "Pre-wave actions?" and "Post-wave actions?" test it.
        ...(wave.preWaveActions?.length ? { preWaveActions: wave.preWaveActions.length } : {}),
        ...(wave.postWaveActions?.length ? { postWaveActions: wave.postWaveActions.length } : {}),
        admissionFallbackSeconds: fallbacks[index]?.fallbackSeconds as number,
      })),
      dependencies,
      scheduling,
      maxConcurrency: Math.min(INLINE_MAP_CONCURRENCY, scheduling.maxConcurrentWaves ?? plan.waves.length),
    };
  };
}

function orderedWaves<W>(waves: readonly W[], dependencies: readonly (readonly number[])[]) {
  return topologicalOrder(dependencies).map((index) => ({ wave: waves[index] as W, index }));
}

/**
 * A large plan (thousands of servers) is started by its ID so the execution input stays small:
 * `{ planId, executionType }` is read from the plans table here. An inline plan passes as it is.
 */
async function withStoredPlan(deps: Pick<TaskDeps, 'plans'>, input: unknown): Promise<unknown> {
  const byId = input as { planId?: unknown; plan?: unknown; executionType?: unknown } | null;
  if (!byId || typeof byId !== 'object' || byId.plan !== undefined || typeof byId.planId !== 'string') return input;
  if (!deps.plans) throw new InvalidPlan(['planId: this deployment stores no plans: pass the plan itself as "plan"']);
  const stored = await deps.plans.get(byId.planId);
  if (!stored) throw new InvalidPlan([`planId: there is no stored plan '${byId.planId}'`]);
  const { createdAt: _created, updatedAt: _updated, description: _description, ...plan } = stored;
  const { planId: _planId, ...rest } = byId;
  return { ...rest, plan };
}
