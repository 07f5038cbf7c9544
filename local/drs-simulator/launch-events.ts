/**
 * The "DRS Source Server Launch Result" events DRS sends to EventBridge, one per server of a
 * launch job when its launch ends, in the documented shape (`functions/shared/launch-result-event.ts`,
 * the samples in `test/fixtures/drs-model/events/`). Decided, like everything about a job, when the job is
 * created: each event is due at its server's result time. A launch that never ends (STUCK), a
 * server DRS skipped or left out, and a launch the job's completion cut short send nothing.
 * Delivery (its delay, losses, duplicates) is EventBridge's: the local stack's event routing.
 */
import { type LaunchResultEvent, launchResultEvent } from '../../functions/shared/launch-result-event';
import { type AccountScope, deterministicUuid } from './ids';
import type { LaunchJob } from './records';

/** An event DRS emits at `atMs` (simulated). */
export interface EmittedLaunchEvent {
  atMs: number;
  sourceServerID: string;
  event: LaunchResultEvent;
}

export function launchEventsOf(job: LaunchJob, scope: AccountScope): EmittedLaunchEvent[] {
  return job.participants
    .filter((p) => Number.isFinite(p.terminalMs) && p.terminalMs <= job.completedMs)
    .map((p) => ({
      atMs: p.terminalMs,
      sourceServerID: p.sourceServerID,
      event: launchResultEvent({
        jobId: job.jobID,
        sourceServerID: p.sourceServerID,
        // A TERMINATED result launched first (and was terminated after): DRS reports the launch.
        result: p.launch.result === 'FAILED' ? 'FAILED' : 'LAUNCHED',
        isDrill: job.isDrill,
        at: new Date(p.terminalMs),
        region: scope.region,
        account: scope.accountId,
        id: deterministicUuid(`launch-event/${job.jobID}/${p.sourceServerID}`),
      }),
    }));
}
