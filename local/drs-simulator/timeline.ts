/**
 * When things happen in the simulated DRS, and so what state each thing is in at a given
 * simulated time. Every read goes through these functions, which is why jobs move only when
 * the clock does.
 */
import type { JobStatus, LaunchStatus } from '@aws-sdk/client-drs';
import type { InstanceRecord, JobRecord, Participant } from './records';

/** Seconds after launch during which post-launch action runs are IN_PROGRESS. */
export const POST_LAUNCH_ACTIONS_SECONDS = 30;
/** Seconds a TERMINATE job takes. */
export const TERMINATE_JOB_SECONDS = 60;
/** Seconds from a job's creation to STARTED. */
export const JOB_STARTS_AFTER_SECONDS = 1;
/** A server goes IN_PROGRESS after min(this, afterSeconds / 2). */
export const LAUNCH_IN_PROGRESS_AFTER_SECONDS = 10;

export function jobStatus(job: JobRecord, now: number): JobStatus {
  if (now >= job.completedMs) {
    return 'COMPLETED';
  }
  return now >= job.createdMs + JOB_STARTS_AFTER_SECONDS * 1000 ? 'STARTED' : 'PENDING';
}

export function participantStatus(p: Participant, atMs: number): LaunchStatus {
  if (atMs < p.inProgressMs) {
    return 'PENDING';
  }
  if (atMs < p.terminalMs) {
    return 'IN_PROGRESS';
  }
  // STUCK never gets here (terminalMs is Infinity).
  return p.launch.result === 'FAILED' ? 'FAILED' : p.launch.result === 'TERMINATED' ? 'TERMINATED' : 'LAUNCHED';
}

export function instanceState(instance: InstanceRecord, now: number): 'RUNNING' | 'SHUTTING-DOWN' | 'TERMINATED' {
  if (now >= instance.terminatedMs) {
    return 'TERMINATED';
  }
  return now >= instance.terminatingMs ? 'SHUTTING-DOWN' : 'RUNNING';
}
