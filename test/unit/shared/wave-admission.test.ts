import fc from 'fast-check';
import { type AdmissionWave, admission } from '../../../functions/shared/wave-admission';
import type { PlanScheduling } from '../../../functions/shared/wave-graph';

const quotas = (over: Partial<PlanScheduling> = {}): PlanScheduling => ({
  onWaveFailure: 'STOP',
  maxConcurrentJobs: 20,
  maxServersInAllJobs: 500,
  ...over,
});
const wave = (
  index: number,
  state: AdmissionWave['state'],
  dependsOn: number[] = [],
  servers = 100,
): AdmissionWave => ({
  index,
  state,
  dependsOn,
  servers,
});
const none = { jobs: 0, servers: 0 };

describe('admission', () => {
  it('admits every wave whose dependencies are COMPLETED while there is room, and keeps the others waiting', () => {
    const waves = [wave(0, 'COMPLETED'), wave(1, 'WAITING', [0]), wave(2, 'WAITING', [1]), wave(3, 'WAITING', [])];
    expect(admission(waves, quotas(), none)).toEqual({
      admit: [1, 3],
      waitForCapacity: [],
      waitForDependencies: [2],
      neverStart: [],
    });
  });

  it('counts the servers of running jobs, this execution’s and the account’s, against maxServersInAllJobs', () => {
    const waves = [wave(0, 'ADMITTED'), wave(1, 'WAITING'), wave(2, 'WAITING'), wave(3, 'WAITING', [], 50)];
    // 100 admitted + 300 elsewhere: room for 100 more, then 0; the 50-server wave finds none either.
    expect(admission(waves, quotas(), { jobs: 3, servers: 300 })).toMatchObject({
      admit: [1],
      waitForCapacity: [2, 3],
    });
  });

  it('lets a smaller ready wave past one too big for the room left', () => {
    const waves = [wave(0, 'WAITING', [], 100), wave(1, 'WAITING', [], 20)];
    expect(admission(waves, quotas(), { jobs: 0, servers: 420 })).toMatchObject({ admit: [1], waitForCapacity: [0] });
  });

  it('counts jobs against maxConcurrentJobs and waves against maxConcurrentWaves', () => {
    const waves = [wave(0, 'ADMITTED', [], 1), wave(1, 'WAITING', [], 1), wave(2, 'WAITING', [], 1)];
    expect(admission(waves, quotas({ maxConcurrentJobs: 3 }), { jobs: 1, servers: 1 })).toMatchObject({
      admit: [1],
      waitForCapacity: [2],
    });
    expect(admission(waves, quotas({ maxConcurrentWaves: 2 }), none)).toMatchObject({
      admit: [1],
      waitForCapacity: [2],
    });
  });

  it('STOP: once a wave failed, no waiting wave ever starts, related or not', () => {
    const waves = [wave(0, 'FAILED'), wave(1, 'ADMITTED'), wave(2, 'WAITING', []), wave(3, 'WAITING', [1])];
    expect(admission(waves, quotas(), none)).toEqual({
      admit: [],
      waitForCapacity: [],
      waitForDependencies: [],
      neverStart: [2, 3],
    });
  });

  it('CONTINUE: every wave depending on a failed wave, directly or not, never starts; the other branches go on', () => {
    const waves = [
      wave(0, 'FAILED'),
      wave(1, 'COMPLETED', []),
      wave(2, 'WAITING', [0]),
      wave(3, 'WAITING', [2]),
      wave(4, 'WAITING', [1]),
      wave(5, 'WAITING', [4]),
    ];
    expect(admission(waves, quotas({ onWaveFailure: 'CONTINUE' }), none)).toEqual({
      admit: [4],
      waitForCapacity: [],
      waitForDependencies: [5],
      neverStart: [2, 3],
    });
  });

  it('CONTINUE: a wave needing a failed wave never starts, even when its other dependencies COMPLETED', () => {
    const waves = [
      wave(0, 'COMPLETED'),
      wave(1, 'FAILED'),
      wave(2, 'WAITING', [0, 1]),
      wave(3, 'SKIPPED'),
      wave(4, 'WAITING', [0, 3]),
    ];
    expect(admission(waves, quotas({ onWaveFailure: 'CONTINUE' }), none)).toEqual({
      admit: [],
      waitForCapacity: [],
      waitForDependencies: [],
      neverStart: [2, 4],
    });
  });

  it('never admits past a quota nor before the dependencies, and places every waiting wave once', () => {
    const states = ['WAITING', 'ADMITTED', 'COMPLETED', 'FAILED', 'SKIPPED'] as const;
    const arbitraryWaves = fc
      .array(
        fc.record({
          state: fc.constantFrom(...states),
          servers: fc.integer({ min: 1, max: 100 }),
          deps: fc.array(fc.nat(), { maxLength: 3 }),
        }),
        {
          minLength: 1,
          maxLength: 30,
        },
      )
      // Dependencies point to earlier waves only: the list is in topological order, as the Map's is.
      .map((ws) =>
        ws.map((w, i) => wave(i, w.state, i === 0 ? [] : [...new Set(w.deps.map((d) => d % i))], w.servers)),
      );
    fc.assert(
      fc.property(
        arbitraryWaves,
        fc.record({
          onWaveFailure: fc.constantFrom('STOP' as const, 'CONTINUE' as const),
          maxConcurrentJobs: fc.integer({ min: 1, max: 20 }),
          maxServersInAllJobs: fc.integer({ min: 100, max: 500 }),
          maxConcurrentWaves: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
        }),
        fc.record({ jobs: fc.integer({ min: 0, max: 5 }), servers: fc.integer({ min: 0, max: 200 }) }),
        (waves, scheduling, others) => {
          const result = admission(waves, scheduling, others);
          const placed = [
            ...result.admit,
            ...result.waitForCapacity,
            ...result.waitForDependencies,
            ...result.neverStart,
          ];
          expect(placed.sort((a, b) => a - b)).toEqual(waves.filter((w) => w.state === 'WAITING').map((w) => w.index));
          const holding = waves.filter((w) => w.state === 'ADMITTED' || result.admit.includes(w.index));
          if (result.admit.length > 0) {
            expect(others.jobs + holding.length).toBeLessThanOrEqual(scheduling.maxConcurrentJobs);
            expect(others.servers + holding.reduce((n, w) => n + w.servers, 0)).toBeLessThanOrEqual(
              scheduling.maxServersInAllJobs,
            );
            if (scheduling.maxConcurrentWaves !== undefined)
              expect(holding.length).toBeLessThanOrEqual(scheduling.maxConcurrentWaves);
          }
          for (const i of result.admit) {
            for (const d of waves[i]?.dependsOn ?? []) expect(waves[d]?.state).toBe('COMPLETED');
            if (scheduling.onWaveFailure === 'STOP') expect(waves.some((w) => w.state === 'FAILED')).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
