import { type DrsClient, paginateDescribeJobs } from '@aws-sdk/client-drs';
import { fromDrsError } from '../shared/drs-errors';
import { TAG_PREFIX } from './tags';

/** How far before the claim to look, for clock skew between the task and DRS. */
const SKEW_MS = 5 * 60_000;

/**
 * Finds the LAUNCH job a wave's earlier attempt created, by the tags every job of ours carries
 * (execution and wave), among the jobs created since the wave was claimed. StartRecovery has no
 * idempotency token: this is how a retry after a lost response adopts the job instead of
 * starting a second one.
 */
export async function findWaveJob(
  drs: DrsClient,
  args: { executionId: string; waveIndex: number; claimedAt: Date },
): Promise<string | undefined> {
  const fromDate = new Date(args.claimedAt.getTime() - SKEW_MS).toISOString();
  try {
    for await (const page of paginateDescribeJobs({ client: drs }, { filters: { fromDate } })) {
      for (const job of page.items ?? []) {
        const tags = job.tags ?? {};
        if (
          job.type !== 'TERMINATE' &&
          tags[`${TAG_PREFIX}execution-id`] === args.executionId &&
          tags[`${TAG_PREFIX}wave`] === String(args.waveIndex + 1) &&
          job.jobID
        ) {
          return job.jobID;
        }
      }
    }
  } catch (error) {
    throw fromDrsError(error, 'DescribeJobs');
  }
  return undefined;
}
