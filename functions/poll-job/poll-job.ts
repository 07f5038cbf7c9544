import { DescribeJobsCommand, type Job } from '@aws-sdk/client-drs';
import type { TaskDeps } from '../shared/clients';
import { fromDrsError } from '../shared/drs-errors';
import { JobNotFound } from '../shared/errors';
import type { JobSnapshot } from '../shared/types';

export interface PollJobEvent {
  jobId: string;
}

/**
 * Reads the wave's DRS job: one DescribeJobs call per poll. A response without the job is an
 * error the workflow retries, never a verdict. Only the fields the classifier needs go on.
 */
export function pollJob(deps: Pick<TaskDeps, 'drs'>) {
  return async (event: PollJobEvent): Promise<JobSnapshot> => {
    let job: Job | undefined;
    try {
      const out = await deps.drs.send(new DescribeJobsCommand({ filters: { jobIDs: [event.jobId] } }));
      job = out.items?.find((item) => item.jobID === event.jobId);
    } catch (error) {
      throw fromDrsError(error, 'DescribeJobs');
    }
    if (!job) throw new JobNotFound(`DescribeJobs did not return DRS job ${event.jobId}`);
    return toSnapshot(job);
  };
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
                ...(run.action?.name ? { actionName: run.action.name } : {}),
                ...(run.failureReason ? { failureReason: run.failureReason } : {}),
              })),
            },
          }
        : {}),
    })),
  };
}
