import type { Job } from '@aws-sdk/client-drs';
import { DEFAULT_DRS_LIMITS } from '../../functions/shared/drs-limits';
import type { ExecutionResult, WaveResult } from '../../functions/shared/types';
import { dependenciesOf, type OnWaveFailure } from '../../functions/shared/wave-graph';

/**
 * What a plan with parallel branches must keep, checked from ground truth alone: the DRS
 * simulator's jobs (their creation and end times, their members, their tags) and the execution's
 * records (each wave's status and when it was claimed and ended). Pure, so a doctored timeline can
 * show each check failing (`schedule-invariants.test.ts`).
 */

/** The scheduling part of a plan, as the matrix gives it. */
export interface SchedulingPlan {
  onWaveFailure?: OnWaveFailure;
  maxConcurrentWaves?: number;
  maxConcurrentJobs?: number;
  maxServersInAllJobs?: number;
  waves: { name: string; dependsOn?: string[] }[];
}

export type RecordedRun = Pick<ExecutionResult, 'executionId' | 'status'> & {
  waves: Pick<WaveResult, 'index' | 'name' | 'status' | 'startedAt' | 'endedAt'>[];
};

export interface Quotas {
  maxConcurrentJobs: number;
  maxServersInAllJobs: number;
}

const ms = (iso: string | Date | undefined) => (iso === undefined ? Number.NaN : new Date(iso).getTime());
const jobStart = (job: Job) => ms(job.creationDateTime);
/** A job DRS never completed runs on past the end of the run. */
const jobEnd = (job: Job) => (job.endDateTime === undefined ? Number.POSITIVE_INFINITY : ms(job.endDateTime));
const waveOf = (job: Job) => Number(job.tags?.['drs-orchestrator:wave'] ?? 0) - 1;
const at = (t: number) => new Date(t).toISOString();

/** The execution's own LAUNCH jobs, by wave index. */
export function jobsOfRun(jobs: readonly Job[], executionId: string): Map<number, Job[]> {
  const byWave = new Map<number, Job[]>();
  for (const job of jobs) {
    if (job.type !== 'LAUNCH' || job.tags?.['drs-orchestrator:execution-id'] !== executionId) continue;
    byWave.set(waveOf(job), [...(byWave.get(waveOf(job)) ?? []), job]);
  }
  return byWave;
}

/** A wave that reached a verdict other than COMPLETED (a wave that never started is not a failure). */
const failed = (wave: RecordedRun['waves'][number]) => wave.status === 'FAILED' || wave.status === 'TIMED_OUT';

/**
 * No wave starts (is claimed, or has a DRS job created) before every wave it depends on was
 * recorded COMPLETED; under STOP, nothing starts after a wave was recorded failed; nor does a wave
 * stay NOT_STARTED when it could have started (its dependencies COMPLETED, and under STOP no
 * failure), unless the execution was cancelled or never ran at all.
 */
export function dependencyViolations(plan: SchedulingPlan, run: RecordedRun, jobs: readonly Job[]): string[] {
  const violations: string[] = [];
  const deps = dependenciesOf(plan.waves);
  const jobsByWave = jobsOfRun(jobs, run.executionId);
  const name = (i: number) => `'${plan.waves[i]?.name ?? i + 1}'`;
  const recorded = (i: number) => run.waves.find((w) => w.index === i);

  for (const wave of run.waves) {
    const starts: [what: string, t: number][] = [
      ...(wave.startedAt ? [['claimed', ms(wave.startedAt)] as [string, number]] : []),
      ...(jobsByWave.get(wave.index) ?? []).map(
        (job) => [`job ${job.jobID} created`, jobStart(job)] as [string, number],
      ),
    ];
    for (const [what, t] of starts) {
      for (const d of deps[wave.index] ?? []) {
        const dep = recorded(d);
        const endedAt = ms(dep?.endedAt);
        if (dep?.status !== 'COMPLETED' || !(endedAt <= t))
          violations.push(
            `wave ${name(wave.index)} ${what} at ${at(t)} but its dependency ${name(d)} is ${dep?.status}${dep?.endedAt ? ` (recorded ${dep.endedAt})` : ''}`,
          );
      }
    }
  }

  const failures = run.waves.filter(failed).map((w) => ms(w.endedAt));
  const firstFailure = Math.min(...failures);
  if ((plan.onWaveFailure ?? 'STOP') === 'STOP' && failures.length > 0) {
    // A wave claimed before the failure may still create its job after it (its StartRecovery
    // retried): it was already launching. What STOP forbids is a wave started after the failure.
    for (const wave of run.waves) {
      const waveJobs = jobsByWave.get(wave.index) ?? [];
      const startedAt = wave.startedAt ? ms(wave.startedAt) : Math.min(...waveJobs.map(jobStart));
      if (Number.isFinite(startedAt) && startedAt > firstFailure)
        violations.push(
          `STOP: wave ${name(wave.index)} started at ${at(startedAt)} after a wave failed at ${at(firstFailure)}`,
        );
    }
  }

  const ran = run.waves.some((w) => w.status !== 'NOT_STARTED');
  const mayRest =
    run.status === 'CANCELLED' || !ran || ((plan.onWaveFailure ?? 'STOP') === 'STOP' && failures.length > 0);
  if (!mayRest) {
    for (const wave of run.waves.filter((w) => w.status === 'NOT_STARTED')) {
      if ((deps[wave.index] ?? []).every((d) => recorded(d)?.status === 'COMPLETED'))
        violations.push(`wave ${name(wave.index)} never started although every wave it depends on COMPLETED`);
    }
  }
  return violations;
}

/** The most jobs and servers running at any instant of `jobs`' timeline, and when; each over `quotas` is named. */
function timelineViolations(jobs: readonly Job[], quotas: Quotas, whose: string): string[] {
  const violations: string[] = [];
  const instants = [...new Set(jobs.map(jobStart))].sort((a, b) => a - b);
  for (const t of instants) {
    const running = jobs.filter((job) => jobStart(job) <= t && t < jobEnd(job));
    const servers = running.reduce((n, job) => n + (job.participatingServers?.length ?? 0), 0);
    if (running.length > quotas.maxConcurrentJobs)
      violations.push(
        `${running.length} jobs running at ${at(t)} (${running.map((j) => j.jobID).join(', ')}), over ${whose} ${quotas.maxConcurrentJobs}`,
      );
    if (servers > quotas.maxServersInAllJobs)
      violations.push(`${servers} servers in running jobs at ${at(t)}, over ${whose} ${quotas.maxServersInAllJobs}`);
  }
  return violations;
}

/**
 * The plan's quotas over the execution's own jobs (DRS's timeline: a job runs from its creation to
 * its end, whatever the records say), and `maxConcurrentWaves` over the waves' recorded claims.
 */
export function planQuotaViolations(plan: SchedulingPlan, run: RecordedRun, jobs: readonly Job[]): string[] {
  const own = [...jobsOfRun(jobs, run.executionId).values()].flat();
  const violations = timelineViolations(
    own,
    {
      maxConcurrentJobs: plan.maxConcurrentJobs ?? DEFAULT_DRS_LIMITS.maxConcurrentJobs,
      maxServersInAllJobs: plan.maxServersInAllJobs ?? DEFAULT_DRS_LIMITS.maxServersInAllJobs,
    },
    'the plan',
  );
  const limit = plan.maxConcurrentWaves;
  if (limit !== undefined) {
    const claimed = run.waves.filter((w) => w.startedAt !== undefined);
    for (const t of [...new Set(claimed.map((w) => ms(w.startedAt)))].sort((a, b) => a - b)) {
      const running = claimed.filter((w) => ms(w.startedAt) <= t && t < (w.endedAt ? ms(w.endedAt) : Infinity));
      if (running.length > limit)
        violations.push(`${running.length} waves running at ${at(t)}, over the plan's maxConcurrentWaves ${limit}`);
    }
  }
  return violations;
}

/** DRS's own quotas over every job of the account (TERMINATE jobs and other executions' included). */
export function drsQuotaViolations(jobs: readonly Job[], quotas: Quotas): string[] {
  return timelineViolations(jobs, quotas, "DRS's quota");
}
