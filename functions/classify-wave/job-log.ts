import { type DrsClient, paginateDescribeJobLogItems } from '@aws-sdk/client-drs';
import { fromDrsError } from '../shared/drs-errors';

/**
 * The DRS reason for each failed server, from the job log: the latest `rawError` of a failure
 * event (LAUNCH_FAILED, CONVERSION_FAIL, SNAPSHOT_FAIL, ...). Read only when a wave failed.
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
        const rawError = item.eventData?.rawError;
        if (id && rawError && wanted.has(id) && /FAIL/.test(item.event ?? '')) reasons.set(id, rawError);
      }
    }
  } catch (error) {
    throw fromDrsError(error, 'DescribeJobLogItems');
  }
  return reasons;
}
