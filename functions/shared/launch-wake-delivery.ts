import { InvalidToken, SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { type WakeOutput, wakeDecision } from './launch-wake';
import { logger } from './observability';
import { type LaunchWait, type LaunchWaits, resultsOf } from './records/launch-waits';

/** Step Functions as a wake needs it: SendTaskSuccess only (the SDK client, or the local one). */
export interface WakeClient {
  send(command: SendTaskSuccessCommand): Promise<unknown>;
}

/** How a wake attempt ended. */
export type WakeOutcome = 'WOKEN' | 'UNDECIDED' | 'ALREADY_WOKEN' | 'NO_WAIT' | 'STALE_TOKEN';

/** A token whose wait is over: Step Functions refuses it with TaskTimedOut (ended) or InvalidToken (unknown). */
const isStaleToken = (error: unknown) =>
  error instanceof TaskTimedOut ||
  error instanceof InvalidToken ||
  ['TaskTimedOut', 'InvalidToken'].includes((error as Error)?.name);

/**
 * Wakes the wave waiting on `wait` when its results may decide it (`launch-wake.ts`), once per
 * decision: the wake is claimed on the record first (one claimant), then the token is sent its
 * success. Used by the launch-events function (an event came) and by the wait's own task (results
 * that came before the wait began). A stale token is normal (the wait timed out, or its attempt was
 * retried): the claim is given back, and if the wave waits again already, that wait is woken.
 */
export async function wakeIfDecided(
  deps: { launchWaits: LaunchWaits; sfn: WakeClient },
  wait: LaunchWait,
): Promise<WakeOutcome> {
  let current: LaunchWait | undefined = wait;
  // At most twice: the token read, then (once it proved stale) the wave's next wait, if it began meanwhile.
  for (let attempt = 0; attempt < 2 && current; attempt++) {
    const decision = wakeDecision(resultsOf(current));
    if (!decision) return 'UNDECIDED';
    const token: string | undefined = current.taskToken;
    if (!token) return 'NO_WAIT';
    if (!(await deps.launchWaits.claimWake(current.jobId, token, decision))) return 'ALREADY_WOKEN';
    const output: WakeOutput = { wokenBy: 'LAUNCH_EVENT', decision };
    try {
      await deps.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
      logger.info(`Woke wave ${current.waveIndex + 1} of ${current.executionId}: ${decision}`, {
        jobId: current.jobId,
      });
      return 'WOKEN';
    } catch (error) {
      if (!isStaleToken(error)) throw error;
      await deps.launchWaits.releaseWake(current.jobId, token);
      const next = await deps.launchWaits.get(current.jobId);
      current = next?.taskToken !== token ? next : undefined;
    }
  }
  return 'STALE_TOKEN';
}
