import {
  type DrsClient,
  type Job,
  paginateDescribeJobs,
  paginateDescribeSourceServers,
  type SourceServer,
} from '@aws-sdk/client-drs';
import { fromDrsError } from './drs-errors';
import type { DrsLimits } from './drs-limits';
import { InvalidPlan, PlanNotReady } from './errors';
import { type ExecutionRecord, inAnotherExecution } from './execution-store';
import { dataAgeText, latestSnapshots, replicationLagSeconds } from './recovery-point';
import { selectMembers, type WaveMembers } from './tag-selection';
import type { ExecutionType, Plan, ServerDataAge } from './types';

/** How a problem names its wave (`wave 2 'App'`): the check route groups the problems by it. */
export const waveLabel = (index: number, name: string) => `wave ${index + 1} '${name}'`;

/** DescribeSourceServers takes at most 200 IDs per call. */
const IDS_PER_CALL = 200;
/** Jobs still running are recent; older ones have long COMPLETED. */
const ACTIVE_JOB_WINDOW_MS = 30 * 24 * 3600_000;

export interface PreflightReport {
  /** Problems in the plan itself (unknown servers, a wave too large for one job): InvalidPlan. */
  invalid: string[];
  /** Problems of DRS's present state (replication, conflicting jobs, quotas): PlanNotReady. */
  notReady: string[];
  servers: number;
  activeJobs: number;
  /** What an operator must know although the plan can run (e.g. a RECOVERY from an old snapshot), every wave's. */
  warnings: string[];
  /** Per wave, index-aligned with the plan: each known server's data age and the wave's warnings. */
  waves: { dataAges: ServerDataAge[]; warnings: string[] }[];
  /** Per wave, index-aligned with the plan: its members, tags resolved (`withMembers` puts them in the plan). */
  members: WaveMembers[];
}

/** The servers' locks (`ExecutionStore`): which of them another live execution holds. */
export interface ServerHolders {
  serversHeldElsewhere(args: {
    sourceServerIDs: readonly string[];
    executionId: string;
    now: Date;
  }): Promise<Map<string, ExecutionRecord>>;
}

/**
 * Checks the plan against DRS before anything is launched: every server exists, none is in another
 * live job or (given `records`) in another live execution, every wave fits the quotas beside the
 * jobs already running, and each server has data to recover. Reads only.
 *
 * What "data to recover" means depends on the execution:
 * - a DRILL checks that replication is healthy: every server must replicate CONTINUOUS;
 * - a RECOVERY is what runs when the source site is down, its replication STALLED or DISCONNECTED:
 *   a server is ready when DRS has a point-in-time snapshot of it (DescribeRecoverySnapshots), and
 *   replication that is not CONTINUOUS is a warning naming the server and the age of its data. A
 *   server with no snapshot at all is not ready.
 *
 * Each server's data age is taken here, when the execution starts, as DRS will launch it: a
 * CONTINUOUS server is launched from a new snapshot of its replicated disks, as old as the
 * replication lag; any other from its latest snapshot, as old as that snapshot.
 */
export async function preflight(
  drs: DrsClient,
  plan: Plan,
  limits: DrsLimits,
  now: Date,
  executionType: ExecutionType,
  records?: { servers: ServerHolders; executionId: string },
): Promise<PreflightReport> {
  const listed = plan.waves.flatMap((wave) => [...wave.sourceServerIDs, ...(wave.optionalSourceServerIDs ?? [])]);
  const byTags = plan.waves.some((wave) => wave.sourceServerTags !== undefined);
  const held = (sourceServerIDs: readonly string[]) =>
    records?.servers.serversHeldElsewhere({ sourceServerIDs, executionId: records.executionId, now });
  // Tags are resolved against every server DRS has (no ID filter), once, here; the servers' locks
  // are then read for the resolved members. Without tags the three reads run side by side.
  const [servers, activeJobs, heldListed] = await Promise.all([
    byTags ? describeServers(drs) : describeServers(drs, listed),
    describeActiveJobs(drs, now),
    byTags ? undefined : held(listed),
  ]);
  const selection = selectMembers(plan, servers.values());
  const ids = selection.waves.flatMap((wave) => wave.sourceServerIDs);
  const heldElsewhere = byTags ? await held(ids) : heldListed;
  const snapshots =
    executionType === 'RECOVERY' ? await latestSnapshots(drs, [...servers.keys()]) : new Map<string, Date>();
  const invalid: string[] = [...selection.invalid];
  const notReady: string[] = [];
  const waves: PreflightReport['waves'] = [];

  const inJob = new Map<string, Job>();
  for (const job of activeJobs)
    for (const p of job.participatingServers ?? []) if (p.sourceServerID) inJob.set(p.sourceServerID, job);

  plan.waves.forEach((wave, w) => {
    const where = waveLabel(w, wave.name);
    const checked: PreflightReport['waves'][number] = { dataAges: [], warnings: [] };
    waves.push(checked);
    const members = selection.waves[w]?.sourceServerIDs ?? [];
    if (members.length > limits.maxServersPerJob) {
      const tagged = selection.waves[w]?.taggedSourceServerIDs.length ?? 0;
      invalid.push(
        `${where} has ${members.length} servers${tagged > 0 ? ` (${tagged} selected by its tags)` : ''}, more than the ${limits.maxServersPerJob} DRS takes in one job: split it into several waves`,
      );
    }
    for (const id of members) {
      const server = servers.get(id);
      if (!server) {
        invalid.push(`${where}: ${id} is not a DRS source server in this account and region`);
        continue;
      }
      const state = server.dataReplicationInfo?.dataReplicationState ?? 'UNKNOWN';
      const lag = replicationLagSeconds(server);
      if (executionType === 'DRILL') {
        if (state !== 'CONTINUOUS') {
          notReady.push(`${where}: ${id} replication is ${state}, not CONTINUOUS: wait until it is healthy`);
        }
      } else {
        const snapshot = snapshots.get(id);
        if (!snapshot) {
          notReady.push(
            `${where}: ${id} has no recovery snapshot (replication is ${state}): DRS has no data to recover it from`,
          );
        } else if (state !== 'CONTINUOUS') {
          const age = ageOf(snapshot, now) ?? 0;
          checked.warnings.push(
            `${where}: ${id} replication is ${state}, not CONTINUOUS: it is recovered from its latest snapshot (${snapshot.toISOString()}), data age ${dataAgeText(age)}`,
          );
        }
      }
      const dataAge =
        state === 'CONTINUOUS' ? lag : executionType === 'RECOVERY' ? ageOf(snapshots.get(id), now) : undefined;
      if (state === 'CONTINUOUS' && lag === undefined) {
        checked.warnings.push(
          `${where}: ${id} reports a replication lag DRS spells '${server.dataReplicationInfo?.lagDuration}', which this code cannot read: its data age is not known`,
        );
      }
      if (dataAge !== undefined) checked.dataAges.push({ sourceServerID: id, dataAgeSeconds: Math.round(dataAge) });
      const job = inJob.get(id);
      if (job) notReady.push(`${where}: ${id} is in DRS job ${job.jobID} (${job.status}): wait for that job to end`);
      const holder = heldElsewhere?.get(id);
      if (holder) notReady.push(inAnotherExecution(where, id, holder));
    }
  });

  const activeServers = new Set(
    activeJobs.flatMap((job) => (job.participatingServers ?? []).map((p) => p.sourceServerID)),
  );
  const largestWave = Math.max(...selection.waves.map((wave) => wave.sourceServerIDs.length));
  if (activeJobs.length + 1 > limits.maxConcurrentJobs) {
    notReady.push(
      `${activeJobs.length} DRS jobs are already running, the quota is ${limits.maxConcurrentJobs} concurrent jobs: wait for some to end`,
    );
  }
  if (activeServers.size + largestWave > limits.maxServersInAllJobs) {
    notReady.push(
      `${activeServers.size} servers are already in running DRS jobs; with the largest wave (${largestWave}) that passes the quota of ${limits.maxServersInAllJobs} servers in all jobs`,
    );
  }
  return {
    invalid,
    notReady,
    servers: ids.length,
    activeJobs: activeJobs.length,
    warnings: waves.flatMap((wave) => wave.warnings),
    waves,
    members: selection.waves,
  };
}

const ageOf = (snapshot: Date | undefined, now: Date) =>
  snapshot === undefined ? undefined : Math.max(0, (now.getTime() - snapshot.getTime()) / 1000);

/** Throws InvalidPlan (if the plan itself is wrong) or PlanNotReady, naming every problem found. */
export function assertReady(report: PreflightReport): void {
  if (report.invalid.length > 0) throw new InvalidPlan([...report.invalid, ...report.notReady]);
  if (report.notReady.length > 0) throw new PlanNotReady(report.notReady);
}

/** The servers with these IDs, or without IDs every source server in the account and region (for tags). */
async function describeServers(drs: DrsClient, ids?: string[]): Promise<Map<string, SourceServer>> {
  const found = new Map<string, SourceServer>();
  const read = async (filters: { sourceServerIDs?: string[] }) => {
    for await (const page of paginateDescribeSourceServers({ client: drs }, { filters })) {
      for (const server of page.items ?? []) if (server.sourceServerID) found.set(server.sourceServerID, server);
    }
  };
  try {
    if (ids === undefined) await read({});
    for (let i = 0; ids !== undefined && i < ids.length; i += IDS_PER_CALL) {
      await read({ sourceServerIDs: ids.slice(i, i + IDS_PER_CALL) });
    }
  } catch (error) {
    throw fromDrsError(error, 'DescribeSourceServers');
  }
  return found;
}

async function describeActiveJobs(drs: DrsClient, now: Date): Promise<Job[]> {
  const active: Job[] = [];
  const fromDate = new Date(now.getTime() - ACTIVE_JOB_WINDOW_MS).toISOString();
  try {
    for await (const page of paginateDescribeJobs({ client: drs }, { filters: { fromDate } })) {
      for (const job of page.items ?? []) if (job.status !== 'COMPLETED') active.push(job);
    }
  } catch (error) {
    throw fromDrsError(error, 'DescribeJobs');
  }
  return active;
}
