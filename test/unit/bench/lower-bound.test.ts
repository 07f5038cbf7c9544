import { lowerBound } from '../../../bench/lower-bound';
import { estateDagPlan } from '../../../bench/plans';
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
});
