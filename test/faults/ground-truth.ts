import type { Job } from '@aws-sdk/client-drs';
import { type ExecutionResult, isLive, type WaveResult } from '../../functions/shared/types';
import type { EngineEnding } from '../../local/engine';
import type { MatrixPlan } from './matrix-plans';
import { dependencyViolations, planQuotaViolations } from './schedule-invariants';

/**
 * The fault matrix's checks of the records against the DRS simulator's ground truth, pure (the
 * locks left behind are checked in `fault-matrix.ts`, with the store): one DRS job a wave at most,
 * none a wave did not start, a COMPLETED wave only with every server LAUNCHED, every wave started
 * after what it depends on, the plan's quotas and failure policy kept.
 */

type RunWave = Pick<
  WaveResult,
  'index' | 'name' | 'status' | 'jobId' | 'failedServers' | 'startedAt' | 'endedAt' | 'approval' | 'actions'
>;
/** What the checks read of a run (a `LocalRun` is one): the records' result and how the workflow ended. */
export interface RunTruth {
  result: Pick<ExecutionResult, 'executionId' | 'planId' | 'status' | 'error'> & { waves: RunWave[] };
  workflow: Pick<EngineEnding, 'status'>;
}

export const waveOfJob = (job: Job) => Number(job.tags?.['drs-orchestrator:wave'] ?? 0) - 1;

/** A wave whose StartRecovery DRS refused (DrsRejected) ended FAILED without a job: it never started in DRS. */
const refusedByDrs = (run: RunTruth, wave: RunWave) =>
  run.result.error === 'DrsRejected' && wave.status === 'FAILED' && wave.jobId === undefined;
/** A wave its failed pre-wave action ended FAILED before its StartRecovery: it never started in DRS. */
const failedBeforeStart = (wave: RunWave) =>
  wave.status === 'FAILED' &&
  wave.jobId === undefined &&
  (wave.actions ?? []).some((a) => a.phase === 'PRE' && a.status === 'FAILED');
/** A wave waiting for room (its dependencies done) or for its approval has no job yet. */
const notYetLaunched = (wave: RunWave) =>
  wave.status === 'NOT_STARTED' || wave.status === 'WAITING_FOR_CAPACITY' || wave.status === 'AWAITING_APPROVAL';
export const startedInDrs = (run: RunTruth, wave: RunWave) =>
  !notYetLaunched(wave) && !refusedByDrs(run, wave) && !failedBeforeStart(wave);

export function recordViolations(
  plans: MatrixPlan['plan'][],
  runs: RunTruth[],
  allJobs: readonly Job[],
  jobsCreated: number,
): string[] {
  const violations: string[] = [];
  const jobs = allJobs.filter((job) => job.type === 'LAUNCH');
  const wavesStarted = runs.flatMap((r) =>
    r.result.waves.filter((w) => startedInDrs(r, w)).map((w) => `${r.result.executionId}/${w.index}`),
  );

  if (jobsCreated !== wavesStarted.length) {
    violations.push(`${jobsCreated} DRS jobs created for ${wavesStarted.length} waves started`);
  }
  const perWave = new Map<string, number>();
  for (const job of jobs) {
    const key = `${job.tags?.['drs-orchestrator:execution-id']}/${waveOfJob(job)}`;
    perWave.set(key, (perWave.get(key) ?? 0) + 1);
  }
  for (const [key, n] of perWave) if (n > 1) violations.push(`wave ${key} has ${n} DRS jobs`);

  for (const run of runs) {
    const { result } = run;
    const plan = plans.find((p) => p.planId === result.planId);
    if (result.status === 'COMPLETED' && run.workflow.status !== 'SUCCEEDED')
      violations.push('COMPLETED but the workflow did not succeed');
    if (plan) {
      violations.push(...dependencyViolations(plan, result, jobs), ...planQuotaViolations(plan, result, jobs));
    }
    for (const wave of result.waves) {
      const job = jobs.find(
        (j) => j.tags?.['drs-orchestrator:execution-id'] === result.executionId && waveOfJob(j) === wave.index,
      );
      if (wave.jobId !== job?.jobID)
        violations.push(`wave ${wave.index + 1} records job ${wave.jobId}, DRS has ${job?.jobID}`);
      const truth = new Map((job?.participatingServers ?? []).map((s) => [s.sourceServerID, s.launchStatus]));
      if (wave.status === 'COMPLETED') {
        for (const id of plan?.waves[wave.index]?.sourceServerIDs ?? []) {
          if (truth.get(id) !== 'LAUNCHED')
            violations.push(`wave ${wave.index + 1} COMPLETED but DRS says ${id} is ${truth.get(id)}`);
        }
      }
      for (const id of wave.failedServers) {
        if (truth.get(id) === 'LAUNCHED')
          violations.push(`wave ${wave.index + 1} lists ${id} as failed but DRS says LAUNCHED`);
      }
      if (wave.status === 'LAUNCHING' || wave.status === 'WAITING_FOR_CAPACITY')
        violations.push(`wave ${wave.index + 1} still ${wave.status} after the execution ended`);
      // A gated wave launches only once approved, and its gate never stays open after the execution ended.
      const gated = plan?.waves[wave.index]?.approval;
      if (gated && job && wave.approval?.decision !== 'APPROVE')
        violations.push(`wave ${wave.index + 1} launched without an approval (${wave.approval?.decision ?? 'none'})`);
      if (wave.status === 'AWAITING_APPROVAL')
        violations.push(`wave ${wave.index + 1} still AWAITING_APPROVAL after the execution ended`);
    }
    if (isLive(result.status)) violations.push(`execution still ${result.status} after it ended`);
  }
  return violations;
}
