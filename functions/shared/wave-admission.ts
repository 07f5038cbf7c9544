import type { PlanScheduling } from './wave-graph';

/**
 * Which waves may start now (issue 12): the rule the "Wait for dependencies and room" task and the
 * end of every wave apply, before the data layer's conditional write makes it so. Pure: it reads a
 * snapshot of the execution's waves and of DRS's running jobs, and says what to do with each
 * waiting wave.
 */

/** A wave as admission sees it. */
export interface AdmissionWave {
  index: number;
  /** Servers its job will carry (required and optional members): what it takes of maxServersInAllJobs. */
  servers: number;
  /** The indices of the waves it needs COMPLETED (`dependenciesOf`). */
  dependsOn: readonly number[];
  /**
   * WAITING: its iteration waits to start (recorded NOT_STARTED or WAITING_FOR_CAPACITY);
   * ADMITTED: it holds room (from admission until its verdict is recorded);
   * COMPLETED, FAILED (also TIMED_OUT and a failed action), SKIPPED (ended NOT_STARTED: never started).
   */
  state: 'WAITING' | 'ADMITTED' | 'COMPLETED' | 'FAILED' | 'SKIPPED';
  /** Its DRS job once recorded: one of this execution's own jobs, whose room its claim already holds. */
  jobId?: string;
  /** WAITING and marked WAITING_FOR_CAPACITY by an earlier round (shown so; the rule itself ignores it). */
  waitingForCapacity?: boolean;
}

/** Jobs running in the account that are not this execution's (DescribeJobs): they count against the quotas. */
export interface OtherJobs {
  jobs: number;
  servers: number;
}

export interface Admission {
  /** Start now, in this order (the waves' order in `waves`, which is the Map's topological order). */
  admit: number[];
  /** Its dependencies are COMPLETED but there is no room: recorded WAITING_FOR_CAPACITY. */
  waitForCapacity: number[];
  /** A dependency is not COMPLETED yet: stays NOT_STARTED, waiting. */
  waitForDependencies: number[];
  /** Can never start (STOP after a failure, or CONTINUE and a dependency failed or was skipped): ends NOT_STARTED. */
  neverStart: number[];
}

/**
 * `waves` in the Map's topological order (`topologicalOrder`), so a dependency's fate is known
 * before its dependants are looked at and a skip propagates down a branch in one pass.
 *
 * Room is first fit in that order: a wave too big for the room left does not hold back a smaller
 * ready wave after it (the big one waits at most until running jobs end: every job has a deadline).
 */
export function admission(waves: readonly AdmissionWave[], scheduling: PlanScheduling, others: OtherJobs): Admission {
  const state = new Map(waves.map((w) => [w.index, w.state]));
  const anyFailed = waves.some((w) => w.state === 'FAILED');
  let jobs = others.jobs;
  let servers = others.servers;
  let admittedWaves = 0;
  for (const w of waves) {
    if (w.state === 'ADMITTED') {
      jobs++;
      servers += w.servers;
      admittedWaves++;
    }
  }
  const out: Admission = { admit: [], waitForCapacity: [], waitForDependencies: [], neverStart: [] };
  for (const wave of waves) {
    if (wave.state !== 'WAITING') continue;
    const deps = wave.dependsOn.map((d) => state.get(d));
    const doomed =
      scheduling.onWaveFailure === 'STOP' ? anyFailed : deps.some((s) => s === 'FAILED' || s === 'SKIPPED');
    if (doomed) {
      out.neverStart.push(wave.index);
      state.set(wave.index, 'SKIPPED');
      continue;
    }
    if (!deps.every((s) => s === 'COMPLETED')) {
      out.waitForDependencies.push(wave.index);
      continue;
    }
    const fits =
      jobs + 1 <= scheduling.maxConcurrentJobs &&
      servers + wave.servers <= scheduling.maxServersInAllJobs &&
      (scheduling.maxConcurrentWaves === undefined || admittedWaves + 1 <= scheduling.maxConcurrentWaves);
    if (!fits) {
      out.waitForCapacity.push(wave.index);
      continue;
    }
    out.admit.push(wave.index);
    state.set(wave.index, 'ADMITTED');
    jobs++;
    servers += wave.servers;
    admittedWaves++;
  }
  return out;
}
