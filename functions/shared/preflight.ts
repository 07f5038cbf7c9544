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
import type { Plan } from './types';

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
 * Checks the plan against DRS before anything is launched: every server exists and replicates
 * CONTINUOUS, none is in another live job or (given `servers`) in another live execution, and
 * every wave fits the quotas beside the jobs already running. Reads only.
 */
export async function preflight(
  drs: DrsClient,
  plan: Plan,
  limits: DrsLimits,
  now: Date,
  records?: { servers: ServerHolders; executionId: string },
): Promise<PreflightReport> {
  const ids = plan.waves.flatMap((wave) => wave.sourceServerIDs);
  const [servers, activeJobs, heldElsewhere] = await Promise.all([
    describeServers(drs, ids),
    describeActiveJobs(drs, now),
    records?.servers.serversHeldElsewhere({ sourceServerIDs: ids, executionId: records.executionId, now }),
  ]);
  const invalid: string[] = [];
  const notReady: string[] = [];

  const inJob = new Map<string, Job>();
  for (const job of activeJobs)
    for (const p of job.participatingServers ?? []) if (p.sourceServerID) inJob.set(p.sourceServerID, job);

  plan.waves.forEach((wave, w) => {
    const where = `wave ${w + 1} '${wave.name}'`;
    if (wave.sourceServerIDs.length > limits.maxServersPerJob) {
      invalid.push(
        `${where} has ${wave.sourceServerIDs.length} servers, more than the ${limits.maxServersPerJob} DRS takes in one job: split it into several waves`,
      );
    }
    for (const id of wave.sourceServerIDs) {
      const server = servers.get(id);
      if (!server) {
        invalid.push(`${where}: ${id} is not a DRS source server in this account and region`);
        continue;
      }
      const state = server.dataReplicationInfo?.dataReplicationState ?? 'UNKNOWN';
      if (state !== 'CONTINUOUS') {
        notReady.push(`${where}: ${id} replication is ${state}, not CONTINUOUS: wait until it is healthy`);
      }
      const job = inJob.get(id);
      if (job) notReady.push(`${where}: ${id} is in DRS job ${job.jobID} (${job.status}): wait for that job to end`);
      const holder = heldElsewhere?.get(id);
      if (holder) notReady.push(inAnotherExecution(where, id, holder));
    }
  });

  const activeServers = new Set(
    activeJobs.flatMap((job) => (job.participatingServers ?? []).map((p) => p.sourceServerID)),
  );
  const largestWave = Math.max(...plan.waves.map((wave) => wave.sourceServerIDs.length));
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
  return { invalid, notReady, servers: ids.length, activeJobs: activeJobs.length };
}

/** Throws InvalidPlan (if the plan itself is wrong) or PlanNotReady, naming every problem found. */
export function assertReady(report: PreflightReport): void {
  if (report.invalid.length > 0) throw new InvalidPlan([...report.invalid, ...report.notReady]);
  if (report.notReady.length > 0) throw new PlanNotReady(report.notReady);
}

async function describeServers(drs: DrsClient, ids: string[]): Promise<Map<string, SourceServer>> {
  const found = new Map<string, SourceServer>();
  try {
    for (let i = 0; i < ids.length; i += IDS_PER_CALL) {
      const filters = { sourceServerIDs: ids.slice(i, i + IDS_PER_CALL) };
      for await (const page of paginateDescribeSourceServers({ client: drs }, { filters })) {
        for (const server of page.items ?? []) if (server.sourceServerID) found.set(server.sourceServerID, server);
      }
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
