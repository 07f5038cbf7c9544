import { nextPollSeconds, type PollSchedule } from './poll-schedule';

/**
 * How long "Wait for launch" waits for a launch event before it checks the wave anyway (its
 * TimeoutSecondsPath, `$.progress.nextPollSeconds`). DRS sends a launch result event per server,
 * best effort, and a deciding one wakes the wave within seconds (`launch-wake.ts`), so polling is
 * only the fallback: at a long interval, the price being that a wave whose events are all lost
 * learns its verdict up to this much later. Today's schedule (`poll-schedule.ts`) still rules what
 * no event announces:
 * - a RECOVERY wave with a server LAUNCHED: its post-launch actions run with no event;
 * - a wave an event woke whose job DRS does not show decided yet (DRS catching up with its own
 *   event): it looks again at the plan's interval, not after the long fallback.
 * Never past the wave's deadline, so a stuck wave is TIMED_OUT on time.
 */
export const LAUNCH_EVENT_FALLBACK_SECONDS = 600;

export interface LaunchWaitSchedule extends PollSchedule {
  /** The wave awaits something no launch event announces (post-launch actions). */
  awaitingActions: boolean;
  /** An event woke the wave, and DRS does not show what it announced yet. */
  catchingUp: boolean;
}

export function launchWaitSeconds(s: LaunchWaitSchedule): number {
  const toDeadline = Math.max(1, Math.ceil(s.secondsToDeadline));
  if (s.catchingUp) return Math.max(1, Math.min(Math.ceil(s.pollIntervalSeconds), toDeadline));
  if (s.awaitingActions) return nextPollSeconds(s);
  return Math.max(1, Math.min(Math.ceil(Math.max(s.pollIntervalSeconds, LAUNCH_EVENT_FALLBACK_SECONDS)), toDeadline));
}
