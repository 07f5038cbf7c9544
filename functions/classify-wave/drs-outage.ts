import type { TaskDeps } from '../shared/clients';
import { DrsUnavailable } from '../shared/errors';
import type { WaveSpec } from '../shared/execution-store';
import { logger } from '../shared/observability';
import type { ServerStatus, WaveOutage, WaveProgress } from '../shared/types';

/**
 * The `serversDigest` a poll returns when DRS did not answer: no digest of servers equals it, so
 * the next poll DRS answers records its servers and ends the outage on the wave.
 */
export const OUTAGE_DIGEST = 'drs-outage';

/** The longest wait between two polls while DRS does not answer (unless the plan polls less often). */
export const MAX_OUTAGE_POLL_SECONDS = 300;

/**
 * The wait after the n-th failed poll of an outage: the plan's interval, doubling with each failed
 * poll up to five minutes, never past the deadline. Each poll already ran the SDK's own retries.
 */
export function outagePollSeconds(attempts: number, pollIntervalSeconds: number, secondsToDeadline: number): number {
  const cap = Math.max(MAX_OUTAGE_POLL_SECONDS, pollIntervalSeconds);
  const backoff = Math.min(pollIntervalSeconds * 2 ** Math.max(0, attempts - 1), cap);
  return Math.max(1, Math.min(Math.ceil(backoff), Math.ceil(secondsToDeadline)));
}

/** "DRS did not answer DescribeJobs since <time> (<n> attempts, last error: ...)": what the wave's note and cause say. */
export function outageNote(outage: WaveOutage): string {
  return `DRS did not answer ${outage.operation} since ${outage.since} (${outage.attempts} attempt${outage.attempts === 1 ? '' : 's'}, last error: ${outage.lastError})`;
}

/** Passes a DrsUnavailable on as a value (the outage path decides); any other error is thrown. */
export function unavailable(error: unknown): DrsUnavailable {
  if (error instanceof DrsUnavailable) return error;
  throw error;
}

export interface OutagePoll {
  executionId: string;
  wave: { index: number; name: string };
  spec: WaveSpec;
  progress: Pick<WaveProgress, 'jobId' | 'deadline' | 'expectedSeconds' | 'startedAt'>;
  pollIntervalSeconds: number;
  failure: DrsUnavailable;
}

/**
 * A poll of a launching wave whose DRS read failed after the SDK's retries. The wave's job is
 * running (or done) in DRS whatever the orchestrator can see, so ending the wave here would orphan
 * it: the outage is recorded on the wave and the wave stays LAUNCHING, its next poll backing off in
 * the workflow's own Wait state, until DRS answers or the deadline comes. At the deadline the wave
 * is TIMED_OUT with a cause that names the outage.
 */
export async function pollInOutage(deps: Pick<TaskDeps, 'store' | 'clock'>, poll: OutagePoll) {
  const { executionId, wave, spec, progress, failure } = poll;
  const now = deps.clock.now();
  const sdkError = failure.cause as { name?: string; message?: string } | undefined;
  const { wave: record, outage } = await deps.store.recordOutage(executionId, wave.index, {
    operation: failure.operation ?? 'DRS',
    error: sdkError?.name ? `${sdkError.name}: ${sdkError.message ?? ''}`.trim() : failure.message,
    at: now,
  });
  const note = outageNote(outage);
  const counts = countsOf(record.servers);
  const base = {
    ...progress,
    serversDigest: OUTAGE_DIGEST,
    counts,
    failedServers: [],
    outage: note,
  };
  const label = `Wave ${wave.index + 1} '${wave.name}'`;
  const secondsToDeadline = (Date.parse(progress.deadline) - now.getTime()) / 1000;
  if (secondsToDeadline <= 0) {
    const known = record.servers
      ? `last known at ${record.lastPolledAt ?? 'an earlier poll'}: ${describeCounts(counts)}`
      : 'no state of its servers was ever read';
    const reason = `${note}; the DRS job may still be running (${known}): check job ${progress.jobId} in the DRS console`;
    await deps.store.endWave(
      executionId,
      wave.index,
      { status: 'TIMED_OUT', ...(record.servers ? { servers: record.servers } : {}), failedServers: [], reason },
      now,
    );
    logger.error(`Wave ${wave.name} timed out while DRS did not answer`, {
      executionId,
      waveIndex: wave.index,
      outage,
    });
    const cause = `${label} TIMED_OUT after ${spec.timeoutMinutes} minutes (DRS job ${progress.jobId}): ${reason}`;
    return { ...base, status: 'TIMED_OUT' as const, nextPollSeconds: 0, cause };
  }
  const nextPollSeconds = outagePollSeconds(outage.attempts, poll.pollIntervalSeconds, secondsToDeadline);
  logger.warn(`Wave ${wave.name}: ${note}; polling again in ${nextPollSeconds} s`, {
    executionId,
    waveIndex: wave.index,
    outage,
  });
  return { ...base, status: 'LAUNCHING' as const, nextPollSeconds };
}

function countsOf(servers: readonly ServerStatus[] | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const server of servers ?? []) counts[server.launchStatus] = (counts[server.launchStatus] ?? 0) + 1;
  return counts;
}

const describeCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
