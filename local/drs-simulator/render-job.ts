/**
 * A job as DescribeJobs, StartRecovery and TerminateRecoveryInstances return it at a given
 * simulated time. The members keep DRS's order, so responses read (and compare) like DRS's.
 */
import type { Job, ParticipatingServer } from '@aws-sdk/client-drs';
import { type AccountScope, arnFor, iso } from './ids';
import { launchActionsStatus } from './post-launch-actions';
import type { JobRecord, LaunchJob, Participant } from './records';
import { jobStatus, participantStatus } from './timeline';

export function renderJob(job: JobRecord, now: number, scope: AccountScope): Job {
  const status = jobStatus(job, now);
  const completed = status === 'COMPLETED';
  return {
    jobID: job.jobID,
    arn: arnFor(scope, 'job', job.jobID),
    type: job.kind,
    initiatedBy:
      job.kind === 'TERMINATE' ? 'TERMINATE_RECOVERY_INSTANCES' : job.isDrill ? 'START_DRILL' : 'START_RECOVERY',
    creationDateTime: iso(job.createdMs),
    ...(completed ? { endDateTime: iso(job.completedMs) } : {}),
    status,
    participatingServers:
      job.kind === 'LAUNCH'
        ? job.participants.map((p) => renderParticipant(p, job, now))
        : job.targets.map((t) => ({
            sourceServerID: t.sourceServerID,
            recoveryInstanceID: t.recoveryInstanceID,
            launchStatus: completed ? (t.fails ? 'FAILED' : 'TERMINATED') : 'PENDING',
          })),
    tags: job.kind === 'LAUNCH' ? { ...job.tags } : {},
  };
}

function renderParticipant(p: Participant, job: LaunchJob, now: number): ParticipatingServer {
  // Once the job is COMPLETED its servers no longer change, launched or not (as in DRS).
  const launchStatus = participantStatus(p, Math.min(now, job.completedMs));
  const server: ParticipatingServer = { sourceServerID: p.sourceServerID, launchStatus };
  if (p.recoveryInstanceID !== undefined && (launchStatus === 'LAUNCHED' || launchStatus === 'TERMINATED')) {
    server.recoveryInstanceID = p.recoveryInstanceID;
  }
  if (launchStatus === 'LAUNCHED') {
    // Post-launch actions keep running after the job completes, so they follow the clock itself.
    server.launchActionsStatus = launchActionsStatus(p, job, now);
  }
  return server;
}
