/**
 * Source servers and recovery instances as DescribeSourceServers and DescribeRecoveryInstances
 * return them at a given simulated time. A source server shows its last launch and its live
 * recovery instance, which is what the orchestrator's preflight and verdicts read.
 */
import type { LastLaunchResult, LaunchStatus, RecoveryInstance, SourceServer } from '@aws-sdk/client-drs';
import { type AccountScope, arnFor, iso } from './ids';
import { type InstanceRecord, type InventoryServer, lastLaunchOf, type WorldState } from './records';
import { instanceState, participantStatus } from './timeline';

export function renderSourceServer(
  server: InventoryServer,
  state: WorldState,
  now: number,
  scope: AccountScope,
): SourceServer {
  const rendered: SourceServer = {
    sourceServerID: server.sourceServerID,
    arn: arnFor(scope, 'source-server', server.sourceServerID),
    tags: {},
    lastLaunchResult: 'NOT_STARTED',
    dataReplicationInfo: { dataReplicationState: server.replicationState, replicatedDisks: [] },
    lifeCycle: { addedToServiceDateTime: iso(server.addedMs) },
    sourceProperties: { identificationHints: { hostname: server.hostname } },
    replicationDirection: 'FAILOVER',
  };
  const last = lastLaunchOf(state.jobs, server.sourceServerID);
  if (last !== undefined) {
    const { job, participant } = last;
    const launchStatus = participantStatus(participant, Math.min(now, job.completedMs));
    rendered.lastLaunchResult = lastLaunchResult(launchStatus, now >= job.completedMs);
    rendered.lifeCycle = {
      ...rendered.lifeCycle,
      lastLaunch: {
        initiated: {
          apiCallDateTime: iso(job.createdMs),
          jobID: job.jobID,
          type: job.isDrill ? 'DRILL' : 'RECOVERY',
        },
        status: launchStatus,
      },
    };
  }
  const live = state.instances
    .filter((i) => i.sourceServerID === server.sourceServerID && i.launchedMs <= now && i.terminatedMs > now)
    .at(-1);
  if (live !== undefined) {
    rendered.recoveryInstanceId = live.recoveryInstanceID;
  }
  return rendered;
}

export function renderRecoveryInstance(instance: InstanceRecord, now: number, scope: AccountScope): RecoveryInstance {
  return {
    recoveryInstanceID: instance.recoveryInstanceID,
    ec2InstanceID: instance.recoveryInstanceID,
    ec2InstanceState: instanceState(instance, now),
    jobID: instance.jobID,
    sourceServerID: instance.sourceServerID,
    isDrill: instance.isDrill,
    arn: arnFor(scope, 'recovery-instance', instance.recoveryInstanceID),
    tags: {},
    originEnvironment: 'AWS',
  };
}

/** A server's lastLaunchResult: a launch the job's end cut short counts as FAILED. */
function lastLaunchResult(status: LaunchStatus, jobCompleted: boolean): LastLaunchResult {
  if (status === 'LAUNCHED') {
    return 'SUCCEEDED';
  }
  if (status === 'FAILED' || status === 'TERMINATED' || jobCompleted) {
    return 'FAILED';
  }
  return 'PENDING';
}
