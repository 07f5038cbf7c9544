import { InvalidPlan } from '../../../functions/shared/errors';
import {
  EVENTS_PER_ACTION,
  EVENTS_PER_POLL,
  HISTORY_BUDGET,
  worstCaseHistory,
} from '../../../functions/shared/history-budget';
import { validateExecutionInput, validatePlan } from '../../../functions/shared/plan-rules';
import { STEP_FUNCTIONS_LIMITS } from '../../../functions/shared/step-functions-limits';

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
    expect(worst.waves).toEqual([{ name: 'Wave 1', polls: 144, events: 30 + 144 * 13 }]);
    // The execution's own events: started/ended, the first task, the Map, "Record the ending", its Choice, "Plan recovered".
    expect(worst.total).toBe(20 + 30 + 144 * 13);
    // Polling every 5 s, as before launch events, reached the limit in under four hours of a 24-hour wave.
    expect(((STEP_FUNCTIONS_LIMITS.historyEvents / 9) * 5) / 3600).toBeLessThan(4);
  });

  it('counts each wave action: its Begin task, Choice, invoke and Record task, and the last Begin of each phase', () => {
    const without = worstCaseHistory(plan(30, [60]));
    const withActions = worstCaseHistory({
      ...plan(30, [60]),
      waves: [{ name: 'Wave 1', timeoutMinutes: 60, actions: 3 }],
    });

    expect(EVENTS_PER_ACTION).toBe(18);
    expect(withActions.total - without.total).toBe(3 * 18 + 2 * 7);
  });

  it("counts a gated wave's token wait: entered, scheduled, started, submitted, succeeded, exited (6 events)", () => {
    const waves = (approval?: unknown) => [{ name: 'Wave 1', timeoutMinutes: 60, ...(approval ? { approval } : {}) }];
    const open = worstCaseHistory({ pollIntervalSeconds: 30, waves: waves() });
    const gated = worstCaseHistory({ pollIntervalSeconds: 30, waves: waves({ timeoutMinutes: 240 }) });
    expect(gated.total - open.total).toBe(6);
  });

  it('polls every wave at the fallback interval, or at the plan interval when that is longer', () => {
    expect(worstCaseHistory(plan(30, [180, 180])).waves.map((w) => w.polls)).toEqual([18, 18]);
    expect(worstCaseHistory(plan(1800, [180])).waves.map((w) => w.polls)).toEqual([6]);
  });
});

describe('the history budget plan rule', () => {
  it('fails a plan whose worst case passes the budget with InvalidPlan, naming the waves and the budget', () => {
    const problems = problemsOf(() =>
      validateExecutionInput({ plan: plan(5, Array(20).fill(1440)), executionType: 'DRILL' }),
    );

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^plan: polled to every wave's timeout, the plan needs up to [\d,]+ Step Functions history events, more than its budget of 22,500 \(an execution fails at 25,000; 2,500 are kept for retries\): 'Wave 1' 1,902 \(144 polls\), 'Wave 2' [\d,]+ \([\d,]+ polls\).*\. Raise pollIntervalSeconds \(now 5\), lower timeoutMinutes, or split the plan$/,
    );
    expect(HISTORY_BUDGET).toBe(22_500);
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

  it('accepts the largest plan at the default schedule: 100 waves of 60 minutes polled every 30 s', () => {
    const big = plan(30, Array(100).fill(60));

    expect(worstCaseHistory(big).total).toBeLessThanOrEqual(HISTORY_BUDGET);
    expect(validateExecutionInput({ plan: big, executionType: 'DRILL' }).plan.waves).toHaveLength(100);
  });

  describe("at the budget's edge, counting every wave action of either phase", () => {
    const ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:shop-smoke';
    const actions = (phase: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        name: `${phase} ${i + 1}`,
        lambdaFunctionArn: ARN,
        timeoutSeconds: 60,
      }));
    // 42 waves of 6 hours, 7 of 10 minutes and a last one of 1,181 minutes, polled every 30 s: 22,414 events
    // without actions, and each action adds 18 (with 14 for the phases' last Begin and Choice): 4 actions make
    // exactly 22,500. (Each wave costs 29 events and each poll 13, so few plans land on the budget exactly.)
    const timeouts = [...Array(42).fill(360), ...Array(7).fill(10)];
    const edge = (pre: number, post: number) => {
      const last = { name: 'Last', sourceServerIDs: [id(49)], timeoutMinutes: 1181 };
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
        waves: edge(0, 0).waves.map((w, i) => ({ ...w, ...(i === 49 ? { actions } : {}) })),
      });
      expect(worstCaseHistory(schedule(0)).total).toBe(HISTORY_BUDGET - 86);
      expect(worstCaseHistory(schedule(4)).total).toBe(HISTORY_BUDGET);

      expect(validatePlan(edge(2, 2)).waves).toHaveLength(50);
      expect(validateExecutionInput({ plan: edge(2, 2), executionType: 'DRILL' }).plan.waves).toHaveLength(50);
    });

    it('refuses it with one more action of either phase: pre- and post-wave actions are added, not subtracted', () => {
      expect(overBudget(edge(2, 3))).toEqual([
        expect.stringMatching(
          /^plan: polled to every wave's timeout, the plan needs up to 22,518 .*'Last' 1,673 \(119 polls\)\./,
        ),
      ]);
      expect(overBudget(edge(3, 2))).toHaveLength(1);
    });

    it('counts the actions of a wave that has only pre-wave or only post-wave actions', () => {
      expect(validatePlan(edge(4, 0)).waves).toHaveLength(50);
      expect(validatePlan(edge(0, 4)).waves).toHaveLength(50);
      expect(overBudget(edge(5, 0))).toHaveLength(1);
      expect(overBudget(edge(0, 5))).toHaveLength(1);
    });
  });

  it('accepts 30 waves of 3 hours polled every 30 s (the benchmark estate)', () => {
    expect(validatePlan(plan(30, Array(30).fill(180))).waves).toHaveLength(30);
  });
});
