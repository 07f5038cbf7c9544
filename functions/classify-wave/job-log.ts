import { type DrsClient, type JobLog, JobLogEvent, paginateDescribeJobLogItems } from '@aws-sdk/client-drs';
import { fromDrsError } from '../shared/drs-errors';

/**
 * The job-log events that say why a server did not launch: DRS skipped it, or a step of its
 * launch failed. SNAPSHOT_FAIL is one too (when DRS then falls back on a previous snapshot, a later
 * event, if any, says why the launch failed).
 */
const FAILURE_EVENTS: ReadonlySet<string> = new Set<string>([
  JobLogEvent.SERVER_SKIPPED,
  JobLogEvent.SNAPSHOT_FAIL,
  JobLogEvent.USING_PREVIOUS_SNAPSHOT_FAILED,
  JobLogEvent.CONVERSION_FAIL,
  JobLogEvent.LAUNCH_FAILED,
  JobLogEvent.CLEANUP_FAIL,
]);

/** The reason an item gives, or undefined when it gives none: the `rawError`, named for a skip. */
function reasonOf(item: JobLog): string | undefined {
  const rawError = item.eventData?.rawError;
  if (item.event === JobLogEvent.SERVER_SKIPPED) {
    return `skipped by DRS (SERVER_SKIPPED)${rawError ? `: ${rawError}` : ''}`;
  }
  return rawError || undefined;
}

/**
 * The DRS reason for each failed server, from the job log: the latest reason of a failure event
 * (SERVER_SKIPPED, LAUNCH_FAILED, CONVERSION_FAIL, SNAPSHOT_FAIL, ...). Read only when a wave failed.
 */
export async function failureReasons(
  drs: DrsClient,
  jobId: string,
  servers: readonly string[],
): Promise<Map<string, string>> {
  const wanted = new Set(servers);
  const reasons = new Map<string, string>();
  try {
    for await (const page of paginateDescribeJobLogItems({ client: drs }, { jobID: jobId })) {
      for (const item of page.items ?? []) {
        const id = item.eventData?.sourceServerID;
        const reason = FAILURE_EVENTS.has(item.event ?? '') ? reasonOf(item) : undefined;
        if (id && reason && wanted.has(id)) reasons.set(id, reason);
      }
    }
  } catch (error) {
    throw fromDrsError(error, 'DescribeJobLogItems');
  }
  return reasons;
}
