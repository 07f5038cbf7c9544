import { launchWaitSeconds } from './launch-wait-schedule';
import { HISTORY_EVENTS as E, STEP_FUNCTIONS_LIMITS } from './step-functions-limits';

/**
 * How many history events a plan may need at most, so a plan that would pass Step Functions'
 * 25,000-event limit is refused before anything is launched instead of failing hours into a recovery.
 */

/** Kept out of the budget for what the worst case does not count: the workflow's retries (3 events each). */
export const HISTORY_RESERVE = 2_500;
export const HISTORY_BUDGET = STEP_FUNCTIONS_LIMITS.historyEvents - HISTORY_RESERVE;

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
// Not counted (TODO, issue 12): a waiting wave's admission wait that times out at its 900 s fallback
// and asks again (TASK + 1 each); verdicts wake waiting waves, the fallback is a safety net.
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
  events: number;
}

/**
 * The worst case on the design's own schedule (`launch-wait-schedule.ts`): every wave is polled
 * until its deadline and completes only then, no server of it launching earlier, so no launch
 * event wakes it: each wait runs to the fallback interval.
 */
export function worstCaseHistory(plan: {
  pollIntervalSeconds: number;
  /** `actions`: the wave's pre- and post-wave actions together. */
  waves: { name: string; timeoutMinutes: number; actions?: number; approval?: unknown }[];
}): { total: number; waves: WaveBudget[] } {
  let expectedSeconds = 0;
  const waves = plan.waves.map((wave) => {
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
    const actions = wave.actions ?? 0;
    const actionEvents = actions > 0 ? actions * EVENTS_PER_ACTION + 2 * EVENTS_PER_ACTION_PHASE : 0;
    const gate = wave.approval === undefined ? 0 : EVENTS_PER_GATE;
    const events = EVENTS_PER_WAVE + gate + polls * EVENTS_PER_POLL + actionEvents;
    return { name: wave.name, polls, events };
  });
  return { total: EVENTS_PER_EXECUTION + waves.reduce((sum, w) => sum + w.events, 0), waves };
}
