import { dependenciesOf, schedulingOf } from '../functions/shared/wave-graph';

/**
 * What no scheduler can beat for a plan (issue 12's `lowerBoundSeconds`), given each wave's launch
 * time, the dependencies and the quotas; the benchmark divides the measured RTO by it.
 *
 * - Critical path: a wave cannot start before every wave it depends on has finished, and takes its
 *   own launch time, so the longest chain of launch times along the dependencies is a bound.
 * - Capacity: at most `maxServersInAllJobs` servers are in running jobs at any moment, so the
 *   estate's server-seconds (each wave's servers × its launch time) take at least their sum over
 *   that quota; likewise the job-seconds (each wave is one job) over `maxConcurrentJobs`, and the
 *   wave-seconds over `maxConcurrentWaves` when the plan sets it.
 *
 * The bound is the larger of the two. It ignores what the orchestrator itself adds (polls, task
 * calls): that is what `rtoOverLowerBound` measures.
 */
export interface BoundWave {
  launchSeconds: number;
  servers: number;
  /** Indices of the waves it needs (`dependenciesOf`). */
  dependsOn: readonly number[];
}

export interface BoundQuotas {
  maxConcurrentJobs: number;
  maxServersInAllJobs: number;
  maxConcurrentWaves?: number;
}

export interface LowerBound {
  criticalPathSeconds: number;
  capacitySeconds: number;
  lowerBoundSeconds: number;
}

export function lowerBound(waves: readonly BoundWave[], quotas: BoundQuotas): LowerBound {
  const finish = new Map<number, number>();
  const finishOf = (w: number, seen: Set<number>): number => {
    const known = finish.get(w);
    if (known !== undefined) return known;
    if (seen.has(w)) throw new Error('the waves depend on each other in a cycle');
    seen.add(w);
    const wave = waves[w] as BoundWave;
    const start = Math.max(0, ...wave.dependsOn.map((d) => finishOf(d, seen)));
    seen.delete(w);
    finish.set(w, start + wave.launchSeconds);
    return start + wave.launchSeconds;
  };
  const criticalPathSeconds = Math.max(0, ...waves.map((_, w) => finishOf(w, new Set())));
  const serverSeconds = waves.reduce((sum, w) => sum + w.servers * w.launchSeconds, 0);
  const jobSeconds = waves.reduce((sum, w) => sum + w.launchSeconds, 0);
  const capacitySeconds = Math.max(
    serverSeconds / quotas.maxServersInAllJobs,
    jobSeconds / quotas.maxConcurrentJobs,
    quotas.maxConcurrentWaves === undefined ? 0 : jobSeconds / quotas.maxConcurrentWaves,
  );
  return { criticalPathSeconds, capacitySeconds, lowerBoundSeconds: Math.max(criticalPathSeconds, capacitySeconds) };
}

/**
 * A plan's bound, every wave taking `launchSeconds`: its dependencies as the workflow reads them
 * (`dependenciesOf`: absent means the previous wave, so a plan without any is a chain whose bound is
 * the sum of its launches) and its quotas with the defaults filled in (`schedulingOf`).
 */
export function planLowerBound(
  plan: {
    waves: readonly { name: string; sourceServerIDs: readonly string[]; dependsOn?: readonly string[] }[];
    onWaveFailure?: 'STOP' | 'CONTINUE';
    maxConcurrentWaves?: number;
    maxConcurrentJobs?: number;
    maxServersInAllJobs?: number;
  },
  launchSeconds: number,
): LowerBound {
  const dependencies = dependenciesOf(plan.waves);
  return lowerBound(
    plan.waves.map((wave, w) => ({
      launchSeconds,
      servers: wave.sourceServerIDs.length,
      dependsOn: dependencies[w] ?? [],
    })),
    schedulingOf(plan),
  );
}
