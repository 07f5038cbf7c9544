import fc from 'fast-check';
import {
  ADMISSION_WAITS,
  admissionFallbacks,
  type FallbackWave,
  fallbackWaveOf,
  holdSeconds,
  MIN_ADMISSION_FALLBACK_SECONDS,
  roomMayBeShort,
} from '../../../functions/shared/admission-fallback';
import { type PlanScheduling, schedulingOf } from '../../../functions/shared/wave-graph';

const DEFAULTS = schedulingOf({});
const wave = (timeoutMinutes: number, extra: Partial<FallbackWave> = {}): FallbackWave => ({
  timeoutMinutes,
  servers: 1,
  ...extra,
});
const chain = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? [] : [i - 1]));

describe('holdSeconds', () => {
  it("is how long a wave can hold room: its gate, its actions' timeouts and its launch timeout", () => {
    expect(holdSeconds(wave(180))).toBe(10_800);
    expect(holdSeconds(wave(180, { approvalMinutes: 60, actionSeconds: [300, 900] }))).toBe(10_800 + 3600 + 1200);
  });
});

describe('roomMayBeShort', () => {
  const ten = Array.from({ length: 10 }, () => wave(60, { servers: 50 }));

  it("is false only when every wave fits at once: jobs, servers and the plan's own maxConcurrentWaves", () => {
    expect(roomMayBeShort(ten, DEFAULTS)).toBe(false);
    expect(roomMayBeShort([...ten, wave(60)], DEFAULTS)).toBe(true); // 501 servers
    expect(roomMayBeShort(ten, { ...DEFAULTS, maxConcurrentJobs: 9 })).toBe(true);
    expect(roomMayBeShort(ten, { ...DEFAULTS, maxConcurrentWaves: 9 })).toBe(true);
    expect(roomMayBeShort(ten, { ...DEFAULTS, maxConcurrentWaves: 10 })).toBe(false);
  });

  it('is false when the waves use every concurrent job, no more: 10 waves, 10 jobs', () => {
    expect(roomMayBeShort(ten, { ...DEFAULTS, maxConcurrentJobs: 10 })).toBe(false);
  });

  it('is true when a wave size is not known yet (a tag selection before the execution starts)', () => {
    expect(roomMayBeShort([wave(60), { timeoutMinutes: 60 }], DEFAULTS)).toBe(true);
  });
});

describe('admissionFallbacks', () => {
  it('splits the wait of each wave of a chain in four: the last of 30 three-hour waves asks again 4 times, not 348', () => {
    const fallbacks = admissionFallbacks({
      waves: Array.from({ length: 30 }, () => wave(180)),
      dependencies: chain(30),
      scheduling: DEFAULTS,
    });

    expect(fallbacks[0]).toEqual({ worstWaitSeconds: 0, fallbackSeconds: 900, reasks: 0 });
    expect(fallbacks[1]).toEqual({ worstWaitSeconds: 10_800, fallbackSeconds: 2700, reasks: 4 });
    // 87 hours: at the old fixed 900 s this wave asked again 348 times.
    expect(fallbacks[29]).toEqual({ worstWaitSeconds: 29 * 10_800, fallbackSeconds: (29 * 10_800) / 4, reasks: 4 });
  });

  it('never waits less than 900 s: a short worst case asks again fewer times', () => {
    const [, second] = admissionFallbacks({
      waves: [wave(20), wave(60)],
      dependencies: chain(2),
      scheduling: DEFAULTS,
    });
    expect(second).toEqual({ worstWaitSeconds: 1200, fallbackSeconds: 900, reasks: 2 });
  });

  it('with room for every wave, waits for the longest chain of its dependencies only', () => {
    // database (3 h, gated 1 h) → app (1 h) → web; a batch tier (10 h) the web also needs; an unrelated wave.
    const waves = [wave(180, { approvalMinutes: 60 }), wave(60), wave(30), wave(600), wave(30)];
    const fallbacks = admissionFallbacks({
      waves,
      dependencies: [[], [0], [1, 3], [], []],
      scheduling: DEFAULTS,
    });

    expect(fallbacks.map((f) => f.worstWaitSeconds)).toEqual([0, 4 * 3600, 10 * 3600, 0, 0]);
  });

  it('with room possibly short, waits for every other wave that is not its descendant, one after another', () => {
    const waves = [wave(180, { approvalMinutes: 60 }), wave(60), wave(30), wave(600), wave(30)];
    const fallbacks = admissionFallbacks({
      waves,
      dependencies: [[], [0], [1, 3], [], []],
      scheduling: { ...DEFAULTS, maxConcurrentWaves: 2 },
    });

    const hours = (minutes: number[]) => minutes.reduce((s, m) => s + m, 0) * 60;
    // The database's descendants (app, web) never run before it: it may wait for the batch and the unrelated wave.
    expect(fallbacks.map((f) => f.worstWaitSeconds)).toEqual([
      hours([600, 30]),
      hours([240, 600, 30]),
      hours([240, 60, 600, 30]),
      hours([240, 60, 30]),
      hours([240, 60, 30, 600]),
    ]);
  });

  it('finds the descendants a wave has through waves listed before it: a wave that needs one listed after it', () => {
    // waves[0] needs waves[2], which needs waves[1]: both are waves[1]'s descendants, so waves[1] waits for nothing.
    const fallbacks = admissionFallbacks({
      waves: [wave(60), wave(60), wave(60)],
      dependencies: [[2], [], [1]],
      scheduling: { ...DEFAULTS, maxConcurrentWaves: 1 },
    });

    expect(fallbacks.map((f) => f.worstWaitSeconds)).toEqual([7200, 0, 3600]);
  });

  it('with room for every wave, waits for its longest chain however many waves share it: 60 waves, each needing every earlier one', () => {
    const fallbacks = admissionFallbacks({
      waves: Array.from({ length: 60 }, () => wave(60)),
      dependencies: Array.from({ length: 60 }, (_, i) => Array.from({ length: i }, (_, d) => d)),
      scheduling: { ...DEFAULTS, maxConcurrentJobs: 100 },
    });

    // Each wave's wait is kept once known: the last waits for all 59 before it, one after another.
    expect(fallbacks.map((f) => f.worstWaitSeconds)).toEqual(Array.from({ length: 60 }, (_, i) => i * 3600));
  });

  it('ends on a dependency cycle (the plan rules refuse it, after reading the plan defensively)', () => {
    const fallbacks = admissionFallbacks({
      waves: [wave(60), wave(60)],
      dependencies: [[1], [0]],
      scheduling: DEFAULTS,
    });

    expect(fallbacks.every((f) => Number.isFinite(f.worstWaitSeconds))).toBe(true);
  });

  it('bounds every wave, whatever the graph and the room: at most 4 asks again, none under 900 s, covering its worst wait', () => {
    const scheduling = (maxConcurrentWaves: number | undefined): PlanScheduling =>
      maxConcurrentWaves === undefined ? DEFAULTS : { ...DEFAULTS, maxConcurrentWaves };
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            timeoutMinutes: fc.integer({ min: 1, max: 1440 }),
            approval: fc.option(fc.integer({ min: 1, max: 10_080 }), { nil: undefined }),
            dependsOnEarlier: fc.array(fc.nat(), { maxLength: 3 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
        (plan, maxConcurrentWaves) => {
          const waves = plan.map((w) =>
            wave(w.timeoutMinutes, w.approval === undefined ? {} : { approvalMinutes: w.approval }),
          );
          const dependencies = plan.map((w, i) => (i === 0 ? [] : [...new Set(w.dependsOnEarlier.map((d) => d % i))]));
          for (const f of admissionFallbacks({ waves, dependencies, scheduling: scheduling(maxConcurrentWaves) })) {
            expect(f.reasks).toBeLessThanOrEqual(ADMISSION_WAITS);
            expect(f.fallbackSeconds).toBeGreaterThanOrEqual(MIN_ADMISSION_FALLBACK_SECONDS);
            expect(f.fallbackSeconds * f.reasks).toBeGreaterThanOrEqual(f.worstWaitSeconds);
            expect(Number.isInteger(f.fallbackSeconds)).toBe(true);
          }
        },
      ),
    );
  });
});

describe('fallbackWaveOf', () => {
  it("reads a plan's wave: its gate (60 minutes by default), both phases' actions and its servers, optional ones too", () => {
    expect(
      fallbackWaveOf({
        timeoutMinutes: 90,
        approval: {},
        preWaveActions: [{ timeoutSeconds: 300 }],
        postWaveActions: [{ timeoutSeconds: 60 }],
        sourceServerIDs: ['a', 'b'],
        optionalSourceServerIDs: ['c'],
      }),
    ).toEqual({ timeoutMinutes: 90, approvalMinutes: 60, actionSeconds: [300, 60], servers: 3 });
  });

  it('gives a wave without actions no action seconds, and counts a single phase on its own', () => {
    const base = { timeoutMinutes: 60, sourceServerIDs: ['a'] };

    expect(fallbackWaveOf(base)).toStrictEqual({ timeoutMinutes: 60, servers: 1 });
    expect(fallbackWaveOf({ ...base, preWaveActions: [], postWaveActions: [] })).toStrictEqual({
      timeoutMinutes: 60,
      servers: 1,
    });
    expect(fallbackWaveOf({ ...base, preWaveActions: [{ timeoutSeconds: 300 }] }).actionSeconds).toEqual([300]);
    expect(fallbackWaveOf({ ...base, postWaveActions: [{ timeoutSeconds: 60 }] }).actionSeconds).toEqual([60]);
  });

  it('leaves the servers of a tag selection unknown until the execution resolves it', () => {
    const tagged = { timeoutMinutes: 60, sourceServerIDs: [], sourceServerTags: { App: 'shop' } };
    expect(fallbackWaveOf(tagged).servers).toBeUndefined();
    expect(fallbackWaveOf({ ...tagged, sourceServerIDs: ['a'], taggedSourceServerIDs: ['a'] }).servers).toBe(1);
  });
});
