import { admissionFallbacks, type FallbackWave } from './admission-fallback';
import { launchWaitSeconds } from './launch-wait-schedule';
import { HISTORY_EVENTS as E, STEP_FUNCTIONS_LIMITS } from './step-functions-limits';
import { dependenciesOf, type PlanScheduling, schedulingOf } from './wave-graph';

/**
 * How many history events a plan may need at most, so a plan that would pass Step Functions'
 * 25,000-event limit is refused before anything is launched instead of failing hours into a recovery.
 */

/**
 * Issue 12's 2× margin: a plan's worst case and the reserve together stay within half of Step
 * Functions' limit, so a history twice what the design expects still completes.
 */
export const HISTORY_WITH_MARGIN = STEP_FUNCTIONS_LIMITS.historyEvents / 2;
/**
 * Kept out of the budget for what the worst case does not count: the workflow's retries (3 events
 * each), and asks again past a wave's worst case (`admission-fallback.ts`: DRS jobs outside the plan).
 */
export const HISTORY_RESERVE = 2_500;
export const HISTORY_BUDGET = HISTORY_WITH_MARGIN - HISTORY_RESERVE;

/**
 * Task (one attempt), then in order: each wave's Map iteration, "Wait for dependencies and room" (a
 * Task), "May the wave start?", "Approval gate?", "Pre-wave actions?", "Start wave recovery",
 * "Post-wave actions?" and its verdict ("Wave recovered", or a failure's: a Pass either way); a gated
 * wave adds "Await approval" (one attempt, and TaskSubmitted while it waits).
 */
const TASK = E.enteredExited + E.lambdaAttempt;
const EVENTS_PER_GATE = TASK + 1;
/**
 * "Wait for launch" (a task-token wait: a service integration writes TaskSubmitted too, one more
 * than a Lambda task), "Check the wave" and "Wave launched?".
 */
export const EVENTS_PER_POLL = TASK + 1 + TASK + E.enteredExited;
/**
 * "Wait for dependencies and room" is a task-token wait (TaskSubmitted: one more than a Lambda task);
 * each verdict is followed by "Wake waiting waves" (a Task) and "Wave ended" (a Pass).
 */
const EVENTS_PER_WAVE =
  E.mapIteration +
  (TASK + 1) +
  E.enteredExited +
  2 * E.enteredExited +
  TASK +
  E.enteredExited +
  E.enteredExited +
  TASK +
  E.enteredExited;
/**
 * A waiting wave's "Wait for dependencies and room" that times out at its fallback and asks again (a
 * token wait: TASK + 1), at most `ADMISSION_WAITS` times while it waits its worst case (`admission-fallback.ts`).
 */
export const EVENTS_PER_REASK = TASK + 1;
/**
 * One wave action: "Begin ... action", its Choice, the invoke (a service integration writes
 * TaskScheduled, TaskStarted, TaskSubmitted and TaskSucceeded/Failed: one more than a Lambda task)
 * and "Record ... action".
 */
export const EVENTS_PER_ACTION = TASK + E.enteredExited + (TASK + 1) + TASK;
/** The last "Begin ... action" of a phase (nothing left to run) and its Choice: at most two phases. */
const EVENTS_PER_ACTION_PHASE = TASK + E.enteredExited;
/**
 * The execution, "Validate plan and record execution", the Map, "Record the ending", "Every wave
 * recovered?" and "Plan recovered" (or "Plan did not recover").
 */
const EVENTS_PER_EXECUTION = E.execution + TASK + E.enteredExited + E.mapRun + TASK + E.enteredExited + E.enteredExited;

export interface WaveBudget {
  name: string;
  polls: number;
  /** Its admission wait's asks again at the fallback (`admission-fallback.ts`). */
  reasks: number;
  events: number;
}

/**
 * The worst case on the design's own schedule (`launch-wait-schedule.ts`): every wave is polled
 * until its deadline and completes only then, no server of it launching earlier, so no launch
 * event wakes it: each wait runs to the fallback interval. Every wave waits its worst case for
 * dependencies and room, no verdict's wake reaching it, so it asks again at each admission fallback.
 * `dependencies` (as indices) default to a chain, `scheduling` to the DRS defaults.
 */
export function worstCaseHistory(plan: {
  pollIntervalSeconds: number;
  /** A wave's `actionSeconds` count its pre- and post-wave actions together; `approvalMinutes` its gate. */
  waves: (FallbackWave & { name: string })[];
  dependencies?: readonly (readonly number[])[];
  scheduling?: PlanScheduling;
}): { total: number; waves: WaveBudget[] } {
  const fallbacks = admissionFallbacks({
    waves: plan.waves,
    dependencies: plan.dependencies ?? dependenciesOf(plan.waves.map((w) => ({ name: w.name }))),
    scheduling: plan.scheduling ?? schedulingOf({}),
  });
  let expectedSeconds = 0;
  const waves = plan.waves.map((wave, i) => {
    const timeoutSeconds = wave.timeoutMinutes * 60;
    let elapsed = 0;
    let polls = 0;
    while (elapsed < timeoutSeconds) {
      // No launch event comes (nothing launches): each wait runs to the fallback interval.
      elapsed += launchWaitSeconds({
        pollIntervalSeconds: plan.pollIntervalSeconds,
        elapsedSeconds: elapsed,
        expectedSeconds,
        anyLaunched: false,
        secondsToDeadline: timeoutSeconds - elapsed,
        awaitingActions: false,
        catchingUp: false,
      });
      polls++;
    }
    expectedSeconds = timeoutSeconds;
    const actions = wave.actionSeconds?.length ?? 0;
    const actionEvents = actions > 0 ? actions * EVENTS_PER_ACTION + 2 * EVENTS_PER_ACTION_PHASE : 0;
    const gate = wave.approvalMinutes === undefined ? 0 : EVENTS_PER_GATE;
    const reasks = fallbacks[i]?.reasks ?? 0;
    const events = EVENTS_PER_WAVE + gate + polls * EVENTS_PER_POLL + actionEvents + reasks * EVENTS_PER_REASK;
    return { name: wave.name, polls, reasks, events };
  });
  return { total: EVENTS_PER_EXECUTION + waves.reduce((sum, w) => sum + w.events, 0), waves };
}
