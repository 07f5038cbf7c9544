import { createHash } from 'node:crypto';
import type { TaskDeps } from '../shared/clients';
import { DrsUnavailable } from '../shared/errors';
import { checkedExecutionType } from '../shared/execution-type';
import { launchWaitSeconds } from '../shared/launch-wait-schedule';
import { logger, METRIC, metrics } from '../shared/observability';
import type { ExecutionType, ServerStatus, WaveProgress } from '../shared/types';
import { classify } from './classify';
import { describeJob } from './describe-job';
import { OUTAGE_DIGEST, pollInOutage, unavailable } from './drs-outage';
import { failureReasons } from './job-log';
import { requiredActionsOf } from './required-actions';

/** A check of a launching wave: the execution's facts and the progress start-wave or the last check carried. */
export interface ClassifyWaveEvent
  extends Pick<WaveProgress, 'jobId' | 'deadline'>,
    Partial<Pick<WaveProgress, 'expectedSeconds' | 'startedAt' | 'serversDigest'>> {
  executionId: string;
  executionType: ExecutionType;
  pollIntervalSeconds: number;
  wave: { index: number; name: string };
  /** How "Wait for launch" ended: a launch event's wake (`{ wokenBy }`), or its fallback timeout (`{ Error }`). */
  wake?: { wokenBy?: string };
}

/** After a check every field is known. */
export type ClassifiedProgress = Required<Omit<WaveProgress, 'cause' | 'outage'>> &
  Pick<WaveProgress, 'cause' | 'outage'>;

/**
 * Checks a launching wave: reads its DRS job (one DescribeJobs), classifies it and records the
 * outcome. The verdict rules live in `classify.ts`; this task adds the DRS reasons for failures
 * (the job log, read only when something failed) and writes the records.
 */
export function classifyWave(deps: Pick<TaskDeps, 'store' | 'drs' | 'clock'>) {
  return async (event: ClassifyWaveEvent): Promise<ClassifiedProgress> => {
    const { executionId, wave } = event;
    const executionType = checkedExecutionType(event.executionType, `wave ${wave.index + 1} '${wave.name}'`);
    const [record, job] = await Promise.all([
      deps.store.getWaveSpec(executionId, wave.index),
      describeJob(deps.drs, event.jobId).catch(unavailable),
    ]);
    // Only a RECOVERY waits for post-launch actions; a DRILL checks that the servers launch.
    const requiredActions =
      job instanceof DrsUnavailable || executionType !== 'RECOVERY'
        ? {}
        : await requiredActionsOf(deps, executionId, wave.index, record.sourceServerIDs).catch(unavailable);
    // DRS did not answer: the wave's job runs on, so the wave keeps polling it (backing off) until the deadline.
    if (job instanceof DrsUnavailable || requiredActions instanceof DrsUnavailable) {
      return pollInOutage(deps, {
        executionId,
        wave,
        spec: record,
        progress: {
          jobId: event.jobId,
          deadline: event.deadline,
          expectedSeconds: event.expectedSeconds ?? 0,
          startedAt: event.startedAt ?? deps.clock.now().toISOString(),
        },
        pollIntervalSeconds: event.pollIntervalSeconds,
        failure: job instanceof DrsUnavailable ? job : (requiredActions as DrsUnavailable),
      });
    }
    const now = deps.clock.now();
    if (event.serversDigest === OUTAGE_DIGEST) await deps.store.endOutage(executionId, wave.index, now);
    const startedAt = event.startedAt ? new Date(event.startedAt) : undefined;
    const deadline = new Date(event.deadline);
    const verdict = classify({
      requestedServerIDs: record.sourceServerIDs,
      optionalServerIDs: record.optionalSourceServerIDs ?? [],
      job,
      executionType,
      requiredActions,
      deadline,
      now,
    });
    const serversDigest = digestOf(verdict.servers);
    const base = {
      jobId: event.jobId,
      deadline: event.deadline,
      expectedSeconds: event.expectedSeconds ?? 0,
      startedAt: event.startedAt ?? now.toISOString(),
      serversDigest,
      counts: verdict.counts,
      failedServers: verdict.failedServers,
    };
    const label = `Wave ${wave.index + 1} '${wave.name}'`;
    if (verdict.status !== 'LAUNCHING') recordWaveMetrics(startedAt, now, verdict.servers, verdict.failedServers);

    switch (verdict.status) {
      case 'LAUNCHING': {
        // One write per change, not per poll: a quiet wave costs no DynamoDB writes.
        if (serversDigest !== event.serversDigest) {
          await deps.store.recordPoll(executionId, wave.index, verdict.servers, now);
        }
        const anyLaunched = (verdict.counts.LAUNCHED ?? 0) > 0;
        const next = launchWaitSeconds({
          pollIntervalSeconds: event.pollIntervalSeconds,
          elapsedSeconds: (now.getTime() - (startedAt ?? now).getTime()) / 1000,
          expectedSeconds: event.expectedSeconds ?? 0,
          anyLaunched,
          secondsToDeadline: (deadline.getTime() - now.getTime()) / 1000,
          awaitingActions: executionType === 'RECOVERY' && anyLaunched,
          catchingUp: event.wake?.wokenBy === 'LAUNCH_EVENT',
        });
        return { ...base, status: 'LAUNCHING', nextPollSeconds: next };
      }
      case 'COMPLETED': {
        // With post-wave actions the wave is not COMPLETED yet: held LAUNCHING until they end (wave-actions).
        if (record.postWaveActions?.length) {
          await deps.store.holdLaunchedWave(executionId, wave.index, verdict.servers, {
            reason: verdict.reason,
            optionalFailedServers: verdict.optionalFailedServers,
            launchedAt: now.toISOString(),
          });
        } else {
          await deps.store.completeWave(executionId, wave.index, verdict.servers, now, startedAt, {
            reason: verdict.reason,
            optionalFailedServers: verdict.optionalFailedServers,
          });
        }
        logger.info(`Wave ${wave.name} completed - all servers LAUNCHED`, {
          executionId,
          waveIndex: wave.index,
          jobId: event.jobId,
          servers: verdict.servers.length,
        });
        if (verdict.optionalFailedServers.length > 0) {
          logger.warn(
            `Wave ${wave.name} completed without optional servers [${verdict.optionalFailedServers.join(', ')}]`,
            {
              executionId,
              waveIndex: wave.index,
              optionalFailedServers: verdict.optionalFailedServers,
            },
          );
        }
        return { ...base, status: 'COMPLETED', nextPollSeconds: 0 };
      }
      case 'FAILED': {
        const reasons = await failureReasons(deps.drs, event.jobId, verdict.failedServers);
        const explained = verdict.reason
          .split('; ')
          .map((part) => {
            const id = part.split(' ')[0] ?? '';
            const raw = reasons.get(id);
            return raw ? `${part} - DRS: ${raw}` : part;
          })
          .join('; ');
        const optionalCount = record.optionalSourceServerIDs?.length ?? 0;
        const requiredCount = record.sourceServerIDs.length - optionalCount;
        const cause = `${label} FAILED (DRS job ${event.jobId}): ${verdict.failedServers.length} of ${requiredCount} ${optionalCount > 0 ? 'required ' : ''}servers did not launch: ${explained}`;
        await deps.store.endWave(
          executionId,
          wave.index,
          {
            status: 'FAILED',
            servers: verdict.servers,
            failedServers: verdict.failedServers,
            optionalFailedServers: verdict.optionalFailedServers,
            reason: explained,
          },
          now,
        );
        logger.error(`Wave ${wave.name} failed - servers [${verdict.failedServers.join(', ')}] failed to launch`, {
          executionId,
          waveIndex: wave.index,
          jobId: event.jobId,
          failedServers: verdict.failedServers,
          serverStatuses: Object.fromEntries(verdict.servers.map((s) => [s.sourceServerID, s.launchStatus])),
          reasons: Object.fromEntries(reasons),
        });
        return { ...base, status: 'FAILED', nextPollSeconds: 0, cause };
      }
      case 'TIMED_OUT': {
        const cause = `${label} TIMED_OUT after ${record.timeoutMinutes} minutes (DRS job ${event.jobId}): ${verdict.reason}`;
        await deps.store.endWave(
          executionId,
          wave.index,
          {
            status: 'TIMED_OUT',
            servers: verdict.servers,
            failedServers: [],
            optionalFailedServers: verdict.optionalFailedServers,
            reason: verdict.reason,
          },
          now,
        );
        logger.error(`Wave ${wave.name} timed out - servers not launched by ${event.deadline}`, {
          executionId,
          waveIndex: wave.index,
          jobId: event.jobId,
          serverStatuses: Object.fromEntries(verdict.servers.map((s) => [s.sourceServerID, s.launchStatus])),
        });
        return { ...base, status: 'TIMED_OUT', nextPollSeconds: 0, cause };
      }
    }
  };
}

/** A short digest of the servers' states: equal digests, nothing new to record. */
function digestOf(servers: ServerStatus[]): string {
  return createHash('sha256').update(JSON.stringify(servers)).digest('base64url').slice(0, 16);
}

/** Wave duration and servers launched / failed, once per wave verdict. */
function recordWaveMetrics(
  startedAt: Date | undefined,
  now: Date,
  servers: { launchStatus: string }[],
  failed: string[],
) {
  if (startedAt) {
    metrics.addMetric(METRIC.waveDurationSeconds, 'Seconds', (now.getTime() - startedAt.getTime()) / 1000);
  }
  metrics.addMetric(METRIC.serversLaunched, 'Count', servers.filter((s) => s.launchStatus === 'LAUNCHED').length);
  metrics.addMetric(METRIC.serversFailed, 'Count', failed.length);
}
