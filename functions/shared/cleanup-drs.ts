/**
 * The DRS calls of a drill cleanup: listing recovery instances, terminating them, and reading the
 * TERMINATE jobs. Every failure becomes a named error the cleanup workflow retries
 * (DrsUnavailable) or ends on (DrsRejected), by the same classification as the recovery's calls.
 */
import {
  DescribeJobsCommand,
  type DrsClient,
  type Job,
  paginateDescribeJobs,
  paginateDescribeRecoveryInstances,
  type RecoveryInstance,
  TerminateRecoveryInstancesCommand,
} from '@aws-sdk/client-drs';
import { drsErrorKind, fromDrsError } from './drs-errors';

/** DRS takes at most 200 IDs in one DescribeRecoveryInstances filter and one TerminateRecoveryInstances. */
export const MAX_IDS_PER_CALL = 200;

export const chunksOf = <T>(items: readonly T[], size = MAX_IDS_PER_CALL): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Every recovery instance DRS lists for these source servers (or these instance IDs), every page. */
export async function describeRecoveryInstances(
  drs: DrsClient,
  filter: { sourceServerIDs: readonly string[] } | { recoveryInstanceIDs: readonly string[] },
): Promise<RecoveryInstance[]> {
  const ids = 'sourceServerIDs' in filter ? filter.sourceServerIDs : filter.recoveryInstanceIDs;
  const out: RecoveryInstance[] = [];
  try {
    for (const chunk of chunksOf([...new Set(ids)])) {
      const filters = 'sourceServerIDs' in filter ? { sourceServerIDs: chunk } : { recoveryInstanceIDs: chunk };
      for await (const page of paginateDescribeRecoveryInstances({ client: drs }, { filters })) {
        out.push(...(page.items ?? []));
      }
    }
  } catch (error) {
    throw fromDrsError(error, 'DescribeRecoveryInstances');
  }
  return out;
}

/** What one TerminateRecoveryInstances did: a job, nothing (throttled, quota), or it cannot be told (the answer was lost). */
export type TerminateOutcome =
  | { kind: 'STARTED'; jobId: string }
  | { kind: 'QUOTA'; message: string }
  | { kind: 'UNCERTAIN'; error: Error };

/**
 * One TerminateRecoveryInstances on the client with SDK retries off: like StartRecovery it has no
 * idempotency token, so after a lost answer the caller looks for the job instead of repeating the
 * call blindly. Throttling (DRS did nothing) is DrsUnavailable, retried by the workflow; a refusal
 * other than a quota is DrsRejected.
 */
export async function terminateRecoveryInstances(drsStart: DrsClient, ids: string[]): Promise<TerminateOutcome> {
  try {
    const out = await drsStart.send(new TerminateRecoveryInstancesCommand({ recoveryInstanceIDs: ids }));
    if (!out.job?.jobID) return { kind: 'UNCERTAIN', error: new Error('TerminateRecoveryInstances returned no job') };
    return { kind: 'STARTED', jobId: out.job.jobID };
  } catch (error) {
    const kind = drsErrorKind(error);
    // DRS counts a TERMINATE job against the concurrent-jobs quota: wait for a slot rather than give up.
    if ((error as Error).name === 'ServiceQuotaExceededException') {
      return { kind: 'QUOTA', message: (error as Error).message };
    }
    if (kind === 'uncertain') return { kind: 'UNCERTAIN', error: fromDrsError(error, 'TerminateRecoveryInstances') };
    throw fromDrsError(error, 'TerminateRecoveryInstances');
  }
}

/**
 * The TERMINATE jobs created since `from` that terminate any of these instances: how a request
 * whose answer was lost is found. DescribeJobs may not list a new job yet; the caller retries.
 */
export async function findTerminateJobs(drs: DrsClient, from: Date, instanceIDs: readonly string[]): Promise<Job[]> {
  const wanted = new Set(instanceIDs);
  const found: Job[] = [];
  try {
    for await (const page of paginateDescribeJobs({ client: drs }, { filters: { fromDate: from.toISOString() } })) {
      for (const job of page.items ?? []) {
        if (job.type !== 'TERMINATE') continue;
        if ((job.participatingServers ?? []).some((s) => wanted.has(s.recoveryInstanceID ?? ''))) found.push(job);
      }
    }
  } catch (error) {
    throw fromDrsError(error, 'DescribeJobs');
  }
  return found;
}

/** The TERMINATE jobs by ID (one DescribeJobs per 200, which is within its 1,000-ID filter). */
export async function describeJobs(drs: DrsClient, jobIds: readonly string[]): Promise<Job[]> {
  const jobs: Job[] = [];
  try {
    for (const chunk of chunksOf(jobIds)) {
      const out = await drs.send(new DescribeJobsCommand({ filters: { jobIDs: chunk } }));
      jobs.push(...(out.items ?? []));
    }
  } catch (error) {
    throw fromDrsError(error, 'DescribeJobs');
  }
  return jobs;
}
