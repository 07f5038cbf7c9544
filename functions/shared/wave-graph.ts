import { z } from 'zod';
import { DEFAULT_DRS_LIMITS } from './drs-limits';
import { shown } from './zod-problems';

/**
 * Waves as a dependency graph (issue 12): which waves a wave needs, what happens to the others
 * when one fails, and how many may run at once. The plan rules import these fields and problems
 * (`plan-rules.ts`); the workflow's Map iterates the waves in `topologicalOrder`, and admission
 * (`records/wave-admission.ts`) applies the dependencies and the quotas.
 */

export const ON_WAVE_FAILURE = ['STOP', 'CONTINUE'] as const;
export type OnWaveFailure = (typeof ON_WAVE_FAILURE)[number];

export const WAVE_GRAPH_LIMITS = {
  /**
   * An inline Map runs at most 40 iterations at once (MaxConcurrency 0 means "up to 40"): a higher
   * `maxConcurrentWaves` could not be honoured, and the admission rule would never see it used.
   */
  maxConcurrentWaves: { min: 1, max: 40 },
  /** DRS quotas can be raised per account; the ceilings only catch a typo. */
  maxConcurrentJobs: { min: 1, max: 1_000 },
  /**
   * At least one wave's worth (the per-job quota, 100): a wave admitted alone must always fit, or it
   * could wait for room forever (the deadlock-freedom argument in `topologicalOrder` needs it).
   */
  maxServersInAllJobs: { min: DEFAULT_DRS_LIMITS.maxServersPerJob, max: 100_000 },
} as const;

const wrongType = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `is missing: it must be ${expected}` : `must be ${expected} (got ${shown(issue.input)})`;

const wholeIn = (what: string, range: { min: number; max: number }) =>
  z
    .number({ error: wrongType('a number') })
    .int({ error: (issue) => `${what} must be a whole number (got ${shown(issue.input)})` })
    .min(range.min, {
      error: (issue) => `${what} must be between ${range.min} and ${range.max} (got ${shown(issue.input)})`,
    })
    .max(range.max, {
      error: (issue) => `${what} must be between ${range.min} and ${range.max} (got ${shown(issue.input)})`,
    });

/** A wave's own field: the names of the waves it needs COMPLETED before it starts. */
export const waveDependencyFields = {
  dependsOn: z
    .array(z.string({ error: (issue) => `must be a wave name (got ${shown(issue.input)})` }), {
      error: wrongType('a list of wave names ([] for none)'),
    })
    .optional(),
};

/** The plan's own fields: the failure policy, and how many waves, jobs and servers may run at once. */
export const planSchedulingFields = {
  onWaveFailure: z
    .enum(ON_WAVE_FAILURE, { error: (issue) => `must be "STOP" or "CONTINUE" (got ${shown(issue.input)})` })
    .optional(),
  maxConcurrentWaves: wholeIn('maxConcurrentWaves', WAVE_GRAPH_LIMITS.maxConcurrentWaves).optional(),
  maxConcurrentJobs: wholeIn('maxConcurrentJobs', WAVE_GRAPH_LIMITS.maxConcurrentJobs).optional(),
  maxServersInAllJobs: wholeIn('maxServersInAllJobs', WAVE_GRAPH_LIMITS.maxServersInAllJobs).optional(),
};

/** The scheduling a plan asks for, with every default filled in. */
export interface PlanScheduling {
  onWaveFailure: OnWaveFailure;
  /** Undefined: no limit of the plan's own (the quotas and the Map's 40 still hold). */
  maxConcurrentWaves?: number;
  maxConcurrentJobs: number;
  maxServersInAllJobs: number;
}

export function schedulingOf(plan: {
  onWaveFailure?: OnWaveFailure;
  maxConcurrentWaves?: number;
  maxConcurrentJobs?: number;
  maxServersInAllJobs?: number;
}): PlanScheduling {
  return {
    onWaveFailure: plan.onWaveFailure ?? 'STOP',
    ...(plan.maxConcurrentWaves === undefined ? {} : { maxConcurrentWaves: plan.maxConcurrentWaves }),
    maxConcurrentJobs: plan.maxConcurrentJobs ?? DEFAULT_DRS_LIMITS.maxConcurrentJobs,
    maxServersInAllJobs: plan.maxServersInAllJobs ?? DEFAULT_DRS_LIMITS.maxServersInAllJobs,
  };
}

/**
 * Each wave's dependencies as indices. Absent `dependsOn` means the previous wave in the list (so
 * every plan written before dependencies keeps its meaning: a chain); `[]` means none. Names that
 * match no wave are left out here (the plan rules refuse them).
 */
export function dependenciesOf(waves: readonly { name: string; dependsOn?: readonly string[] }[]): number[][] {
  const indexOf = new Map(waves.map((w, i) => [w.name, i]));
  return waves.map((wave, i) => {
    if (wave.dependsOn === undefined) return i === 0 ? [] : [i - 1];
    return [...new Set(wave.dependsOn.map((name) => indexOf.get(name)).filter((d): d is number => d !== undefined))];
  });
}

/** Each wave's dependencies as names, resolved as {@link dependenciesOf} does (what the result and the views show). */
export function dependencyNamesOf(waves: readonly { name: string; dependsOn?: readonly string[] }[]): string[][] {
  return dependenciesOf(waves).map((deps) => deps.map((d) => waves[d]?.name as string));
}

/**
 * The order the Map iterates the waves in: a topological order of the dependencies, computed once
 * when the execution starts, ties broken by plan order (a chain keeps plan order exactly).
 *
 * Why no deadlock, whatever the Map's concurrency (MaxConcurrency up to 40, `maxConcurrentWaves`):
 * the Map starts iterations in item order, each as a slot frees, so the iterations started at any
 * moment are a prefix of this order. Take the first unfinished iteration of that prefix. Every wave
 * it depends on comes earlier in the order, so it has finished (COMPLETED, or ended and then this
 * wave is woken to end NOT_STARTED): it is not waiting for a dependency. If it waits for room, the
 * room it waits for is held by running jobs, which end (each has a deadline); and a wave always fits
 * once nothing else runs (`maxServersInAllJobs` ≥ the per-job quota). So some started iteration
 * always makes progress, and slots free. Property-tested in `test/unit/shared/wave-graph.test.ts`.
 */
export function topologicalOrder(dependencies: readonly (readonly number[])[]): number[] {
  const remaining = dependencies.map((deps) => new Set(deps));
  const done = new Set<number>();
  const order: number[] = [];
  while (order.length < dependencies.length) {
    const next = remaining.findIndex((deps, i) => !done.has(i) && [...deps].every((d) => done.has(d)));
    if (next < 0) throw new Error('the waves depend on each other in a cycle: validate the plan first');
    done.add(next);
    order.push(next);
  }
  return order;
}

/** A cycle among the dependencies as wave indices, first wave repeated at the end; undefined when there is none. */
export function findCycle(dependencies: readonly (readonly number[])[]): number[] | undefined {
  const state = dependencies.map(() => 0); // 0 unseen, 1 on the path, 2 done
  const path: number[] = [];
  const visit = (w: number): number[] | undefined => {
    state[w] = 1;
    path.push(w);
    for (const d of dependencies[w] ?? []) {
      if (state[d] === 1) return [...path.slice(path.indexOf(d)), d];
      if (state[d] === 0) {
        const found = visit(d);
        if (found) return found;
      }
    }
    path.pop();
    state[w] = 2;
    return undefined;
  };
  for (let w = 0; w < dependencies.length; w++) {
    if (state[w] === 0) {
      const found = visit(w);
      // Found following "needs" edges: reversed, it reads in the order the waves would have to start.
      if (found) return found.reverse();
    }
  }
  return undefined;
}

/**
 * The graph's problems, read defensively from the raw plan (as the other cross-wave rules are):
 * a name that matches no wave, a wave that names itself or another twice, a cycle (named, e.g.
 * "'Web' → 'App' → 'Web'"). No wave can outgrow `maxServersInAllJobs`: its minimum is the per-job quota.
 */
export function waveGraphProblems(rawPlan: unknown, prefix: string): string[] {
  const waves = (rawPlan as { waves?: unknown } | null)?.waves;
  if (!Array.isArray(waves)) return [];
  const named = waves.map((w, i) => {
    const name = (w as { name?: unknown } | null)?.name;
    return typeof name === 'string' ? name : `#${i + 1}`;
  });
  const known = new Set(named);
  const problems: string[] = [];
  const clean = waves.map((wave, w) => {
    const dependsOn = (wave as { dependsOn?: unknown } | null)?.dependsOn;
    if (!Array.isArray(dependsOn)) return { name: named[w] as string };
    const where = `${prefix}waves[${w}].dependsOn`;
    const seen = new Set<string>();
    for (const name of dependsOn) {
      if (typeof name !== 'string') continue;
      if (name === named[w])
        problems.push(`${where}: wave '${name}' depends on itself: remove it from its own dependsOn`);
      else if (!known.has(name))
        problems.push(
          `${where}: ${shown(name)} is not the name of a wave of the plan (waves: ${[...known].map((n) => `'${n}'`).join(', ')})`,
        );
      else if (seen.has(name)) problems.push(`${where}: ${shown(name)} is listed twice`);
      seen.add(name);
    }
    return {
      name: named[w] as string,
      dependsOn: dependsOn.filter((d): d is string => typeof d === 'string' && d !== named[w]),
    };
  });
  // Duplicate wave names are refused elsewhere; a cycle is only looked for among distinct names.
  if (known.size === waves.length) {
    const cycle = findCycle(dependenciesOf(clean));
    if (cycle) {
      problems.push(
        `${prefix.replace(/\.$/, '') || 'plan'}: the waves depend on each other in a cycle, ${cycle.map((i) => `'${named[i]}'`).join(' → ')}: no wave of it could ever start; remove one of these dependencies`,
      );
    }
  }
  return problems;
}
