import fc from 'fast-check';
import { InvalidPlan } from '../../../functions/shared/errors';
import { validateExecutionInput, validatePlan } from '../../../functions/shared/plan-rules';
import {
  dependenciesOf,
  dependencyNamesOf,
  findCycle,
  schedulingOf,
  topologicalOrder,
  waveGraphProblems,
} from '../../../functions/shared/wave-graph';

const id = (n: number) => `s-${String(n).padStart(17, '0')}`;
const wave = (name: string, n: number, over: Record<string, unknown> = {}) => ({
  name,
  sourceServerIDs: [id(n)],
  ...over,
});
const plan = (waves: unknown[], over: Record<string, unknown> = {}) => ({
  planId: 'estate',
  pollIntervalSeconds: 30,
  waves,
  ...over,
});

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPlan);
    return (error as InvalidPlan).problems;
  }
  throw new Error('expected InvalidPlan');
}

describe('dependenciesOf', () => {
  it('reads an absent dependsOn as the previous wave, so a plan without it stays a chain', () => {
    expect(dependenciesOf([{ name: 'A' }, { name: 'B' }, { name: 'C' }])).toEqual([[], [0], [1]]);
  });

  it('reads [] as no dependency and names as their waves', () => {
    const waves = [{ name: 'DB' }, { name: 'Other', dependsOn: [] }, { name: 'Web', dependsOn: ['DB', 'Other'] }];
    expect(dependenciesOf(waves)).toEqual([[], [], [0, 1]]);
  });

  it('leaves out a name that matches no wave (the plan rules refuse it) and a name listed twice', () => {
    const waves = [
      { name: 'DB', dependsOn: [] },
      { name: 'Web', dependsOn: ['Databases', 'DB', 'DB'] },
    ];
    expect(dependenciesOf(waves)).toEqual([[], [0]]);
  });

  it('names each wave’s dependencies as dependenciesOf resolves them (what the result shows)', () => {
    const waves = [{ name: 'DB' }, { name: 'Other', dependsOn: [] }, { name: 'Web', dependsOn: ['Other', 'DB'] }];
    expect(dependencyNamesOf(waves)).toEqual([[], [], ['Other', 'DB']]);
  });
});

describe('topologicalOrder', () => {
  it('keeps plan order for a chain', () => {
    expect(topologicalOrder([[], [0], [1], [2]])).toEqual([0, 1, 2, 3]);
  });

  it('puts every wave after the waves it depends on, ties in plan order', () => {
    // Web (0) needs App (2), App needs DB (1).
    expect(topologicalOrder([[2], [], [1], []])).toEqual([1, 2, 0, 3]);
  });

  it('refuses a cycle', () => {
    expect(() => topologicalOrder([[1], [0]])).toThrow(/cycle/);
  });
});

describe('the plan rules on dependencies', () => {
  it('accepts dependsOn and the scheduling fields, with the DRS quotas as defaults', () => {
    const valid = validatePlan(
      plan(
        [wave('DB', 1, { dependsOn: [] }), wave('App', 2, { dependsOn: ['DB'] }), wave('Other', 3, { dependsOn: [] })],
        {
          onWaveFailure: 'CONTINUE',
          maxConcurrentWaves: 5,
        },
      ),
    );
    expect(valid.waves.map((w) => w.dependsOn)).toEqual([[], ['DB'], []]);
    expect(schedulingOf(valid)).toEqual({
      onWaveFailure: 'CONTINUE',
      maxConcurrentWaves: 5,
      maxConcurrentJobs: 20,
      maxServersInAllJobs: 500,
    });
    expect(schedulingOf(validatePlan(plan([wave('A', 1)])))).toEqual({
      onWaveFailure: 'STOP',
      maxConcurrentJobs: 20,
      maxServersInAllJobs: 500,
    });
  });

  it('leaves maxConcurrentWaves out when the plan sets none (the record never holds an undefined field)', () => {
    const scheduling = schedulingOf({});
    expect(scheduling).toStrictEqual({ onWaveFailure: 'STOP', maxConcurrentJobs: 20, maxServersInAllJobs: 500 });
    expect('maxConcurrentWaves' in scheduling).toBe(false);
  });

  it('names a dependency that is not a wave name and a maxConcurrent* that is not whole', () => {
    const problems = problemsOf(() =>
      validatePlan(plan([wave('A', 1, { dependsOn: [3] })], { maxConcurrentWaves: 2.5 })),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'waves[0].dependsOn[0]: must be a wave name (got 3)',
        'maxConcurrentWaves: maxConcurrentWaves must be a whole number (got 2.5)',
      ]),
    );
    // The schema names the number; the graph rule does not name it a second time as an unknown wave.
    expect(problems.filter((p) => p.includes('dependsOn'))).toHaveLength(1);
  });

  it('names an unknown wave, a self-reference and a name listed twice, all at once', () => {
    const problems = problemsOf(() =>
      validatePlan(
        plan([wave('DB', 1, { dependsOn: ['DB'] }), wave('App', 2, { dependsOn: ['Databases', 'DB', 'DB'] })]),
      ),
    );
    expect(problems).toEqual([
      "waves[0].dependsOn: wave 'DB' depends on itself: remove it from its own dependsOn",
      `waves[1].dependsOn: "Databases" is not the name of a wave of the plan (waves: 'DB', 'App')`,
      'waves[1].dependsOn: "DB" is listed twice',
    ]);
  });

  it('names the cycle, in the order its waves would have to start', () => {
    const problems = problemsOf(() =>
      validatePlan(
        plan([
          wave('DB', 1, { dependsOn: [] }),
          wave('Web', 2, { dependsOn: ['App'] }),
          wave('App', 3, { dependsOn: ['DB', 'Web'] }),
        ]),
      ),
    );
    expect(problems).toContain(
      "plan: the waves depend on each other in a cycle, 'Web' → 'App' → 'Web': no wave of it could ever start; remove one of these dependencies",
    );
  });

  it('names a cycle of the execution input under plan.', () => {
    const problems = problemsOf(() =>
      validateExecutionInput({
        plan: plan([wave('A', 1, { dependsOn: ['C'] }), wave('B', 2), wave('C', 3)]),
        executionType: 'DRILL',
      }),
    );
    expect(problems).toContain(
      "plan: the waves depend on each other in a cycle, 'A' → 'B' → 'C' → 'A': no wave of it could ever start; remove one of these dependencies",
    );
  });

  it('accepts a dependency on a wave listed later (the workflow runs the waves in topological order)', () => {
    expect(() =>
      validatePlan(plan([wave('Web', 1, { dependsOn: ['App'] }), wave('App', 2, { dependsOn: [] })])),
    ).not.toThrow();
  });

  it('refuses scheduling fields out of range or of the wrong kind', () => {
    const problems = problemsOf(() =>
      validatePlan(
        plan([wave('A', 1, { dependsOn: 'B' })], {
          onWaveFailure: 'RETRY',
          maxConcurrentWaves: 41,
          maxConcurrentJobs: 0,
          maxServersInAllJobs: 99,
        }),
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'waves[0].dependsOn: must be a list of wave names ([] for none) (got "B")',
        'onWaveFailure: must be "STOP" or "CONTINUE" (got "RETRY")',
        'maxConcurrentWaves: maxConcurrentWaves must be between 1 and 40 (got 41)',
        'maxConcurrentJobs: maxConcurrentJobs must be between 1 and 1000 (got 0)',
        'maxServersInAllJobs: maxServersInAllJobs must be between 100 and 100000 (got 99)',
      ]),
    );
  });
});

describe('findCycle', () => {
  it('finds none in a graph without one', () => {
    expect(findCycle([[], [0], [0, 1]])).toBeUndefined();
    // A wave explored from an earlier one is not left "on the path" (a wave needing it is no cycle).
    expect(findCycle([[1], [], [0]])).toBeUndefined();
  });

  it('names only the waves of the cycle, not the waves that lead to it, in the order they would start', () => {
    // 0 needs 1, 1 needs 2, 2 needs 1: the cycle is 1 and 2; 0 only waits for it.
    expect(findCycle([[1], [2], [1]])).toEqual([1, 2, 1]);
    // Found past a dependency explored without one: 0 needs 1 (done) and 2; 2 and 3 need each other.
    expect(findCycle([[1, 2], [], [3], [2]])).toEqual([2, 3, 2]);
  });

  it('explores each wave once: a plan of 100 waves each needing every earlier one is checked at once', () => {
    const dense = Array.from({ length: 100 }, (_, w) => Array.from({ length: w }, (_, d) => d));
    expect(findCycle(dense)).toBeUndefined();
  });

  it('finds a cycle exactly when there is one, and names a real one (property)', () => {
    const graph = fc
      .integer({ min: 1, max: 8 })
      .chain((n) => fc.array(fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }));
    fc.assert(
      fc.property(graph, (dependencies) => {
        const cycle = findCycle(dependencies);
        let sorts = true;
        try {
          topologicalOrder(dependencies);
        } catch {
          sorts = false;
        }
        expect(cycle === undefined).toBe(sorts);
        if (!cycle) return;
        expect(cycle[0]).toBe(cycle[cycle.length - 1]);
        // Distinct waves, each needing the one before it.
        expect(new Set(cycle.slice(1)).size).toBe(cycle.length - 1);
        for (let i = 1; i < cycle.length; i++) expect(dependencies[cycle[i] as number]).toContain(cycle[i - 1]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('waveGraphProblems (read defensively from the raw plan)', () => {
  it('finds nothing to say about a plan without a list of waves (the schema names that)', () => {
    expect(waveGraphProblems(null, '')).toEqual([]);
    expect(waveGraphProblems({ waves: 'DB' }, '')).toEqual([]);
  });

  it('labels a wave without a name by its position, and reads past a wave that is not an object', () => {
    expect(waveGraphProblems({ waves: [null, { dependsOn: [] }, { name: 'Web', dependsOn: ['DB'] }] }, '')).toEqual([
      `waves[2].dependsOn: "DB" is not the name of a wave of the plan (waves: '#1', '#2', 'Web')`,
    ]);
  });

  it('leaves a dependency that is not a string to the schema', () => {
    expect(waveGraphProblems({ waves: [{ name: 'A', dependsOn: [3, null] }] }, '')).toEqual([]);
  });

  it('looks for no cycle among duplicate wave names (refused on their own; which wave a name means is unknown)', () => {
    const waves = [
      { name: 'A', dependsOn: [] },
      { name: 'B', dependsOn: ['A'] },
      { name: 'A', dependsOn: ['B'] },
    ];
    expect(waveGraphProblems({ waves }, '')).toEqual([]);
  });
});

/**
 * A model of the workflow's scheduling, to check the deadlock-freedom argument of
 * `topologicalOrder`: the Map starts iterations in item order as slots free (`slots` of them); a
 * started iteration waits for its dependencies, then for room (`jobs` at once), then runs and ends
 * COMPLETED or FAILED. A wave one of whose dependencies ended without COMPLETED is woken and ends
 * NOT_STARTED. Every step is chosen by fast-check, so the run takes every order the engine might.
 * Returns false if it ever reaches a state where nothing can move while waves remain.
 */
function runsToTheEnd(
  dependencies: number[][],
  order: number[],
  slots: number,
  jobs: number,
  choose: (options: number) => number,
  fails: (wave: number) => boolean,
): boolean {
  type Phase = 'queued' | 'waiting' | 'running' | 'COMPLETED' | 'FAILED' | 'NOT_STARTED';
  const phase: Phase[] = dependencies.map(() => 'queued');
  const ended = (w: number) => ['COMPLETED', 'FAILED', 'NOT_STARTED'].includes(phase[w] as Phase);
  for (;;) {
    const held = phase.filter((p) => p === 'waiting' || p === 'running').length;
    const running = phase.filter((p) => p === 'running').length;
    const moves: (() => void)[] = [];
    const next = order.find((w) => phase[w] === 'queued');
    if (next !== undefined && held < slots) moves.push(() => (phase[next] = 'waiting'));
    phase.forEach((p, w) => {
      if (p === 'waiting') {
        const deps = dependencies[w] ?? [];
        if (deps.some((d) => ended(d) && phase[d] !== 'COMPLETED')) moves.push(() => (phase[w] = 'NOT_STARTED'));
        else if (deps.every((d) => phase[d] === 'COMPLETED') && running < jobs)
          moves.push(() => (phase[w] = 'running'));
      }
      if (p === 'running') moves.push(() => (phase[w] = fails(w) ? 'FAILED' : 'COMPLETED'));
    });
    if (moves.length === 0) return phase.every((_, w) => ended(w));
    moves[choose(moves.length) % moves.length]?.();
  }
}

/** Waves 0..n-1 in plan order, each depending on some others, acyclic by construction (a hidden rank). */
const acyclicPlan = fc
  .integer({ min: 1, max: 12 })
  .chain((n) =>
    fc.tuple(
      fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: n, maxLength: n },
      ),
      fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: n, maxLength: n }),
    ),
  )
  .map(([rank, picks]) => {
    const position = new Map(rank.map((w, r) => [w, r]));
    // A wave may depend only on waves of lower rank: no cycle, in any plan order.
    return picks.map((choices, w) => {
      const r = position.get(w) ?? 0;
      return r === 0 ? [] : [...new Set(choices.map((c) => rank[c % r] as number))];
    });
  });

describe('iterating in topological order never deadlocks the Map', () => {
  it('always runs every wave to an end, whatever the slots, the room, the failures and the order of events', () => {
    fc.assert(
      fc.property(
        acyclicPlan,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.infiniteStream(fc.nat()),
        fc.func(fc.boolean()),
        (dependencies, slots, jobs, choices, fails) => {
          const order = topologicalOrder(dependencies);
          return runsToTheEnd(dependencies, order, slots, jobs, () => choices.next().value, fails);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('would deadlock in plan order (what the topological order prevents)', () => {
    // Web is listed first and needs App: one slot, held by Web waiting for App, which never starts.
    const dependencies = [[1], []];
    expect(
      runsToTheEnd(
        dependencies,
        [0, 1],
        1,
        1,
        () => 0,
        () => false,
      ),
    ).toBe(false);
    expect(
      runsToTheEnd(
        dependencies,
        topologicalOrder(dependencies),
        1,
        1,
        () => 0,
        () => false,
      ),
    ).toBe(true);
  });
});
