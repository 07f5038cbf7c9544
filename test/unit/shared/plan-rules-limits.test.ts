import { InvalidPlan } from '../../../functions/shared/errors';
import { PLAN_LIMITS, validateExecutionInput, validatePlan } from '../../../functions/shared/plan-rules';

// The limits a plan is checked against, each at its boundary: exactly at a limit passes, one past it is refused
// with a problem that says which limit.
const id = (n: number) => `s-${String(n).padStart(17, '0')}`;
const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => id(from + i));
const plan = (over: Record<string, unknown> = {}) => ({
  planId: 'limits',
  name: 'Limits',
  pollIntervalSeconds: 30,
  waves: [{ name: 'Databases', sourceServerIDs: [id(1)] }],
  ...over,
});
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPlan);
    return (error as InvalidPlan).problems;
  }
  return [];
}
/** A plan whose JSON is exactly `bytes` long (padded in an unknown field, itself a problem of its own). */
function planOfBytes(bytes: number) {
  const base = plan({ pad: '' });
  return plan({ pad: 'x'.repeat(bytes - Buffer.byteLength(JSON.stringify(base), 'utf8')) });
}
const SIZE = /the plan is \d+ bytes of JSON, more than the/;

describe('plan limits at their boundaries', () => {
  it('refuses a plan one byte over the size an execution input holds, naming its size, and passes one exactly at it', () => {
    const max = PLAN_LIMITS.maxPlanBytes;
    const over = problemsOf(() => validatePlan(planOfBytes(max + 1)));
    expect(over).toContain(
      `plan: the plan is ${max + 1} bytes of JSON, more than the ${max} a Step Functions execution input holds with room for what the workflow adds: split it into several plans`,
    );
    expect(problemsOf(() => validatePlan(planOfBytes(max))).filter((p) => SIZE.test(p))).toEqual([]);
  });

  it('checks the size of the plan inside a workflow input too', () => {
    const problems = problemsOf(() =>
      validateExecutionInput({ plan: planOfBytes(PLAN_LIMITS.maxPlanBytes + 1), executionType: 'DRILL' }),
    );
    expect(problems.filter((p) => SIZE.test(p))).toHaveLength(1);
    expect(problems.find((p) => SIZE.test(p))).toMatch(/^plan: /);
  });

  it('accepts exactly the most tags a DRS source server can carry, and refuses one more', () => {
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    const wave = (n: number) => [{ name: 'Tagged', sourceServerTags: tags(n) }];
    const max = PLAN_LIMITS.maxTagsPerWave;
    expect(problemsOf(() => validatePlan(plan({ waves: wave(max) })))).toEqual([]);
    expect(problemsOf(() => validatePlan(plan({ waves: wave(max + 1) })))).toEqual([
      expect.stringContaining(`names ${max + 1} tags, more than the ${max} a DRS source server can carry`),
    ]);
  });

  it('counts required and optional servers together against the servers one recovery job takes', () => {
    const max = PLAN_LIMITS.maxServersPerWave;
    const wave = (required: number, optional: number) => [
      { name: 'Big', sourceServerIDs: ids(1, required), optionalSourceServerIDs: ids(1000, optional) },
    ];
    expect(problemsOf(() => validatePlan(plan({ waves: wave(max - 10, 10) })))).toEqual([]);
    expect(problemsOf(() => validatePlan(plan({ waves: wave(max - 10, 11) })))).toEqual([
      `waves[0]: the wave lists ${max + 1} servers (${max - 10} required, 11 optional), more than the ${max} DRS allows in one recovery job: split it into several waves`,
    ]);
    // Each list exactly at the limit: together over it, said once.
    expect(problemsOf(() => validatePlan(plan({ waves: wave(max, max) })))).toEqual([
      `waves[0]: the wave lists ${2 * max} servers (${max} required, ${max} optional), more than the ${max} DRS allows in one recovery job: split it into several waves`,
    ]);
  });
});
