import { type DrsClient, paginateDescribeJobs } from '@aws-sdk/client-drs';
import { fromDrsError } from '../shared/drs-errors';
import { isWaveJob } from './tags';

/** How far before the claim to look, for clock skew between the task and DRS. */
export const CLAIM_SKEW_MS = 5 * 60_000;

/**
 * Finds the LAUNCH job a wave's earlier attempt created, by the tags every job of ours carries
 * (execution, plan and wave, compared as they were written), among the jobs created since the wave was claimed. StartRecovery has no
 * idempotency token: this is how a retry after a lost response adopts the job instead of
 * starting a second one.
 */
export async function findWaveJob(
  drs: DrsClient,
  args: { executionId: string; planId: string; waveIndex: number; claimedAt: Date },
): Promise<string | undefined> {
  const fromDate = new Date(args.claimedAt.getTime() - CLAIM_SKEW_MS).toISOString();
  try {
    for await (const page of paginateDescribeJobs({ client: drs }, { filters: { fromDate } })) {
      for (const job of page.items ?? []) {
        // Only a LAUNCH job is a wave's: a TERMINATE job (drill cleanup) may carry the same tags.
        if (job.type === 'LAUNCH' && job.jobID && isWaveJob(job.tags, args)) return job.jobID;
      }
    }
  } catch (error) {
    throw fromDrsError(error, 'DescribeJobs');
  }
  return undefined;
}
