/**
 * A job's log as DescribeJobLogItems returns it: the events so far, oldest first. Real DRS logs
 * no launch-success event (the SDK's JobLogEvent has none), so success shows only in a server's
 * launchStatus; a failed or terminated launch logs LAUNCH_FAILED with its EC2 error.
 */
import type { JobLog } from '@aws-sdk/client-drs';
import { iso } from './ids';
import type { JobRecord } from './records';
import { JOB_STARTS_AFTER_SECONDS } from './timeline';

/** The rawError of a FAILED launch when the scenario gives none: the most common real cause. */
export const DEFAULT_RAW_ERROR =
  'An error occurred (InsufficientInstanceCapacity) when calling the RunInstances operation: We currently do not have sufficient t3.large capacity in the Availability Zone you requested (us-east-1a).';

/** The job's log items up to `now` (and never past the job's end), oldest first. */
export function jobLogItems(job: JobRecord, now: number): JobLog[] {
  const visibleUntil = Math.min(now, job.completedMs);
  const items: { ms: number; item: JobLog }[] = [{ ms: job.createdMs, item: { event: 'JOB_START' } }];
  if (job.kind === 'LAUNCH') {
    for (const p of job.participants) {
      items.push({
        ms: p.inProgressMs,
        item: { event: 'LAUNCH_START', eventData: { sourceServerID: p.sourceServerID } },
      });
      const result = p.launch.result;
      if (result === 'FAILED' || result === 'TERMINATED') {
        const rawError =
          p.launch.rawError ??
          (result === 'FAILED'
            ? DEFAULT_RAW_ERROR
            : `Recovery instance ${p.recoveryInstanceID} was terminated after launch (EC2 state transition reason: Server.InternalError: Internal error on launch).`);
        items.push({
          ms: p.terminalMs,
          item: {
            event: 'LAUNCH_FAILED',
            eventData: {
              sourceServerID: p.sourceServerID,
              ...(p.recoveryInstanceID === undefined ? {} : { targetInstanceID: p.recoveryInstanceID }),
              rawError,
            },
          },
        });
      }
    }
  } else {
    for (const t of job.targets) {
      const eventData = { sourceServerID: t.sourceServerID, targetInstanceID: t.recoveryInstanceID };
      items.push({
        ms: job.createdMs + JOB_STARTS_AFTER_SECONDS * 1000,
        item: { event: 'CLEANUP_START', eventData },
      });
      items.push({ ms: job.completedMs, item: { event: 'CLEANUP_END', eventData } });
    }
  }
  items.push({ ms: job.completedMs, item: { event: 'JOB_END' } });
  return items
    .filter((entry) => entry.ms <= visibleUntil)
    .sort((a, b) => a.ms - b.ms) // stable: items at the same time keep their order (JOB_END last)
    .map((entry) => ({ logDateTime: iso(entry.ms), ...entry.item }));
}
