import { DescribeJobsCommand, type DrsClient, type Job } from '@aws-sdk/client-drs';
import { fromDrsError } from '../shared/drs-errors';
import { JobNotFound } from '../shared/errors';
import type { JobSnapshot } from '../shared/types';

/**
 * Reads the wave's DRS job: one DescribeJobs call per poll. A response without the job is an
 * error the workflow retries, never a verdict. Only the fields the classifier needs are kept.
 */
export async function describeJob(drs: DrsClient, jobId: string): Promise<JobSnapshot> {
  let job: Job | undefined;
  try {
    const out = await drs.send(new DescribeJobsCommand({ filters: { jobIDs: [jobId] } }));
    job = out.items?.find((item) => item.jobID === jobId);
  } catch (error) {
    throw fromDrsError(error, 'DescribeJobs');
  }
  if (!job) throw new JobNotFound(`DescribeJobs did not return DRS job ${jobId}`);
  return toSnapshot(job);
}

export function toSnapshot(job: Job): JobSnapshot {
  return {
    jobID: job.jobID ?? '',
    status: job.status ?? 'UNKNOWN',
    participatingServers: (job.participatingServers ?? []).map((server) => ({
      sourceServerID: server.sourceServerID ?? '',
      launchStatus: server.launchStatus ?? 'UNKNOWN',
      ...(server.recoveryInstanceID ? { recoveryInstanceID: server.recoveryInstanceID } : {}),
      ...(server.launchActionsStatus?.runs
        ? {
            launchActionsStatus: {
              runs: server.launchActionsStatus.runs.map((run) => ({
                status: run.status ?? 'UNKNOWN',
                optional: run.action?.optional === true,
                ...(run.action?.actionId ? { actionId: run.action.actionId } : {}),
                ...(run.action?.name ? { actionName: run.action.name } : {}),
                ...(run.failureReason ? { failureReason: run.failureReason } : {}),
              })),
            },
          }
        : {}),
    })),
  };
}
