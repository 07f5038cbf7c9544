import fc from 'fast-check';
import { WaveNotStartable, WaveWaitingForCapacity } from '../../../../functions/shared/errors';
import type { ExecutionStore } from '../../../../functions/shared/execution-store';
import { dependenciesOf, schedulingOf } from '../../../../functions/shared/wave-graph';
import { graphPlan } from '../../../support/graph-plan';
import { launched, startStore } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:10:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');

type State = 'WAITING' | 'LAUNCHING' | 'COMPLETED' | 'FAILED' | 'TIMED_OUT';

/** A random DAG: each wave depends on a subset of the waves listed before it (absent: the default, the previous one). */
const graph = fc.integer({ min: 2, max: 6 }).chain((n) =>
  fc.tuple(
    ...Array.from({ length: n }, (_, i) =>
      fc.record({
        dependsOn: fc.option(
          fc.subarray(
            Array.from({ length: i }, (_, d) => d),
            { minLength: 0 },
          ),
          { nil: undefined },
        ),
        servers: fc.integer({ min: 1, max: 60 }),
      }),
    ),
  ),
);

const scheduling = fc.record({
  onWaveFailure: fc.constantFrom('STOP' as const, 'CONTINUE' as const),
  maxConcurrentWaves: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  maxConcurrentJobs: fc.integer({ min: 1, max: 4 }),
  maxServersInAllJobs: fc.integer({ min: 100, max: 150 }),
});

const others = fc.record({ jobs: fc.integer({ min: 0, max: 2 }), servers: fc.integer({ min: 0, max: 60 }) });

/** One step: claims racing each other in a random order, a job recorded, a verdict, a release, or the end. */
const op = (n: number) =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('claims' as const),
        waves: fc.shuffledSubarray(range(n), { minLength: 1 }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('job' as const), wave: fc.nat(n - 1), job: fc.nat(1) }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('verdict' as const),
        wave: fc.nat(n - 1),
        status: fc.constantFrom('COMPLETED' as const, 'COMPLETED' as const, 'FAILED' as const, 'TIMED_OUT' as const),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), wave: fc.nat(n - 1) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('end' as const) }) },
  );

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

describe('wave claims under random graphs and interleavings (property, on dynalite)', () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let store: ExecutionStore;
  let n = 0;

  beforeAll(async () => {
    local = await startStore();
    store = local.store;
  });
  afterAll(async () => local.stop());

  it('never claims a wave before its dependencies COMPLETED, never records two jobs for a wave, never exceeds a quota', async () => {
    const scenario = graph.chain((waves) =>
      fc.record({
        waves: fc.constant(waves),
        scheduling,
        others,
        ops: fc.array(op(waves.length), { minLength: 1, maxLength: 10 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ waves, scheduling: asked, others: busy, ops }) => {
        const plan = graphPlan(waves, asked);
        const limits = schedulingOf(plan);
        const deps = dependenciesOf(plan.waves);
        const size = waves.map((w) => w.servers);
        const executionId = `prop-${++n}`;
        await store.createExecution({ executionId, plan, executionType: 'DRILL', startedAt: T0 });

        // What the store has accepted so far: the test's own account of every success.
        const state: State[] = waves.map(() => 'WAITING');
        const jobOf: (string | undefined)[] = waves.map(() => undefined);
        let live = true;
        const failed = () => state.filter((s) => s === 'FAILED' || s === 'TIMED_OUT').length;
        const running = () => range(waves.length).filter((i) => state[i] === 'LAUNCHING');
        const startable = (i: number) =>
          live &&
          state[i] === 'WAITING' &&
          (deps[i] ?? []).every((d) => state[d] === 'COMPLETED') &&
          !(limits.onWaveFailure === 'STOP' && failed() > 0);
        const fits = (i: number) => {
          const jobs = running().length + 1;
          const servers = running().reduce((sum, r) => sum + (size[r] ?? 0), 0) + (size[i] ?? 0);
          return (
            jobs + busy.jobs <= limits.maxConcurrentJobs &&
            servers + busy.servers <= limits.maxServersInAllJobs &&
            (limits.maxConcurrentWaves === undefined || jobs <= limits.maxConcurrentWaves)
          );
        };

        for (const step of ops) {
          if (step.kind === 'claims') {
            const before = [...state];
            const expected =
              step.waves.length === 1 ? startable(step.waves[0] as number) && fits(step.waves[0] as number) : undefined;
            const expectedError =
              step.waves.length === 1 && !startable(step.waves[0] as number)
                ? WaveNotStartable
                : WaveWaitingForCapacity;
            const outcomes = await Promise.allSettled(
              step.waves.map((i) => store.claimWave(executionId, i, T0, DEADLINE, busy)),
            );
            outcomes.forEach((outcome, k) => {
              const i = step.waves[k] as number;
              if (outcome.status === 'fulfilled') {
                // The invariant: claimed only if every dependency had COMPLETED before the race began.
                expect(live).toBe(true);
                expect(before[i]).toBe('WAITING');
                for (const d of deps[i] ?? []) expect(before[d]).toBe('COMPLETED');
                state[i] = 'LAUNCHING';
              } else {
                expect([WaveNotStartable, WaveWaitingForCapacity].some((E) => outcome.reason instanceof E)).toBe(true);
              }
            });
            // Alone, a claim succeeds exactly when the rule says it may (the conditions are not stricter than the rule).
            if (expected !== undefined) {
              const only = outcomes[0];
              expect(only?.status).toBe(expected ? 'fulfilled' : 'rejected');
              if (only?.status === 'rejected') expect(only.reason).toBeInstanceOf(expectedError);
            }
          } else if (step.kind === 'job') {
            const jobId = `drsjob-${String(step.wave * 10 + step.job).padStart(17, '0')}`;
            const recorded = await store.recordJob(executionId, step.wave, jobId).then(
              () => true,
              () => false,
            );
            const may = state[step.wave] === 'LAUNCHING' && (jobOf[step.wave] ?? jobId) === jobId;
            expect(recorded).toBe(may);
            if (recorded) jobOf[step.wave] = jobId;
          } else if (step.kind === 'verdict') {
            if (state[step.wave] !== 'LAUNCHING') continue;
            const ids = plan.waves[step.wave]?.sourceServerIDs ?? [];
            if (step.status === 'COMPLETED') {
              await store.completeWave(executionId, step.wave, launched(...ids), T1, T0);
            } else {
              await store.endWave(executionId, step.wave, { status: step.status, failedServers: ids, reason: 'x' }, T1);
            }
            state[step.wave] = step.status;
          } else if (step.kind === 'release') {
            if (state[step.wave] !== 'LAUNCHING') continue;
            const released = await store.releaseClaim(executionId, step.wave).then(
              () => true,
              () => false,
            );
            expect(released).toBe(jobOf[step.wave] === undefined);
            if (released) state[step.wave] = 'WAITING';
          } else {
            await store.failExecution({
              executionId,
              status: 'CANCELLED',
              error: 'ExecutionCancelled',
              cause: 'x',
              endedAt: T1,
            });
            if (live) for (const i of running()) state[i] = 'FAILED';
            live = false;
          }

          // After every step, the execution item agrees with the account, and no quota is exceeded.
          const record = await store.getExecution(executionId);
          const holding = running();
          const servers = holding.reduce((sum, r) => sum + (size[r] ?? 0), 0);
          expect(record?.runningWaves).toBe(holding.length);
          expect(record?.runningServers).toBe(servers);
          expect(holding.length + busy.jobs).toBeLessThanOrEqual(Math.max(limits.maxConcurrentJobs, busy.jobs));
          expect(servers + busy.servers).toBeLessThanOrEqual(limits.maxServersInAllJobs);
          if (limits.maxConcurrentWaves !== undefined)
            expect(holding.length).toBeLessThanOrEqual(limits.maxConcurrentWaves);
          for (const i of range(waves.length)) {
            const claim = record?.waves?.[String(i)];
            expect(claim?.status ?? 'WAITING').toBe(state[i]);
            expect(claim?.jobId).toBe(jobOf[i]);
          }
        }
      }),
      // 25 scenarios in the ordinary run; fewer under mutation testing (test/support/mutation-setup.ts), where
      // this property reruns for every mutant of the claims: a parameter given here overrides fast-check's
      // global configuration, so the count is read from the environment that setup file sets.
      { numRuns: Number(process.env.STORE_PROPERTY_RUNS ?? 25) },
    );
  });
});
