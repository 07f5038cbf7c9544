import { fallbackWaveOf } from './admission-fallback';
import { HISTORY_BUDGET, HISTORY_RESERVE, HISTORY_WITH_MARGIN, worstCaseHistory } from './history-budget';
import { STEP_FUNCTIONS_LIMITS } from './step-functions-limits';
import { WAVE_ACTION_LIMITS } from './wave-actions-schema';
import { dependenciesOf, schedulingOf } from './wave-graph';

/**
 * The history budget as a plan rule (`plan-rules.ts` calls it on the plan it has read defensively, so
 * the budget is named even when other fields are wrong): a plan whose worst case would pass the budget
 * would risk Step Functions' history limit hours into a recovery (States.Runtime) with waves still to
 * go; it is refused up front, naming each wave's share.
 */

/** A wave as the rule reads it: only its timeout is known to be valid. */
export interface LenientWave {
  name?: unknown;
  timeoutMinutes: number;
  dependsOn?: unknown;
  sourceServerIDs?: unknown;
  optionalSourceServerIDs?: unknown;
  sourceServerTags?: unknown;
  approval?: unknown;
  preWaveActions?: unknown[];
  postWaveActions?: unknown[];
}

export interface LenientPlan {
  pollIntervalSeconds: number;
  maxConcurrentWaves?: unknown;
  maxConcurrentJobs?: unknown;
  maxServersInAllJobs?: unknown;
  waves: LenientWave[];
}

const count = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);
const list = (value: unknown) => (Array.isArray(value) ? value : []);
// An unreadable action timeout or gate counts its longest (the plan is refused for it anyway).
const actionOf = (action: unknown) => ({
  timeoutSeconds:
    count((action as { timeoutSeconds?: unknown } | null)?.timeoutSeconds) ?? WAVE_ACTION_LIMITS.timeoutSeconds.max,
});

export function historyProblemsOf(plan: LenientPlan, prefix: string): string[] {
  const waves = plan.waves.map((w, i) => {
    const name = typeof w.name === 'string' ? w.name : `#${i + 1}`;
    const approval =
      w.approval === undefined
        ? undefined
        : { timeoutMinutes: count((w.approval as { timeoutMinutes?: unknown } | null)?.timeoutMinutes) };
    return {
      name,
      dependsOn: Array.isArray(w.dependsOn) ? w.dependsOn.filter((d): d is string => typeof d === 'string') : undefined,
      ...fallbackWaveOf({
        timeoutMinutes: w.timeoutMinutes,
        ...(approval ? { approval: approval.timeoutMinutes === undefined ? {} : approval } : {}),
        preWaveActions: list(w.preWaveActions).map(actionOf),
        postWaveActions: list(w.postWaveActions).map(actionOf),
        sourceServerIDs: list(w.sourceServerIDs),
        optionalSourceServerIDs: list(w.optionalSourceServerIDs),
        ...(w.sourceServerTags === undefined ? {} : { sourceServerTags: w.sourceServerTags }),
      }),
    };
  });
  const worst = worstCaseHistory({
    pollIntervalSeconds: plan.pollIntervalSeconds,
    waves,
    dependencies: dependenciesOf(
      waves.map((w) => (w.dependsOn ? { name: w.name, dependsOn: w.dependsOn } : { name: w.name })),
    ),
    scheduling: schedulingOf({
      maxConcurrentWaves: count(plan.maxConcurrentWaves),
      maxConcurrentJobs: count(plan.maxConcurrentJobs),
      maxServersInAllJobs: count(plan.maxServersInAllJobs),
    }),
  });
  if (worst.total <= HISTORY_BUDGET) return [];
  const n = (events: number) => events.toLocaleString('en-US');
  const share = worst.waves
    .map(
      (w) => `'${w.name}' ${n(w.events)} (${n(w.polls)} polls${w.reasks > 0 ? `, ${w.reasks} admission re-asks` : ''})`,
    )
    .join(', ');
  return [
    `${prefix || 'plan'}: polled to every wave's timeout, the plan needs up to ${n(worst.total)} Step Functions history events, more than its budget of ${n(HISTORY_BUDGET)} (an execution fails at ${n(STEP_FUNCTIONS_LIMITS.historyEvents)}; the budget keeps to half of it, ${n(HISTORY_WITH_MARGIN)}, less ${n(HISTORY_RESERVE)} kept for retries): ${share}. Raise pollIntervalSeconds (now ${plan.pollIntervalSeconds}), lower timeoutMinutes, or split the plan`,
  ];
}
