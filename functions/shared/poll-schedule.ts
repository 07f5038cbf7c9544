/**
 * When to look at a launching wave again. Polling at the plan's interval all the time costs
 * state transitions and history events for nothing while no server can be close to launching;
 * polling rarely delays the verdict. So:
 * - near the expected launch time, and once any server has LAUNCHED, poll at the plan's interval
 *   (the verdict comes at most one interval after the last server launched);
 * - before that, while the wave is far from its expected launch time, poll at a longer interval
 *   (an eighth of the expected time, at most ten minutes): a server that fails in this quiet phase
 *   is noticed up to that much later (the trade-off, docs/performance.md);
 * - never sleep past the wave's deadline, so a stuck wave is TIMED_OUT on time.
 * The expected time is how long the previous wave of the execution took; the first wave polls at
 * the plan's interval throughout.
 */
export interface PollSchedule {
  pollIntervalSeconds: number;
  /** Seconds since the wave's job was started. */
  elapsedSeconds: number;
  /** How long the wave is expected to take to launch (0 when nothing is known). */
  expectedSeconds: number;
  /** Whether any of the wave's servers has LAUNCHED already. */
  anyLaunched: boolean;
  secondsToDeadline: number;
}

export const MAX_QUIET_POLL_SECONDS = 600;

export function nextPollSeconds(s: PollSchedule): number {
  const base = s.pollIntervalSeconds;
  let next = base;
  if (s.expectedSeconds > 0 && !s.anyLaunched) {
    // From `approach` on, a server may launch any moment: poll at the plan's interval.
    const lead = Math.max(2 * base, 0.05 * s.expectedSeconds);
    const untilApproach = s.expectedSeconds - lead - s.elapsedSeconds;
    const quiet = Math.max(base, Math.min(MAX_QUIET_POLL_SECONDS, s.expectedSeconds / 8));
    if (untilApproach > base) next = Math.min(quiet, untilApproach);
  }
  return Math.max(1, Math.min(Math.ceil(next), Math.ceil(s.secondsToDeadline)));
}
