// Mutation testing of the safety rules: `npm run test:mutation` (docs/reliability.md, "Mutation testing").
//
// Three groups, each run by its own `stryker run` (MUTATION_GROUP=core|rules|records), so that a mutant Stryker
// cannot attribute to a test (a "static" one: a schema or a constant evaluated at load time) reruns only
// its own group's tests, not the slower store tests on dynalite.
//
// To add a module: append its path to the `mutate` list of its group, below (one line). If its tests
// are not matched by that group's `tests` yet, add their path there too.
const ALL_RECORDS_TESTS = ['test/unit/shared/records/**/*.test.ts', 'test/unit/shared/plan-store.test.ts'];

const GROUPS = {
  // The verdict, job adoption, the tags that find a job again, the poll deadline and the drill cleanup's
  // selection: pure rules with fast tests. Run on every CI (`npm run test:mutation`).
  core: {
    mutate: [
      'functions/classify-wave/classify.ts',
      'functions/shared/poll-schedule.ts',
      'functions/start-wave/find-wave-job.ts',
      'functions/start-wave/tags.ts',
      'functions/shared/cleanup-selection.ts',
      'functions/shared/cleanup-outcome.ts',
    ],
    tests: [
      'test/unit/classify-wave/classify*.test.ts',
      'test/unit/start-wave/**/*.test.ts',
      'test/unit/shared/poll-schedule.test.ts',
      'test/unit/shared/cleanup-selection.test.ts',
      'test/unit/shared/cleanup-outcome*.test.ts',
    ],
    // 92.94 measured by the clean-clone CI run of 2026-11-30 (docs/reliability.md); a drop of two points fails the run.
    break: 91,
  },
  // Plan validation, tag selection and the history budget: every CI, after core (`npm run test:mutation`).
  // Many static mutants (schemas): CI leaves them out, `npm run test:mutation:full` tests them.
  rules: {
    mutate: [
      'functions/shared/plan-rules.ts',
      'functions/shared/tag-selection.ts',
      'functions/shared/history-budget.ts',
    ],
    tests: [
      'test/unit/shared/history-budget.test.ts',
      'test/unit/shared/plan-rules*.test.ts',
      'test/unit/shared/tag-selection.test.ts',
    ],
    // 88.24 measured by the clean-clone CI run of 2026-11-30 (after issue 12's budget) without static mutants (docs/reliability.md).
    break: 87,
  },
  // The dependency checks (issue 12): the graph (dependencies, topological order, cycles named) and admission
  // (no wave before its dependencies, room under the quotas, STOP/CONTINUE). Pure, fast tests: every CI.
  deps: {
    mutate: ['functions/shared/wave-graph.ts', 'functions/shared/wave-admission.ts'],
    tests: ['test/unit/shared/wave-graph.test.ts', 'test/unit/shared/wave-admission.test.ts'],
    // 96.53 measured on 2026-11-30 (docs/reliability.md; every survivor left is equivalent): 2.5 minutes.
    break: 95,
  },
  // The records' conditional writes (the invariants), tested through the store on dynalite: on demand only,
  // one module at a time (`npm run test:mutation:records`, which sets MUTATION_ONLY to each module in turn).
  // Each module names the test files that exercise it: a mutant reruns only those, and each starts its own
  // dynalite (about 7 s a mutant on two cores). Only the modules Stryker has scored (docs/reliability.md).
  records: {
    modules: {
      // Scored before the per-module test lists, against all the records' tests: kept so until re-measured.
      'approval-decision': { tests: ALL_RECORDS_TESTS, break: 50 },
      'cleanup-records': { tests: ALL_RECORDS_TESTS, break: 87 },
      // One job per wave, no wave before its dependencies, room under the quotas, STOP.
      'wave-claims': {
        tests: [
          'test/unit/shared/records/wave-claims.test.ts',
          'test/unit/shared/records/waiting-for-capacity.test.ts',
          'test/unit/shared/records/wave-claims-property.test.ts',
        ],
        // 97.58 measured on 2026-12-01 (19.6 minutes on the shared machine at a load of 10 to 14; 86.60 on 2026-11-30
        // before the tests that killed its survivors, 26 minutes). The property runs 6 scenarios here, not 25
        // (test/support/mutation-setup.ts): every invariant mutant is also killed by a test of wave-claims.test.ts
        // or waiting-for-capacity.test.ts. Left out: wave-records.test.ts (the same claims through the store, its
        // mutants all killed without it) and the tests that only claim a wave to set a scene.
        break: 95,
      },
      // The refusal named (WaveNotStartable or WaveWaitingForCapacity, in words): the tests that check its text.
      'claim-refusal': {
        tests: ['test/unit/shared/records/claim-refusal.test.ts'],
        // 98.81 measured on 2026-12-01 (0.5 minute at a load of 8; 83.33 before claim-refusal.test.ts, 17.8 minutes
        // on dynalite): the pure test alone kills all 83 mutants the store tests reached, and more. The one left, no
        // coverage, is the fallback text after `??` that whyNotStartable never leaves undefined. Left out: the store
        // tests (wave-claims, wave-records, learned-limits, wave-actions) and the property: they name the class only.
        break: 96,
      },
      // A wave's steps on its two items (claim, launch mark, job, verdict, release, end without a launch).
      'wave-claim-steps': {
        tests: [
          'test/unit/shared/records/wave-claim-steps.test.ts',
          'test/unit/shared/records/wave-claims.test.ts',
          'test/unit/shared/records/wave-records.test.ts',
          'test/unit/shared/records/waiting-for-capacity.test.ts',
          'test/unit/shared/records/learned-limits.test.ts',
        ],
        // 99.19 measured on 2026-12-01 (7.0 minutes at --concurrency 2, load 5 to 10; 74.19 before
        // wave-claim-steps.test.ts, 8.1 minutes). Its one survivor is killed since by that file, not re-measured.
        // learned-limits.test.ts stays: it alone reaches learnDrsJobsLimit and the claim's learned bound. Left out:
        // wave-item-conditions.test.ts (the wave item's own conditions, in wave-records.ts) and the tests that only
        // claim a wave to set a scene.
        break: 97,
      },
      // The learned drsJobsLimit: one conditional write, only lowered, and the claim's guard on it.
      'learned-limits': {
        tests: ['test/unit/shared/records/learned-limits.test.ts', 'test/unit/start-wave/quota-refusal.test.ts'],
        // 96.77 measured on 2026-12-01 (3.3 minutes at a load of 16; the one survivor, `>=` → `>`, is equivalent).
        // Left out: the admission and claim tests that only meet the limit through the store (wave-claims, the property).
        break: 94,
      },
      // One live execution per plan.
      'plan-lock': {
        tests: [
          'test/unit/shared/records/plan-lock.test.ts',
          'test/unit/shared/records/plan-lock-races.test.ts',
          'test/unit/shared/records/execution-records.test.ts',
        ],
        // 98.72 measured on 2026-11-30 (4.4 minutes; the one survivor is message text).
        break: 97,
      },
      // One live execution per server. server-locks: 73.49 measured on 2026-11-30 with the test of a lock left
      // behind (1.2 minutes; the survivors left are the BatchGetItem retry's pacing, docs/reliability.md).
      'server-locks': { tests: ['test/unit/shared/records/server-locks.test.ts'], break: 71 },
      // server-claim: the claim itself (who holds a lock, which of two contenders runs, a lock of an ended
      // holder, the conditions' faults). The other tests that call claimServers (the preflight's,
      // execution-events') only use it to set a scene: left out, to keep the run to a few minutes.
      'server-claim': {
        tests: ['test/unit/shared/records/server-claim.test.ts', 'test/unit/shared/records/server-locks.test.ts'],
        // 96.53 measured on 2026-11-30 (4 minutes; the survivors left are equivalent, docs/reliability.md).
        break: 94,
      },
    },
    // 69.18 combined measured on 2026-11-30 (approval-decision 51.25 before its new tests, cleanup-records 88.97).
    break: 68,
  },
};

const name = process.env.MUTATION_GROUP ?? 'core';
const chosen = GROUPS[name];
if (!chosen) throw new Error(`MUTATION_GROUP must be one of ${Object.keys(GROUPS).join(', ')}; got '${name}'`);
const group = chosen.modules ? modulesOf(chosen, process.env.MUTATION_ONLY) : chosen;
const report = process.env.MUTATION_ONLY ? `${name}/${process.env.MUTATION_ONLY}` : name;

/**
 * A group listed module by module (`records`): MUTATION_ONLY=<module> mutates that module of
 * `functions/shared/records/` against its own tests and breaks at its own score; without it, every
 * module against all their tests.
 */
function modulesOf(g, only) {
  const path = (module) => `functions/shared/records/${module}.ts`;
  if (only === undefined) {
    const names = Object.keys(g.modules);
    return { mutate: names.map(path), tests: [...new Set(names.flatMap((m) => g.modules[m].tests))], break: g.break };
  }
  const m = g.modules[only];
  if (!m) throw new Error(`MUTATION_ONLY must be one of ${Object.keys(g.modules).join(', ')}; got '${only}'`);
  return { mutate: [path(only)], tests: m.tests, break: m.break };
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: group.mutate,
  testRunner: 'jest',
  jest: {
    // jest.config.js (read from the sandbox), with only this group's tests.
    projectType: 'custom',
    config: {
      testMatch: group.tests.map((path) => `<rootDir>/${path}`),
      setupFiles: ['<rootDir>/test/setup-env.ts', '<rootDir>/test/support/mutation-setup.ts'],
    },
    enableFindRelatedTests: false,
  },
  // Each mutant runs only the tests that reached it in the first run.
  coverageAnalysis: 'perTest',
  // A static mutant (a constant evaluated once, at module load) can only be tested by rerunning every
  // test of its group, one run per mutant: that alone is most of the run time. CI leaves them out
  // (reported as Ignored); `npm run test:mutation:full` (MUTATION_STATIC=run) tests them too.
  ignoreStatic: process.env.MUTATION_STATIC !== 'run',
  // The sandbox is a copy of the repository: leave out build output and other tools' state.
  ignorePatterns: ['.stryker-tmp', 'cdk.out', 'coverage', 'dist', '.drill', '.bench', 'reports', 'bench/results.json'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  concurrency: 2,
  // A mutant that loops (a retry that never ends) is stopped this long past the tests' own time.
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  clearTextReporter: { allowColor: false, logTests: false },
  htmlReporter: { fileName: `reports/mutation/${report}/index.html` },
  jsonReporter: { fileName: `reports/mutation/${report}/mutation.json` },
  thresholds: { high: 95, low: 85, break: group.break },
};
