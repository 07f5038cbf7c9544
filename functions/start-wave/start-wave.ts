import { StartRecoveryCommand } from '@aws-sdk/client-drs';
import type { TaskDeps } from '../shared/clients';
import { drsErrorKind, fromDrsError } from '../shared/drs-errors';
import { DrsRejected, DrsUnavailable } from '../shared/errors';
import { claimOf, heldJobIds } from '../shared/execution-store';
import { checkedExecutionType } from '../shared/execution-type';
import { launchWaitSeconds } from '../shared/launch-wait-schedule';
import { logger } from '../shared/observability';
import { otherRunningJobs } from '../shared/other-drs-jobs';
import type { ExecutionType, WaveProgress } from '../shared/types';
import { findWaveJob } from './find-wave-job';
import { isQuotaRefusal, quotaRefusal } from './quota-refusal';
import { recoveryTags } from './tags';
import { jobLaunchedSinceClaim } from './unlisted-launch';

export interface StartWaveEvent {
  executionId: string;
  planId: string;
  executionType: ExecutionType;
  pollIntervalSeconds: number;
  wave: { index: number; name: string };
}

/**
 * Starts one wave: claims it in the records (only if every wave it depends on COMPLETED, the
 * execution is live and the quotas leave room), then makes exactly one StartRecovery call with all the wave's servers.
 *
 * Exactly one job per wave, even across retries: a retried task that finds the wave claimed
 * adopts the recorded job, or the job its earlier attempt created (found by its tags, or by the
 * servers' last launch while DescribeJobs does not list it yet) before it considers starting one;
 * a StartRecovery whose outcome is unknown (a 5xx, a lost response, no answer in time) is followed
 * by the same search, never by a blind second call.
 */
export function startWave(deps: Pick<TaskDeps, 'store' | 'drs' | 'drsStart' | 'clock'>) {
  return async (event: StartWaveEvent): Promise<WaveProgress> => {
    const { executionId, wave } = event;
    const executionType = checkedExecutionType(event.executionType, `wave ${wave.index + 1} '${wave.name}'`);
    const [record, execution] = await Promise.all([
      deps.store.getWave(executionId, wave.index),
      deps.store.getExecution(executionId),
    ]);
    const expectedSeconds = execution?.lastWaveSeconds ?? 0;
    /** The progress the workflow carries to the first poll: when to look, and what to compare with. */
    const progress = (jobId: string, claimedAt: Date, deadline: Date): WaveProgress => {
      const now = deps.clock.now();
      return {
        status: 'LAUNCHING',
        jobId,
        deadline: deadline.toISOString(),
        expectedSeconds,
        startedAt: claimedAt.toISOString(),
        serversDigest: '',
        // The first wait for launch events: the long fallback (nothing has launched, nothing was announced).
        nextPollSeconds: launchWaitSeconds({
          pollIntervalSeconds: event.pollIntervalSeconds,
          elapsedSeconds: (now.getTime() - claimedAt.getTime()) / 1000,
          expectedSeconds,
          anyLaunched: false,
          secondsToDeadline: (deadline.getTime() - now.getTime()) / 1000,
          awaitingActions: false,
          catchingUp: false,
        }),
      };
    };
    const adopt = async (jobId: string, claimedAt: Date, deadline: Date, how: string) => {
      await deps.store.recordJob(executionId, wave.index, jobId);
      logger.info(`Wave ${wave.name} already started - adopting DRS job ${jobId} (${how})`, { executionId, jobId });
      return progress(jobId, claimedAt, deadline);
    };
    /**
     * The wave's job if DRS has one, by its tags; else, when a server of the wave was launched since
     * the claim by a job DescribeJobs does not list yet, WaveJobNotYetVisible (the workflow looks
     * again later); else undefined: nothing was started for the wave.
     */
    const search = async (claimedAt: Date) => {
      const found = await findWaveJob(deps.drs, {
        executionId,
        planId: event.planId,
        waveIndex: wave.index,
        claimedAt,
      });
      return (
        found ??
        jobLaunchedSinceClaim(deps.drs, {
          executionId,
          planId: event.planId,
          waveIndex: wave.index,
          waveName: wave.name,
          sourceServerIDs: record.sourceServerIDs,
          claimedAt,
        })
      );
    };

    let claimedAt: Date;
    let deadline: Date;
    const claim = execution && claimOf(execution, wave.index);
    if (claim?.status === 'LAUNCHING' && claim.claimedAt) {
      // A retry of this task: the claim is ours. Finish it, then carry on with the job if there is one.
      claimedAt = new Date(claim.claimedAt);
      deadline = record.deadline
        ? new Date(record.deadline)
        : new Date(claimedAt.getTime() + record.timeoutMinutes * 60_000);
      await deps.store.markWaveLaunching(executionId, wave.index, claimedAt, deadline);
      if (claim.jobId) return adopt(claim.jobId, claimedAt, deadline, 'recorded');
      const found = await search(claimedAt);
      if (found) return adopt(found, claimedAt, deadline, 'found by its tags');
    } else {
      claimedAt = deps.clock.now();
      deadline = new Date(claimedAt.getTime() + record.timeoutMinutes * 60_000);
      // DRS's other running jobs, read just before the claim (never assumed none: a DRS error throws).
      const others = await otherRunningJobs(deps.drs, {
        now: claimedAt,
        ownJobIds: execution ? heldJobIds(execution) : [],
      });
      await deps.store.claimWave(executionId, wave.index, claimedAt, deadline, others);
    }

    let jobId: string | undefined;
    try {
      const out = await deps.drsStart.send(
        new StartRecoveryCommand({
          sourceServers: record.sourceServerIDs.map((sourceServerID) => ({ sourceServerID })),
          isDrill: executionType === 'DRILL',
          tags: recoveryTags({ executionId, planId: event.planId, waveIndex: wave.index, waveName: wave.name }),
        }),
      );
      jobId = out.job?.jobID;
    } catch (error) {
      const kind = drsErrorKind(error);
      if (kind === 'transient') {
        // DRS refused before doing anything: give the claim back so the workflow's retry can claim again.
        await deps.store.releaseClaim(executionId, wave.index);
        throw fromDrsError(error, 'StartRecovery');
      }
      if (kind === 'uncertain') {
        // DRS may have created the job and lost the answer: look before anything else.
        const found = await search(claimedAt);
        if (found) return adopt(found, claimedAt, deadline, 'found by its tags after a lost response');
        // No job was created: keep the claim; the workflow's retry starts the wave.
        throw new DrsUnavailable(
          `StartRecovery for wave ${wave.index + 1} '${wave.name}' ended with ${(error as Error).name} and no job was created; retrying`,
          { cause: error },
        );
      }
      if (isQuotaRefusal(error)) {
        throw await quotaRefusal(deps, { executionId, wave, now: claimedAt }, error);
      }
      throw fromDrsError(error, 'StartRecovery');
    }
    if (!jobId) throw new DrsRejected(`StartRecovery for wave '${wave.name}' returned no job`);

    await deps.store.recordJob(executionId, wave.index, jobId);
    logger.info(`Wave ${wave.name} started - DRS job ${jobId} for ${record.sourceServerIDs.length} servers`, {
      executionId,
      wave: wave.name,
      waveIndex: wave.index,
      jobId,
      isDrill: executionType === 'DRILL',
      deadline: deadline.toISOString(),
    });
    return progress(jobId, claimedAt, deadline);
  };
}
