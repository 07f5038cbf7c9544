import type { ExecutionStore } from '../shared/execution-store';
import { parseLaunchResult } from '../shared/launch-result-event';
import { type WakeClient, type WakeOutcome, wakeIfDecided } from '../shared/launch-wake-delivery';
import { logger } from '../shared/observability';

export interface LaunchEventsDeps {
  store: Pick<ExecutionStore, 'launchWaits'>;
  sfn: WakeClient;
}

/**
 * DRS's "DRS Source Server Launch Result" events (an EventBridge rule) → the wave waiting on the
 * event's job: the server's result is recorded once (duplicates and any order are normal), and the
 * wave is woken only when the results may decide it. An event of a job no wave waits on (a launch
 * outside the orchestrator, or one whose wave has not begun to wait) writes nothing; the wave's
 * polling fallback does not need it.
 */
export function handleLaunchEvent(deps: LaunchEventsDeps) {
  return async (event: unknown): Promise<{ outcome: WakeOutcome | 'NOT_OURS' }> => {
    const notice = parseLaunchResult(event);
    const wait = await deps.store.launchWaits.record(notice);
    if (!wait) {
      logger.debug(`Launch result of ${notice.sourceServerID} in job ${notice.jobId}: no wave waits on this job`);
      return { outcome: 'NOT_OURS' };
    }
    const outcome = await wakeIfDecided({ launchWaits: deps.store.launchWaits, sfn: deps.sfn }, wait);
    logger.info(`Launch result ${notice.result} of ${notice.sourceServerID} in job ${notice.jobId}: ${outcome}`, {
      executionId: wait.executionId,
      waveIndex: wait.waveIndex,
    });
    return { outcome };
  };
}
