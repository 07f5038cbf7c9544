import { lowerBound, planLowerBound } from '../../../bench/lower-bound';
import { BENCH_PLANS, estateDagPlan, planOf } from '../../../bench/plans';
import { validatePlan } from '../../../functions/shared/plan-rules';
import { dependenciesOf } from '../../../functions/shared/wave-graph';

const quotas = { maxConcurrentJobs: 20, maxServersInAllJobs: 500 };

describe('lowerBound', () => {
  it('is the critical path when the quotas leave room for every wave at once', () => {
    // DB (100 s) → App (50 s) → Web (30 s), and an independent 120 s wave: 180 s along the chain;
    // 300 job-seconds over 20 jobs is only 15 s.
    const waves = [
      { launchSeconds: 100, servers: 10, dependsOn: [] },
      { launchSeconds: 50, servers: 10, dependsOn: [0] },
      { launchSeconds: 30, servers: 10, dependsOn: [1] },
      { launchSeconds: 120, servers: 10, dependsOn: [] },
    ];
    expect(lowerBound(waves, quotas)).toEqual({
      criticalPathSeconds: 180,
      capacitySeconds: 15,
      lowerBoundSeconds: 180,
    });
  });

  it('takes the longest of several paths into a wave, not the sum', () => {
    const waves = [
      { launchSeconds: 100, servers: 1, dependsOn: [] },
      { launchSeconds: 40, servers: 1, dependsOn: [] },
      { launchSeconds: 10, servers: 1, dependsOn: [0, 1] },
    ];
    expect(lowerBound(waves, quotas).criticalPathSeconds).toBe(110);
  });

  it('is the servers-in-all-jobs bound for the estate-dag shape: 30 waves of 100 servers, 500 at once', () => {
    // 10 applications × database → app → web, 7,219 s each: the chain is 21,657 s, the quota allows
    // 5 jobs of 100 at once, so 30 waves need 6 rounds: 43,314 s.
    const waves = Array.from({ length: 30 }, (_, w) => ({
      launchSeconds: 7219,
      servers: 100,
      dependsOn: w % 3 === 0 ? [] : [w - 1],
    }));
    expect(lowerBound(waves, quotas)).toEqual({
      criticalPathSeconds: 21_657,
      capacitySeconds: 43_314,
      lowerBoundSeconds: 43_314,
    });
  });

  it('counts jobs against maxConcurrentJobs and waves against maxConcurrentWaves', () => {
    const waves = Array.from({ length: 4 }, () => ({ launchSeconds: 100, servers: 1, dependsOn: [] }));
    expect(lowerBound(waves, { ...quotas, maxConcurrentJobs: 2 }).lowerBoundSeconds).toBe(200);
    expect(lowerBound(waves, { ...quotas, maxConcurrentWaves: 1 }).lowerBoundSeconds).toBe(400);
  });
});

describe('the estate-dag plan', () => {
  it('is a valid plan of 30 waves, each application a chain of three tiers and independent of the others', () => {
    const plan = validatePlan(estateDagPlan());
    const deps = dependenciesOf(plan.waves);
    expect(plan.waves).toHaveLength(30);
    expect(deps.filter((d) => d.length === 0)).toHaveLength(10);
    expect(deps.every((d, w) => d.every((x) => Math.floor(x / 3) === Math.floor(w / 3) && x === w - 1))).toBe(true);
  });

  it('runs one wave at a time as estate-dag-sequential: the same waves, maxConcurrentWaves 1', () => {
    const sequential = BENCH_PLANS.find((p) => p.name === 'estate-dag-sequential');
    const plan = validatePlan(planOf(sequential as (typeof BENCH_PLANS)[number]));
    expect(plan.maxConcurrentWaves).toBe(1);
    expect(plan.waves).toEqual(validatePlan(estateDagPlan()).waves);
  });
});

describe('planLowerBound', () => {
  const bench = (name: string) => BENCH_PLANS.find((p) => p.name === name) as (typeof BENCH_PLANS)[number];

  it('is the sum of the launches for a plan without dependsOn: each wave needs the one before it', () => {
    expect(planLowerBound(planOf(bench('estate-3000')), 7219)).toEqual({
      criticalPathSeconds: 30 * 7219,
      capacitySeconds: (30 * 100 * 7219) / 500,
      lowerBoundSeconds: 30 * 7219,
    });
  });

  it("reads estate-dag's tiers and the default DRS quotas (500 servers in all jobs)", () => {
    expect(planLowerBound(planOf(bench('estate-dag')), 7219)).toEqual({
      criticalPathSeconds: 3 * 7219,
      capacitySeconds: 6 * 7219,
      lowerBoundSeconds: 6 * 7219,
    });
  });

  it("takes the plan's own quotas over the defaults", () => {
    const plan = { ...estateDagPlan(), maxConcurrentWaves: 2 };
    expect(planLowerBound(plan, 100).lowerBoundSeconds).toBe(1500);
  });
});
