import { DescribeJobsCommand, type DrsClient, paginateDescribeSourceServers } from '@aws-sdk/client-drs';
import { fromDrsError } from '../shared/drs-errors';
import { WaveJobNotYetVisible } from '../shared/errors';
import { CLAIM_SKEW_MS } from './find-wave-job';
import { isWaveJob } from './tags';

export interface WaveToCheck {
  executionId: string;
  planId: string;
  waveIndex: number;
  waveName: string;
  sourceServerIDs: string[];
  claimedAt: Date;
}

/**
 * The second look before a claimed wave's StartRecovery, once its job was not found by its tags.
 * DescribeJobs is eventually consistent: a job created a moment ago may be missing from it, asked
 * for by ID too. Each source server's `lifeCycle.lastLaunch.initiated` names the job that last
 * launched it and when it was asked for, so:
 *
 * - no server of the wave was launched since the claim: nothing was started, `undefined`;
 * - one was, by a job DescribeJobs lists now with this wave's tags: that job, to adopt;
 * - one was, by a job DescribeJobs does not list: `WaveJobNotYetVisible` (the workflow retries,
 *   and looks again after its backoff); never a second StartRecovery for a job it cannot see;
 * - one was, by a listed job of someone else's: `undefined`, and StartRecovery decides (DRS refuses
 *   a server that is in a running job).
 */
export async function jobLaunchedSinceClaim(drs: DrsClient, wave: WaveToCheck): Promise<string | undefined> {
  const launches = await lastLaunchesSince(drs, wave.sourceServerIDs, wave.claimedAt.getTime() - CLAIM_SKEW_MS);
  if (launches.length === 0) return undefined;

  const jobIDs = [...new Set(launches.map((launch) => launch.jobID))];
  let listed: { jobID?: string; tags?: Record<string, string> }[];
  try {
    listed = (await drs.send(new DescribeJobsCommand({ filters: { jobIDs } }))).items ?? [];
  } catch (error) {
    throw fromDrsError(error, 'DescribeJobs');
  }
  const ours = listed.find((job) => job.jobID && isWaveJob(job.tags, wave));
  if (ours?.jobID) return ours.jobID;

  const listedIDs = new Set(listed.map((job) => job.jobID));
  const unlisted = launches.filter((launch) => !listedIDs.has(launch.jobID));
  if (unlisted.length > 0) {
    const seen = unlisted.map((l) => `${l.sourceServerID} by ${l.jobID} at ${l.initiatedAt}`).join(', ');
    throw new WaveJobNotYetVisible(
      `Wave ${wave.waveIndex + 1} '${wave.waveName}' was claimed at ${wave.claimedAt.toISOString()} and DRS has launched ${seen} since, but DescribeJobs does not list that job yet: not starting a second job; looking again`,
    );
  }
  return undefined;
}

interface LastLaunch {
  sourceServerID: string;
  jobID: string;
  initiatedAt: string;
}

/** The servers whose last launch was asked for at or after `sinceMs`, with its job. */
async function lastLaunchesSince(drs: DrsClient, sourceServerIDs: string[], sinceMs: number): Promise<LastLaunch[]> {
  const launches: LastLaunch[] = [];
  try {
    // A wave has at most 100 servers; DescribeSourceServers takes up to 200 IDs in one filter.
    for await (const page of paginateDescribeSourceServers({ client: drs }, { filters: { sourceServerIDs } })) {
      for (const server of page.items ?? []) {
        const initiated = server.lifeCycle?.lastLaunch?.initiated;
        const at = initiated?.apiCallDateTime ? Date.parse(initiated.apiCallDateTime) : Number.NaN;
        if (server.sourceServerID && initiated?.jobID && at >= sinceMs) {
          launches.push({
            sourceServerID: server.sourceServerID,
            jobID: initiated.jobID,
            initiatedAt: initiated.apiCallDateTime ?? '',
          });
        }
      }
    }
  } catch (error) {
    throw fromDrsError(error, 'DescribeSourceServers');
  }
  return launches;
}
