import type { ExecutionType, JobServer, JobSnapshot, ServerStatus, Verdict } from '../shared/types';

/**
 * The verdict on a wave, from the DRS job's per-server launch states. It never reads the job
 * status as success: a COMPLETED job only means the job finished. COMPLETED needs every
 * requested server LAUNCHED (and, for RECOVERY, every required post-launch action SUCCEEDED).
 */
export interface ClassifyInput {
  requestedServerIDs: readonly string[];
  job: JobSnapshot;
  executionType: ExecutionType;
  deadline: Date;
  now: Date;
}

export interface Classification {
  status: Verdict;
  failedServers: string[];
  reason: string;
  servers: ServerStatus[];
  /** Requested servers by launch status, for progress lines. */
  counts: Record<string, number>;
}

/** DRS launch status for a requested server DRS left out of the job. */
export const NOT_IN_JOB = 'NOT_IN_JOB';

type ServerOutcome = { kind: 'done' } | { kind: 'waiting'; why: string } | { kind: 'failed'; why: string };

function postLaunchOutcome(server: JobServer): ServerOutcome {
  const runs = server.launchActionsStatus?.runs ?? [];
  const failed = runs.filter((run) => run.status === 'FAILED' && !run.optional);
  if (failed.length > 0) {
    const names = failed.map(
      (run) => `'${run.actionName ?? 'unnamed'}'${run.failureReason ? ` (${run.failureReason})` : ''}`,
    );
    return { kind: 'failed', why: `LAUNCHED but required post-launch action ${names.join(', ')} FAILED` };
  }
  // Anything other than SUCCEEDED or an optional FAILED (IN_PROGRESS, or a status this code
  // does not know) is not finished yet: keep waiting, the deadline bounds the wait.
  const unfinished = runs.filter((run) => run.status !== 'SUCCEEDED' && !(run.status === 'FAILED' && run.optional));
  if (unfinished.length > 0) return { kind: 'waiting', why: 'LAUNCHED, post-launch actions still running' };
  return { kind: 'done' };
}

function serverOutcome(server: JobServer | undefined, jobCompleted: boolean, type: ExecutionType): ServerOutcome {
  if (!server) {
    return jobCompleted
      ? { kind: 'failed', why: 'missing from the DRS job, which has COMPLETED' }
      : { kind: 'waiting', why: 'not in the job yet' };
  }
  switch (server.launchStatus) {
    case 'LAUNCHED':
      return type === 'RECOVERY' ? postLaunchOutcome(server) : { kind: 'done' };
    case 'FAILED':
    case 'TERMINATED':
      return { kind: 'failed', why: server.launchStatus };
    default:
      // PENDING, IN_PROGRESS, or a status this code does not know: never success.
      return jobCompleted
        ? { kind: 'failed', why: `${server.launchStatus} when the DRS job COMPLETED` }
        : { kind: 'waiting', why: server.launchStatus };
  }
}

export function classify(input: ClassifyInput): Classification {
  const jobCompleted = input.job.status === 'COMPLETED';
  const inJob = new Map(input.job.participatingServers.map((server) => [server.sourceServerID, server]));
  const failed: string[] = [];
  const failures: string[] = [];
  const waiting: string[] = [];
  const servers: ServerStatus[] = [];
  const counts: Record<string, number> = {};

  for (const id of input.requestedServerIDs) {
    const server = inJob.get(id);
    const launchStatus = server?.launchStatus ?? NOT_IN_JOB;
    counts[launchStatus] = (counts[launchStatus] ?? 0) + 1;
    servers.push({
      sourceServerID: id,
      launchStatus,
      ...(server?.recoveryInstanceID ? { recoveryInstanceID: server.recoveryInstanceID } : {}),
    });
    const outcome = serverOutcome(server, jobCompleted, input.executionType);
    if (outcome.kind === 'failed') {
      failed.push(id);
      failures.push(`${id} ${outcome.why}`);
    } else if (outcome.kind === 'waiting') {
      waiting.push(`${id} ${outcome.why}`);
    }
  }

  const total = input.requestedServerIDs.length;
  if (failed.length > 0) {
    return { status: 'FAILED', failedServers: failed, reason: failures.join('; '), servers, counts };
  }
  if (total > 0 && waiting.length === 0) {
    return { status: 'COMPLETED', failedServers: [], reason: `all ${total} servers LAUNCHED`, servers, counts };
  }
  if (input.now.getTime() >= input.deadline.getTime()) {
    return {
      status: 'TIMED_OUT',
      failedServers: [],
      reason: `deadline ${input.deadline.toISOString()} passed with ${waiting.length} of ${total} servers not launched: ${waiting.join('; ')}`,
      servers,
      counts,
    };
  }
  return {
    status: 'LAUNCHING',
    failedServers: [],
    reason: `${total - waiting.length} of ${total} servers done`,
    servers,
    counts,
  };
}
