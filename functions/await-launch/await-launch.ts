import type { Clock } from '../shared/clock';
import type { ExecutionStore } from '../shared/execution-store';
import { type WakeClient, type WakeOutcome, wakeIfDecided } from '../shared/launch-wake-delivery';

export interface AwaitLaunchEvent {
  executionId: string;
  wave: { index: number; name: string };
  jobId: string;
  /** `$$.Task.Token`: this attempt's token; a deciding launch result sends it back. */
  taskToken: string;
}

export interface AwaitLaunchDeps {
  store: Pick<ExecutionStore, 'getWaveSpec' | 'launchWaits'>;
  clock: Clock;
  sfn: WakeClient;
}

/**
 * "Wait for launch" (a `.waitForTaskToken` task): records this attempt's token on the wave's job
 * (`records/launch-waits.ts`), so that a launch result event that may decide the wave wakes it at
 * once (functions/launch-events). The workflow then waits, costing no state transitions, until
 * woken or until the poll schedule's fallback interval passes (TimeoutSecondsPath), and checks the
 * wave either way. Results that came before this wait began (an event between two waits) are not
 * lost: if they already decide the wave and no wake was sent for that decision, this task wakes
 * its own wait.
 */
export function awaitLaunch(deps: AwaitLaunchDeps) {
  return async (event: AwaitLaunchEvent): Promise<{ status: 'WAITING' | 'WOKEN' }> => {
    const spec = await deps.store.getWaveSpec(event.executionId, event.wave.index);
    const optional = new Set(spec.optionalSourceServerIDs ?? []);
    const wait = await deps.store.launchWaits.open({
      jobId: event.jobId,
      executionId: event.executionId,
      waveIndex: event.wave.index,
      servers: spec.sourceServerIDs,
      required: spec.sourceServerIDs.filter((id) => !optional.has(id)),
      taskToken: event.taskToken,
      at: deps.clock.now(),
    });
    const outcome: WakeOutcome = await wakeIfDecided({ launchWaits: deps.store.launchWaits, sfn: deps.sfn }, wait);
    return { status: outcome === 'WOKEN' ? 'WOKEN' : 'WAITING' };
  };
}
