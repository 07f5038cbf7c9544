/**
 * Source servers and recovery instances as DescribeSourceServers and DescribeRecoveryInstances
 * return them at a given simulated time. A source server shows its last launch and its live
 * recovery instance, which is what the orchestrator's preflight and verdicts read.
 */
import type {
  LastLaunchResult,
  LaunchStatus,
  RecoveryInstance,
  RecoverySnapshot,
  SourceServer,
} from '@aws-sdk/client-drs';
import { type AccountScope, arnFor, iso, snapshotIdFor } from './ids';
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
    tags: { ...server.tags },
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

/** Point-in-time snapshots DRS keeps: every 10 minutes for the last hour (the default PIT policy's first rule). */
const SNAPSHOT_INTERVAL_MS = 10 * 60_000;
const SNAPSHOTS_KEPT = 6;

/**
 * A server's point-in-time snapshots as DescribeRecoverySnapshots lists them, oldest first: the
 * latest at the scenario's `lastSnapshotAgeSeconds` before the simulation started, and the ones
 * the PIT policy kept before it. None for a server the scenario gives no snapshot (`null`). They do
 * not move with the clock: a server whose replication is down takes no new snapshot, and a
 * CONTINUOUS one is launched from a new snapshot anyway.
 */
export function recoverySnapshotsOf(server: InventoryServer, now: number): RecoverySnapshot[] {
  const latest = server.lastSnapshotMs;
  if (latest === undefined) return [];
  return Array.from({ length: SNAPSHOTS_KEPT }, (_, k) => latest - (SNAPSHOTS_KEPT - 1 - k) * SNAPSHOT_INTERVAL_MS)
    .filter((takenMs) => takenMs <= now)
    .map((takenMs) => ({
      snapshotID: snapshotIdFor(server.sourceServerID, takenMs),
      sourceServerID: server.sourceServerID,
      expectedTimestamp: iso(takenMs),
      timestamp: iso(takenMs),
      ebsSnapshots: [snapshotIdFor(server.sourceServerID, takenMs).replace(/^pit-/, 'snap-')],
    }));
}
