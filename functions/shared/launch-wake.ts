/**
 * When a launch result may decide a waiting wave, so the wave is woken then and only then: a wave
 * of 100 servers is woken a handful of times, not once per event. The verdict itself is never
 * taken from events (they are best effort, may repeat and come in any order): the woken wave reads
 * its job from DRS, as a poll does.
 *
 * - `REQUIRED_FAILED`: a required server's launch failed; the wave fails whatever the others do.
 * - `ALL_RESULTS`: every member (required and optional: the classifier waits for optional ones up
 *   to the deadline) has a result; the wave may be COMPLETED, or FAILED by a server DRS terminated.
 *
 * Each decision wakes the wave once (`records/launch-waits.ts` claims it); a wave woken for
 * REQUIRED_FAILED may be woken once more for ALL_RESULTS.
 */
export type WakeDecision = 'REQUIRED_FAILED' | 'ALL_RESULTS';

export interface LaunchResults {
  /** Every member of the wave's job. */
  servers: readonly string[];
  /** The members whose failure fails the wave. */
  required: readonly string[];
  launched: ReadonlySet<string>;
  failed: ReadonlySet<string>;
}

export function wakeDecision(results: LaunchResults): WakeDecision | undefined {
  if (results.required.some((id) => results.failed.has(id))) return 'REQUIRED_FAILED';
  if (results.servers.length > 0 && results.servers.every((id) => results.launched.has(id) || results.failed.has(id)))
    return 'ALL_RESULTS';
  return undefined;
}

/** What SendTaskSuccess hands the woken "Wait for launch" (its result, `$.wake`). */
export interface WakeOutput {
  wokenBy: 'LAUNCH_EVENT';
  decision: WakeDecision;
}
