/**
 * Each selected instance's result, from what DRS says now: pure, so the rules are tested case by
 * case. A TERMINATE job's COMPLETED, like a LAUNCH job's, only means the job finished: what
 * counts is each instance. An instance is terminated when DRS no longer shows it running (EC2
 * state TERMINATED or NOT_FOUND, or DescribeRecoveryInstances no longer lists it); it failed when
 * every job that had it has ended and it still runs, with the job's per-instance status as the
 * reason; anything else is still under way, until the cleanup's deadline.
 */
import type { CleanupFailure } from './types';

export interface TerminateJobFacts {
  jobID?: string;
  status?: string;
  participatingServers?: { recoveryInstanceID?: string; launchStatus?: string }[];
}

export interface InstanceState {
  recoveryInstanceID?: string;
  ec2InstanceState?: string;
}

export interface OutcomeInput {
  selected: readonly string[];
  /** Selected instances no TERMINATE job has yet (a quota held them back), and why, if known. */
  pending: readonly string[];
  pendingReason?: string;
  jobs: readonly TerminateJobFacts[];
  instances: readonly InstanceState[];
  now: Date;
  deadline: Date;
}

export interface Outcome {
  terminated: string[];
  failed: CleanupFailure[];
  /** Still being terminated (or waiting for a job): the cleanup is RUNNING while any remain. */
  waiting: string[];
}

const GONE = new Set(['TERMINATED', 'NOT_FOUND']);

export function cleanupOutcome(input: OutcomeInput): Outcome {
  const stateOf = new Map(input.instances.map((i) => [i.recoveryInstanceID ?? '', i.ec2InstanceState ?? 'UNKNOWN']));
  const pending = new Set(input.pending);
  const pastDeadline = input.now.getTime() >= input.deadline.getTime();
  const out: Outcome = { terminated: [], failed: [], waiting: [] };
  for (const id of new Set(input.selected)) {
    const state = stateOf.get(id);
    if (state === undefined || GONE.has(state)) {
      out.terminated.push(id);
      continue;
    }
    const jobs = input.jobs.filter((job) => job.participatingServers?.some((s) => s.recoveryInstanceID === id));
    const running = jobs.some((job) => job.status !== 'COMPLETED');
    const waiting = pending.has(id) || running || state === 'SHUTTING-DOWN' || jobs.length === 0;
    if (waiting && !pastDeadline) {
      out.waiting.push(id);
      continue;
    }
    out.failed.push({ recoveryInstanceID: id, reason: reasonFor(id, state, jobs, pending.has(id), input) });
  }
  return out;
}

function reasonFor(
  id: string,
  state: string,
  jobs: readonly TerminateJobFacts[],
  pending: boolean,
  input: OutcomeInput,
): string {
  if (pending) {
    return `no TERMINATE job could be started for it by ${input.deadline.toISOString()}${input.pendingReason ? `: ${input.pendingReason}` : ''}; the instance is ${state}`;
  }
  const last = jobs.at(-1);
  if (!last) return `no TERMINATE job of this cleanup has it; the instance is ${state}`;
  const status = last.participatingServers?.find((s) => s.recoveryInstanceID === id)?.launchStatus ?? 'unknown';
  if (last.status !== 'COMPLETED') {
    return `TERMINATE job ${last.jobID} had not completed by ${input.deadline.toISOString()} (its status for the instance: ${status}); the instance is ${state}`;
  }
  return `TERMINATE job ${last.jobID} completed with ${status} for it; the instance is still ${state}`;
}
