import { nextPollSeconds } from './poll-schedule';
import { HISTORY_EVENTS as E, STEP_FUNCTIONS_LIMITS } from './step-functions-limits';

/**
 * How many history events a plan may need at most, so a plan that would pass Step Functions'
 * 25,000-event limit is refused before anything is launched instead of failing hours into a recovery.
 */

/** Kept out of the budget for what the worst case does not count: the workflow's retries (3 events each). */
export const HISTORY_RESERVE = 2_500;
export const HISTORY_BUDGET = STEP_FUNCTIONS_LIMITS.historyEvents - HISTORY_RESERVE;

/**
 * Task (one attempt), then in order: each wave's Map iteration, "Approval gate?", "Start wave recovery"
 * and "Wave recovered"; a gated wave adds "Await approval" (one attempt, and TaskSubmitted while it waits).
 */
const TASK = E.enteredExited + E.lambdaAttempt;
const EVENTS_PER_GATE = TASK + 1;
/** "Wait for launch", "Check the wave" and "Wave launched?". */
export const EVENTS_PER_POLL = E.enteredExited + TASK + E.enteredExited;
const EVENTS_PER_WAVE = E.mapIteration + E.enteredExited + TASK + E.enteredExited;
/** The execution, "Validate plan and record execution", the Map, "Record plan completed", "Plan recovered". */
const EVENTS_PER_EXECUTION = E.execution + TASK + E.enteredExited + E.mapRun + TASK + E.enteredExited;

export interface WaveBudget {
  name: string;
  polls: number;
  events: number;
}

/**
 * The worst case on the design's own schedule (`poll-schedule.ts`): every wave is polled until its
 * deadline and completes only then, no server of it launching earlier. The first wave polls at the
 * plan's interval; each later wave expects to take as long as the previous one did (its timeout),
 * so it polls less while far from that time.
 */
export function worstCaseHistory(plan: {
  pollIntervalSeconds: number;
  waves: { name: string; timeoutMinutes: number; approval?: unknown }[];
}): { total: number; waves: WaveBudget[] } {
  let expectedSeconds = 0;
  const waves = plan.waves.map((wave) => {
    const timeoutSeconds = wave.timeoutMinutes * 60;
    let elapsed = 0;
    let polls = 0;
    while (elapsed < timeoutSeconds) {
      elapsed += nextPollSeconds({
        pollIntervalSeconds: plan.pollIntervalSeconds,
        elapsedSeconds: elapsed,
        expectedSeconds,
        anyLaunched: false,
        secondsToDeadline: timeoutSeconds - elapsed,
      });
      polls++;
    }
    expectedSeconds = timeoutSeconds;
    const gate = wave.approval === undefined ? 0 : EVENTS_PER_GATE;
    return { name: wave.name, polls, events: EVENTS_PER_WAVE + gate + polls * EVENTS_PER_POLL };
  });
  return { total: EVENTS_PER_EXECUTION + waves.reduce((sum, w) => sum + w.events, 0), waves };
}
