import type { TaskDeps } from '../shared/clients';
import { logger, METRIC, metrics } from '../shared/observability';
import type { ExecutionType, Verdict } from '../shared/types';
import { classify } from './classify';
import { describeJob } from './describe-job';
import { failureReasons } from './job-log';
import { nextPollSeconds } from './next-poll';

export interface ClassifyWaveEvent {
  executionId: string;
  executionType: ExecutionType;
  pollIntervalSeconds: number;
  wave: { index: number; name: string };
  jobId: string;
  deadline: string;
  /** The wave's expected launch time (0 when unknown), carried from the start for the poll schedule. */
  expectedSeconds?: number;
}

/** The wave's progress after a poll; the workflow's Choice branches on `status`. */
export interface ClassifiedProgress {
  status: Verdict;
  jobId: string;
  deadline: string;
  nextPollSeconds: number;
  expectedSeconds: number;
  counts: Record<string, number>;
  failedServers: string[];
  /** A sentence a person can act on, for the Fail state's Cause. */
  cause?: string;
}

/**
 * Checks a launching wave: reads its DRS job (one DescribeJobs), classifies it and records the
 * outcome. The verdict rules live in `classify.ts`; this task adds the DRS reasons for failures
 * (the job log, read only when something failed) and writes the records.
 */
export function classifyWave(deps: Pick<TaskDeps, 'store' | 'drs' | 'clock'>) {
  return async (event: ClassifyWaveEvent): Promise<ClassifiedProgress> => {
    const { executionId, wave } = event;
    const [record, job] = await Promise.all([
      deps.store.getWave(executionId, wave.index),
      describeJob(deps.drs, event.jobId),
    ]);
    const now = deps.clock.now();
    const deadline = new Date(event.deadline);
    const verdict = classify({
      requestedServerIDs: record.sourceServerIDs,
      job,
      executionType: event.executionType,
      deadline,
      now,
    });
    const base = {
      jobId: event.jobId,
      deadline: event.deadline,
      expectedSeconds: event.expectedSeconds ?? 0,
      counts: verdict.counts,
      failedServers: verdict.failedServers,
    };
    const label = `Wave ${wave.index + 1} '${wave.name}'`;
    if (verdict.status !== 'LAUNCHING')
      recordWaveMetrics(record.startedAt, now, verdict.servers, verdict.failedServers);

    switch (verdict.status) {
      case 'LAUNCHING': {
        // One write per change, not per poll: a quiet wave costs no DynamoDB writes.
        if (JSON.stringify(record.servers ?? []) !== JSON.stringify(verdict.servers)) {
          await deps.store.recordPoll(executionId, wave.index, verdict.servers, now);
        }
        const startedAt = record.startedAt ? new Date(record.startedAt) : now;
        const next = nextPollSeconds({
          pollIntervalSeconds: event.pollIntervalSeconds,
          elapsedSeconds: (now.getTime() - startedAt.getTime()) / 1000,
          expectedSeconds: event.expectedSeconds ?? 0,
          anyLaunched: (verdict.counts.LAUNCHED ?? 0) > 0,
          secondsToDeadline: (deadline.getTime() - now.getTime()) / 1000,
        });
        return { ...base, status: 'LAUNCHING', nextPollSeconds: next };
      }
      case 'COMPLETED': {
        await deps.store.completeWave(
          executionId,
          wave.index,
          verdict.servers,
          now,
          record.startedAt ? new Date(record.startedAt) : undefined,
        );
        logger.info(`Wave ${wave.name} completed - all servers LAUNCHED`, {
          executionId,
          waveIndex: wave.index,
          jobId: event.jobId,
          servers: verdict.servers.length,
        });
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
        const cause = `${label} FAILED (DRS job ${event.jobId}): ${verdict.failedServers.length} of ${record.sourceServerIDs.length} servers did not launch: ${explained}`;
        await deps.store.endWave(
          executionId,
          wave.index,
          { status: 'FAILED', servers: verdict.servers, failedServers: verdict.failedServers, reason: explained },
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
          { status: 'TIMED_OUT', servers: verdict.servers, failedServers: [], reason: verdict.reason },
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

/** Wave duration and servers launched / failed, once per wave verdict. */
function recordWaveMetrics(
  startedAt: string | undefined,
  now: Date,
  servers: { launchStatus: string }[],
  failed: string[],
) {
  if (startedAt) {
    metrics.addMetric(METRIC.waveDurationSeconds, 'Seconds', (now.getTime() - new Date(startedAt).getTime()) / 1000);
  }
  metrics.addMetric(METRIC.serversLaunched, 'Count', servers.filter((s) => s.launchStatus === 'LAUNCHED').length);
  metrics.addMetric(METRIC.serversFailed, 'Count', failed.length);
}
