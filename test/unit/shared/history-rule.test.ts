import { InvalidPlan } from '../../../functions/shared/errors';
import { validatePlan } from '../../../functions/shared/plan-rules';

// The history budget rule reads the plan leniently (`history-rule.ts`), so that the budget is named
// alongside the schema's problems: these tests feed it plans the schema refuses too, and check it reads
// them as documented, never throwing and never inventing a problem.

const id = (n: number) => `s-${String(n).padStart(17, '0')}`;
const ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:shop-smoke';
// 80 waves of 60 minutes in a chain polled every 30 s: over the budget (76 already are).
const chain = (first: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  planId: 'estate',
  pollIntervalSeconds: 30,
  ...extra,
  waves: Array.from({ length: 80 }, (_, w) => ({
    name: `Wave ${w + 1}`,
    sourceServerIDs: [id(w)],
    timeoutMinutes: 60,
    ...(w === 0 ? first : {}),
  })),
});

function problemsOf(plan: unknown): string[] {
  try {
    validatePlan(plan);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPlan);
    return (error as InvalidPlan).problems;
  }
  return [];
}
const budgetOf = (plan: unknown) => problemsOf(plan).filter((p) => /history events/.test(p));
/** A wave's share in the budget problem: its events, polls and admission re-asks. */
function shareOf(plan: unknown, wave: string) {
  const [problem] = budgetOf(plan);
  const match = new RegExp(`'${wave}' ([\\d,]+) \\((\\d+) polls(?:, (\\d+) admission re-asks)?\\)`).exec(problem ?? '');
  if (!match) throw new Error(`no share of '${wave}' in ${problem}`);
  return { events: Number(match[1]?.replace(/,/g, '')), polls: Number(match[2]), reasks: Number(match[3] ?? 0) };
}
const action = (timeoutSeconds: unknown, name = 'Smoke') => ({ name, lambdaFunctionArn: ARN, timeoutSeconds });

describe('the history budget rule, reading wave actions', () => {
  it('counts an action at its own timeout: a one-minute first wave with a 60 s action holds room 2 minutes, so the next asks again once', () => {
    const short = chain({ timeoutMinutes: 1, preWaveActions: [action(60)] });

    expect(problemsOf(short)).toHaveLength(1);
    // Wave 2 waits 120 s at most: one fallback of 900 s covers it.
    expect(shareOf(short, 'Wave 2').reasks).toBe(1);
    expect(shareOf(chain({ timeoutMinutes: 1, postWaveActions: [action(900)] }), 'Wave 2').reasks).toBe(2);
  });

  it('counts an action whose timeout the schema refuses (text, a fraction, none) or an action that is not an object at the longest allowed, without throwing', () => {
    const unreadable = chain({
      timeoutMinutes: 1,
      preWaveActions: [action('soon', 'A'), action(1.5, 'B'), null],
      postWaveActions: [{ name: 'D', lambdaFunctionArn: ARN }],
    });
    const longest = chain({
      timeoutMinutes: 1,
      preWaveActions: [action(900, 'A'), action(900, 'B'), action(900, 'C')],
      postWaveActions: [action(900, 'D')],
    });

    expect(problemsOf(longest)).toHaveLength(1);
    expect(budgetOf(unreadable)).toEqual(budgetOf(longest));
    expect(problemsOf(unreadable).length).toBeGreaterThan(1); // The schema's problems, named beside the budget.
  });
});

describe('the history budget rule, reading the approval gate', () => {
  it("counts a gate's token wait and its own timeout: a 5-minute gate before a one-minute wave lets the next ask again once", () => {
    const ungated = chain({ timeoutMinutes: 1 });
    const gated = chain({ timeoutMinutes: 1, approval: { timeoutMinutes: 5 } });

    expect(shareOf(gated, 'Wave 1').events).toBe(shareOf(ungated, 'Wave 1').events + 6);
    expect(shareOf(gated, 'Wave 2').reasks).toBe(1);
    // The gate's default timeout is 60 minutes: the next wave waits 61 minutes, asking again 4 times.
    expect(shareOf(chain({ timeoutMinutes: 1, approval: {} }), 'Wave 2').reasks).toBe(4);
  });

  it('counts a gate whose timeout the schema refuses, or that is not an object, at its default, without throwing', () => {
    const byDefault = budgetOf(chain({ timeoutMinutes: 1, approval: {} }));

    expect(budgetOf(chain({ timeoutMinutes: 1, approval: { timeoutMinutes: 'soon' } }))).toEqual(byDefault);
    expect(budgetOf(chain({ timeoutMinutes: 1, approval: { timeoutMinutes: 2.5 } }))).toEqual(byDefault);
    expect(budgetOf(chain({ timeoutMinutes: 1, approval: null }))).toEqual(byDefault);
  });
});

describe('the history budget rule, reading names, dependencies and room', () => {
  it('names a wave without a readable name by its position', () => {
    const plan = chain();
    plan.waves[1] = { ...plan.waves[1], name: undefined } as unknown as (typeof plan.waves)[number];
    plan.waves[2] = { ...plan.waves[2], name: 42 } as unknown as (typeof plan.waves)[number];

    const [budget] = budgetOf(plan);
    expect(budget).toContain("'Wave 1' 108 (6 polls), '#2' ");
    expect(budget).toContain(", '#3' ");
  });

  it("reads each wave's dependencies by name, text entries only: 79 waves after one start together and each waits for it", () => {
    const star = (dependsOn: unknown[]) => ({
      ...chain({}, { maxConcurrentJobs: 100 }),
      waves: chain().waves.map((w, i) => (i === 0 ? w : { ...w, dependsOn })),
    });

    // Each waits for Wave 1's hour and asks again 4 times: over the budget, as a chain is.
    expect(shareOf(star(['Wave 1']), 'Wave 80').reasks).toBe(4);
    expect(shareOf(star(['Wave 1', 7]), 'Wave 80').reasks).toBe(4);
    // Independent, with room for all, none waits: the same 80 waves are within it.
    expect(problemsOf(star([]))).toEqual([]);
  });

  it('reads a room limit the schema refuses (a fraction, text) as not set, inventing no wait for room', () => {
    const apart = (extra: Record<string, unknown>) => ({
      ...chain({}, extra),
      waves: chain().waves.map((w) => ({ ...w, dependsOn: [] })),
    });

    expect(problemsOf(apart({ maxConcurrentJobs: 100 }))).toEqual([]);
    expect(budgetOf(apart({ maxConcurrentJobs: 100, maxConcurrentWaves: 1.5 }))).toEqual([]);
    expect(budgetOf(apart({ maxConcurrentJobs: 100, maxConcurrentWaves: '2' }))).toEqual([]);
    expect(problemsOf(apart({ maxConcurrentJobs: 100, maxConcurrentWaves: 1.5 })).length).toBeGreaterThan(0);
    // Not set, DRS's default of 20 jobs applies: the room may be short, the budget is passed.
    expect(budgetOf(apart({ maxConcurrentJobs: 99.5 }))).toHaveLength(1);
  });

  it('names a dependency cycle without running forever over it', () => {
    const plan = chain();
    plan.waves = plan.waves.slice(0, 2).map((w, i) => ({ ...w, dependsOn: [i === 0 ? 'Wave 2' : 'Wave 1'] }));

    expect(problemsOf(plan)).toEqual([expect.stringMatching(/cycle/)]);
  });
});
