import { type DrsClient, paginateDescribeJobs } from '@aws-sdk/client-drs';
import { fromDrsError } from './drs-errors';
import type { OtherJobs } from './wave-admission';

/**
 * How far back DescribeJobs is read for jobs still running. DescribeJobs filters only by job IDs
 * and a creation date range (`fromDate`/`toDate`, "the start date in a date range query" in the
 * DRS API reference), and DRS documents no longest job: a job still running was created before
 * now, but not at a bounded time. A launch job lasts minutes to hours; 30 days (as the preflight
 * reads) is far beyond any, and costs a few pages of one paginated read.
 */
export const ACTIVE_JOB_WINDOW_MS = 30 * 24 * 3600_000;

/** The job statuses that hold a DRS quota (the SDK's JobStatus: PENDING, STARTED, COMPLETED). */
const RUNNING = new Set(['PENDING', 'STARTED']);

/**
 * The jobs running in the account (and region) that are not `ownJobIds`, and the servers taking
 * part in them: issue 12's "jobs already running in the account count against" the quotas.
 * `ownJobIds` are the jobs of the execution's waves holding room (`heldJobIds`): their room is
 * already counted on the execution item. An ended wave's job DRS still runs is not among them. A DRS error is thrown as the named error (`fromDrsError`: DrsUnavailable is
 * retried, DrsRejected is not), never read as "no other jobs": an unknown count is not zero.
 */
export async function otherRunningJobs(
  drs: DrsClient,
  args: { now: Date; ownJobIds: readonly string[] },
): Promise<OtherJobs> {
  const own = new Set(args.ownJobIds);
  const fromDate = new Date(args.now.getTime() - ACTIVE_JOB_WINDOW_MS).toISOString();
  const seen = new Set<string>();
  let jobs = 0;
  let servers = 0;
  try {
    for await (const page of paginateDescribeJobs({ client: drs }, { filters: { fromDate } })) {
      for (const job of page.items ?? []) {
        if (!job.status || !RUNNING.has(job.status)) continue;
        // A job listed twice across pages (a new job shifts the pages while they are read) counts once.
        if (job.jobID && (own.has(job.jobID) || seen.has(job.jobID))) continue;
        if (job.jobID) seen.add(job.jobID);
        jobs++;
        servers += job.participatingServers?.length ?? 0;
      }
    }
  } catch (error) {
    throw fromDrsError(error, 'DescribeJobs');
  }
  return { jobs, servers };
}
