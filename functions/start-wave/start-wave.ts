import { StartRecoveryCommand } from '@aws-sdk/client-drs';
import type { TaskDeps } from '../shared/clients';
import { drsErrorKind, fromDrsError } from '../shared/drs-errors';
import { DrsRejected, WaveStartUncertain } from '../shared/errors';
import { logger } from '../shared/observability';
import type { ExecutionType } from '../shared/types';
import { recoveryTags } from './tags';

export interface StartWaveEvent {
  executionId: string;
  planId: string;
  executionType: ExecutionType;
  pollIntervalSeconds: number;
  wave: { index: number; name: string };
}

/** The wave's progress as the workflow carries it between polls. */
export interface WaveProgress {
  status: 'LAUNCHING';
  jobId: string;
  deadline: string;
  nextPollSeconds: number;
}

/**
 * Starts one wave: claims it in the records (only if every earlier wave COMPLETED and the
 * execution is live), then makes exactly one StartRecovery call with all the wave's servers.
 */
export function startWave(deps: Pick<TaskDeps, 'store' | 'drsStart' | 'clock'>) {
  return async (event: StartWaveEvent): Promise<WaveProgress> => {
    const { executionId, wave } = event;
    const [record, execution] = await Promise.all([
      deps.store.getWave(executionId, wave.index),
      deps.store.getExecution(executionId),
    ]);
    const progress = (jobId: string, deadline: string): WaveProgress => ({
      status: 'LAUNCHING',
      jobId,
      deadline,
      nextPollSeconds: event.pollIntervalSeconds,
    });

    if (execution?.activeWave === wave.index) {
      if (execution.activeJobId && record.deadline) {
        // A retried task whose first attempt got as far as recording the job: carry on with that job.
        await deps.store.recordJob(executionId, wave.index, execution.activeJobId);
        logger.info(`Wave ${wave.name} already started - adopting DRS job ${execution.activeJobId}`, {
          executionId,
          jobId: execution.activeJobId,
        });
        return progress(execution.activeJobId, record.deadline);
      }
      throw new WaveStartUncertain(
        `Wave ${wave.index + 1} '${wave.name}' was claimed but no DRS job ID was recorded: DRS may have created a job. ` +
          `Check DRS jobs tagged drs-orchestrator:execution-id=${executionId} before starting the plan again.`,
      );
    }

    const now = deps.clock.now();
    const deadline = new Date(now.getTime() + record.timeoutMinutes * 60_000);
    await deps.store.claimWave(executionId, wave.index, now, deadline);

    let jobId: string | undefined;
    try {
      const out = await deps.drsStart.send(
        new StartRecoveryCommand({
          sourceServers: record.sourceServerIDs.map((sourceServerID) => ({ sourceServerID })),
          isDrill: event.executionType === 'DRILL',
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
        throw new WaveStartUncertain(
          `StartRecovery for wave ${wave.index + 1} '${wave.name}' ended with ${(error as Error).name}: DRS may or may not have created a job. ` +
            `Check DRS jobs tagged drs-orchestrator:execution-id=${executionId} before starting the plan again.`,
          { cause: error },
        );
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
      isDrill: event.executionType === 'DRILL',
      deadline: deadline.toISOString(),
    });
    return progress(jobId, deadline.toISOString());
  };
}
