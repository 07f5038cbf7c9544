import { BENCH_PLANS, planOf } from '../../../bench/plans';
import { InvalidPlan } from '../../../functions/shared/errors';
import {
  EVENTS_PER_ACTION,
  EVENTS_PER_POLL,
  EVENTS_PER_REASK,
  HISTORY_BUDGET,
  worstCaseHistory,
} from '../../../functions/shared/history-budget';
import { validateExecutionInput, validatePlan } from '../../../functions/shared/plan-rules';
import { STEP_FUNCTIONS_LIMITS } from '../../../functions/shared/step-functions-limits';
import { dependenciesOf } from '../../../functions/shared/wave-graph';

const id = (n: number) => `s-${String(n).padStart(17, '0')}`;
const plan = (pollIntervalSeconds: number, timeouts: number[]) => ({
  planId: 'estate',
  pollIntervalSeconds,
  waves: timeouts.map((timeoutMinutes, w) => ({ name: `Wave ${w + 1}`, sourceServerIDs: [id(w)], timeoutMinutes })),
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

describe('worstCaseHistory', () => {
  it('counts a wave whose launch wait runs to its fallback until the deadline: the token wait, Check and Choice per poll', () => {
    const worst = worstCaseHistory(plan(5, [1440]));

    // "Wait for launch" is a token wait (6 events: a service integration's TaskSubmitted too), "Check the wave" 5, the Choice 2.
    expect(EVENTS_PER_POLL).toBe(13);
    // No launch event comes, so each wait lasts the fallback (600 s), whatever the plan's 5-second interval.
    // The wave's own events: its Map iteration, "Wait for dependencies and room" (a token wait: 6),
    // "Start wave recovery", four Choice states, its verdict (a Pass), "Wake waiting waves" and "Wave ended".
    // The first wave waits for nothing: it never asks again for dependencies and room.
    expect(worst.waves).toEqual([{ name: 'Wave 1', polls: 144, reasks: 0, events: 30 + 144 * 13 }]);
    // The execution's own events: started/ended, the first task, the Map, "Record the ending", its Choice, "Plan recovered".
    expect(worst.total).toBe(20 + 30 + 144 * 13);
    // Polling every 5 s, as before launch events, reached the limit in under four hours of a 24-hour wave.
    expect(((STEP_FUNCTIONS_LIMITS.historyEvents / 9) * 5) / 3600).toBeLessThan(4);
  });

  it('counts each wave action: its Begin task, Choice, invoke and Record task, and the last Begin of each phase', () => {
    const without = worstCaseHistory(plan(30, [60]));
    const withActions = worstCaseHistory({
      ...plan(30, [60]),
      waves: [{ name: 'Wave 1', timeoutMinutes: 60, actionSeconds: [60, 60, 60] }],
    });

    expect(EVENTS_PER_ACTION).toBe(18);
    expect(withActions.total - without.total).toBe(3 * 18 + 2 * 7);
  });

  it("counts a gated wave's token wait: entered, scheduled, started, submitted, succeeded, exited (6 events)", () => {
    const waves = (approvalMinutes?: number) => [
      { name: 'Wave 1', timeoutMinutes: 60, ...(approvalMinutes ? { approvalMinutes } : {}) },
    ];
    const open = worstCaseHistory({ pollIntervalSeconds: 30, waves: waves() });
    const gated = worstCaseHistory({ pollIntervalSeconds: 30, waves: waves(240) });
    expect(gated.total - open.total).toBe(6);
  });

  it('polls every wave at the fallback interval, or at the plan interval when that is longer', () => {
    expect(worstCaseHistory(plan(30, [180, 180])).waves.map((w) => w.polls)).toEqual([18, 18]);
    expect(worstCaseHistory(plan(1800, [180])).waves.map((w) => w.polls)).toEqual([6]);
  });

  it("counts each waiting wave's admission asks again: its worst-case wait at its fallback, at most 4", () => {
    // A chain of 3-hour waves: the second waits up to 3 hours (a 2,700 s fallback), the last up to 87.
    const chain = worstCaseHistory(plan(30, Array(30).fill(180)));

    expect(EVENTS_PER_REASK).toBe(6);
    expect(chain.waves.map((w) => w.reasks)).toEqual([0, ...Array(29).fill(4)]);
    expect(chain.waves[1]?.events).toBe(30 + 18 * 13 + 4 * 6);
    // At a fixed 900 s, the last wave alone would have asked 348 times: 2,088 events.
    expect(chain.total).toBe(20 + 30 * (30 + 18 * 13) + 29 * 4 * 6);
    // A short wait asks again fewer times: 20 minutes behind its dependency, at the 900 s floor, twice.
    expect(worstCaseHistory(plan(30, [20, 60])).waves.map((w) => w.reasks)).toEqual([0, 2]);
  });

  it('counts the asks again of waves that wait for nothing: none, when the plan leaves room for them all', () => {
    // Three waves of one server each: 3 jobs and 3 servers, within DRS's 20 and 500.
    const waves = plan(30, [180, 180, 180]).waves.map((w) => ({ ...w, servers: 1 }));
    const apart = { pollIntervalSeconds: 30, waves, dependencies: [[], [], []] };
    expect(worstCaseHistory(apart).waves.map((w) => w.reasks)).toEqual([0, 0, 0]);
    // With room for one wave at a time, any of them may wait for the two others.
    const oneAtATime = {
      ...apart,
      scheduling: {
        onWaveFailure: 'STOP' as const,
        maxConcurrentWaves: 1,
        maxConcurrentJobs: 20,
        maxServersInAllJobs: 500,
      },
    };
    expect(worstCaseHistory(oneAtATime).waves.map((w) => w.reasks)).toEqual([4, 4, 4]);
  });
});

describe('the history budget plan rule', () => {
  it('fails a plan whose worst case passes the budget with InvalidPlan, naming the waves and the budget', () => {
    const problems = problemsOf(() =>
      validateExecutionInput({ plan: plan(5, Array(20).fill(1440)), executionType: 'DRILL' }),
    );

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^plan: polled to every wave's timeout, the plan needs up to [\d,]+ Step Functions history events, more than its budget of 10,000 \(an execution fails at 25,000; the budget keeps to half of it, 12,500, less 2,500 kept for retries\): 'Wave 1' 1,902 \(144 polls\), 'Wave 2' 1,926 \(144 polls, 4 admission re-asks\).*\. Raise pollIntervalSeconds \(now 5\), lower timeoutMinutes, or split the plan$/,
    );
    // Issue 12's 2× margin: the worst case and the retry reserve within half of Step Functions' 25,000.
    expect(HISTORY_BUDGET + 2_500).toBe(STEP_FUNCTIONS_LIMITS.historyEvents / 2);
  });

  it('fails a stored plan the same way', () => {
    expect(problemsOf(() => validatePlan(plan(30, Array(20).fill(1440))))[0]).toMatch(
      /^plan: polled to every wave's timeout/,
    );
  });

  it('names the budget alongside every other problem of the plan', () => {
    const problems = problemsOf(() =>
      validateExecutionInput({ plan: { ...plan(5, Array(20).fill(1440)), planId: 'bad id!' }, executionType: 'DRILL' }),
    );

    expect(problems).toEqual([
      expect.stringContaining('plan.planId: "bad id!" is not a valid plan ID'),
      expect.stringMatching(/^plan: polled to every wave's timeout/),
    ]);
  });

  it('accepts 75 waves of 60 minutes in a chain polled every 30 s, and refuses 76', () => {
    const big = plan(30, Array(75).fill(60));

    expect(worstCaseHistory(big).total).toBe(9_896);
    expect(validateExecutionInput({ plan: big, executionType: 'DRILL' }).plan.waves).toHaveLength(75);
    expect(worstCaseHistory(plan(30, Array(76).fill(60))).total).toBe(10_028);
    expect(problemsOf(() => validatePlan(plan(30, Array(76).fill(60))))).toHaveLength(1);
  });

  describe("at the budget's edge, counting every wave action of either phase", () => {
    const ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:shop-smoke';
    const actions = (phase: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        name: `${phase} ${i + 1}`,
        lambdaFunctionArn: ARN,
        timeoutSeconds: 60,
      }));
    // 19 waves of 6 hours in a chain, polled every 30 s: 9,914 events without actions (each wave 30, each
    // poll 13, each wave after the first asks again 4 times for room at 6 each), and each action adds 18
    // (with 14 for the phases' last Begin and Choice): 4 actions on the last wave make exactly 10,000.
    const timeouts = Array(18).fill(360);
    const edge = (pre: number, post: number) => {
      const last = { name: 'Last', sourceServerIDs: [id(18)], timeoutMinutes: 360 };
      return {
        ...plan(30, timeouts),
        waves: [
          ...plan(30, timeouts).waves,
          {
            ...last,
            ...(pre > 0 ? { preWaveActions: actions('Pre', pre) } : {}),
            ...(post > 0 ? { postWaveActions: actions('Post', post) } : {}),
          },
        ],
      };
    };
    const overBudget = (p: ReturnType<typeof edge>) =>
      problemsOf(() => validatePlan(p)).filter((problem) => /history events/.test(problem));

    it('accepts a plan whose worst case is exactly the budget (at most, not under)', () => {
      const schedule = (actions: number) => ({
        pollIntervalSeconds: 30,
        waves: edge(0, 0).waves.map((w, i) => ({
          ...w,
          ...(i === 18 ? { actionSeconds: Array(actions).fill(60) } : {}),
        })),
      });
      expect(worstCaseHistory(schedule(0)).total).toBe(HISTORY_BUDGET - 86);
      expect(worstCaseHistory(schedule(4)).total).toBe(HISTORY_BUDGET);

      expect(validatePlan(edge(2, 2)).waves).toHaveLength(19);
      expect(validateExecutionInput({ plan: edge(2, 2), executionType: 'DRILL' }).plan.waves).toHaveLength(19);
    });

    it('refuses it with one more action of either phase: pre- and post-wave actions are added, not subtracted', () => {
      expect(overBudget(edge(2, 3))).toEqual([
        expect.stringMatching(
          /^plan: polled to every wave's timeout, the plan needs up to 10,018 .*'Last' 626 \(36 polls, 4 admission re-asks\)\./,
        ),
      ]);
      expect(overBudget(edge(3, 2))).toHaveLength(1);
    });

    it('counts the actions of a wave that has only pre-wave or only post-wave actions', () => {
      expect(validatePlan(edge(4, 0)).waves).toHaveLength(19);
      expect(validatePlan(edge(0, 4)).waves).toHaveLength(19);
      expect(overBudget(edge(5, 0))).toHaveLength(1);
      expect(overBudget(edge(0, 5))).toHaveLength(1);
    });
  });

  it("accepts the benchmark's estates, each about a third of 25,000: estate-3000 8,636 events, estate-dag 8,660", () => {
    for (const bench of BENCH_PLANS) expect(validatePlan(planOf(bench)).waves).toHaveLength(bench.waves);
    // Every wave but the first of estate-3000's chain asks again 4 times; estate-dag's 1,000 first-tier servers
    // pass the 500 in all jobs, so each of its waves may wait for room, the first tier too.
    expect(worstCaseHistory(plan(30, Array(30).fill(180))).total).toBe(8_636);
    const dag = planOf(BENCH_PLANS.find((b) => b.name === 'estate-dag') as (typeof BENCH_PLANS)[number]);
    const waves = dag.waves.map((w) => ({ ...w, servers: w.sourceServerIDs.length }));
    const dagWorst = worstCaseHistory({ ...dag, waves, dependencies: dependenciesOf(dag.waves) });
    expect(dagWorst.total).toBe(8_660);
    expect(dagWorst.waves.every((w) => w.reasks === 4)).toBe(true);
  });
});

describe("the history budget plan rule, on the plan's graph and room", () => {
  const apart = (extra: Record<string, unknown>, wave: (w: number) => Record<string, unknown>) => ({
    planId: 'estate',
    pollIntervalSeconds: 30,
    ...extra,
    waves: Array.from({ length: 76 }, (_, w) => ({
      name: `Wave ${w + 1}`,
      timeoutMinutes: 60,
      dependsOn: [],
      ...wave(w),
    })),
  });

  it('accepts 76 independent waves with room for all at once: none of them waits, none asks again', () => {
    const roomy = apart({ maxConcurrentJobs: 100 }, (w) => ({ sourceServerIDs: [id(w)] }));
    expect(validatePlan(roomy).waves).toHaveLength(76);
  });

  it('refuses them when the room is not known to be enough: 76 jobs over DRS default 20, or tags of unknown size', () => {
    expect(problemsOf(() => validatePlan(apart({}, (w) => ({ sourceServerIDs: [id(w)] }))))).toEqual([
      expect.stringMatching(/needs up to 10,052 .*: 'Wave 1' 132 \(6 polls, 4 admission re-asks\)/),
    ]);
    const tagged = apart({ maxConcurrentJobs: 100 }, (w) => ({
      sourceServerIDs: [],
      sourceServerTags: { App: `a${w}` },
    }));
    expect(problemsOf(() => validatePlan(tagged)).filter((p) => /history events/.test(p))).toHaveLength(1);
  });
});
