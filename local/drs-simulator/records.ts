/**
 * What the simulated DRS remembers: the inventory, the jobs and the recovery instances, each
 * with the simulated times at which it changes. Nothing here holds a status: statuses are
 * computed from these times and the clock (see `timeline.ts`), so moving the clock moves jobs.
 */
import type { ReplicationState, ScenarioLaunch } from './scenario';

export interface InventoryServer {
  sourceServerID: string;
  hostname: string;
  replicationState: ReplicationState;
  /** The server's DRS tags (the scenario's `sourceServers[].tags`). */
  tags: Record<string, string>;
  addedMs: number;
  /** When DRS took the server's latest point-in-time snapshot; undefined: it has none. */
  lastSnapshotMs: number | undefined;
}

/** One source server in a LAUNCH job. */
export interface Participant {
  sourceServerID: string;
  launch: ScenarioLaunch;
  /** Set for LAUNCHED and TERMINATED results: the instance the launch creates. */
  recoveryInstanceID?: string;
  inProgressMs: number;
  /** When the launch reaches its result; Infinity for STUCK. */
  terminalMs: number;
}

export interface LaunchJob {
  kind: 'LAUNCH';
  seq: number;
  jobID: string;
  createdMs: number;
  completedMs: number;
  isDrill: boolean;
  tags: Record<string, string>;
  participants: Participant[];
  /** Servers DRS skipped (SERVER_SKIPPED at `atMs`): not in `participatingServers`, never launched. */
  skipped: { sourceServerID: string; launch: ScenarioLaunch; atMs: number }[];
}

export interface TerminateJob {
  kind: 'TERMINATE';
  seq: number;
  jobID: string;
  createdMs: number;
  completedMs: number;
  /** `fails`: the scenario's `terminations` make the job end FAILED for that instance, which keeps running. */
  targets: { recoveryInstanceID: string; sourceServerID: string; fails: boolean }[];
}

export type JobRecord = LaunchJob | TerminateJob;

export interface InstanceRecord {
  recoveryInstanceID: string;
  sourceServerID: string;
  jobID: string;
  isDrill: boolean;
  launchedMs: number;
  /** From this time on, a TERMINATE job is shutting the instance down. */
  terminatingMs: number;
  terminatedMs: number;
}

/** Everything the world holds; the job lifecycle appends to it, rendering only reads it. */
export interface WorldState {
  readonly inventory: ReadonlyMap<string, InventoryServer>;
  /** Oldest first; a job's position + 1 is its `seq`. */
  readonly jobs: JobRecord[];
  readonly instances: InstanceRecord[];
  /** How many recovery instance IDs were handed out (instance IDs are numbered from 1). */
  instanceCount: number;
  /** Makes this simulator's job and instance IDs its own (`ids.ts`); '' for the default IDs. */
  readonly idSeed: string;
}

/** The source servers a job involves (a TERMINATE job's through the instances it terminates). */
export function jobServerIDs(job: JobRecord): string[] {
  return job.kind === 'LAUNCH'
    ? job.participants.map((p) => p.sourceServerID)
    : job.targets.map((t) => t.sourceServerID);
}

/** The latest LAUNCH job the server took part in, with its part in it; undefined if it never launched. */
export function lastLaunchOf(
  jobs: readonly JobRecord[],
  sourceServerID: string,
): { job: LaunchJob; participant: Participant } | undefined {
  for (let index = jobs.length - 1; index >= 0; index--) {
    const job = jobs[index];
    if (job?.kind !== 'LAUNCH') {
      continue;
    }
    const participant = job.participants.find((p) => p.sourceServerID === sourceServerID);
    if (participant !== undefined) {
      return { job, participant };
    }
  }
  return undefined;
}
