import { InvalidPlan } from '../../../functions/shared/errors';
import { PLAN_LIMITS, validateExecutionInput, validatePlan } from '../../../functions/shared/plan-rules';

const id = (n: number) => `s-${String(n).padStart(17, '0')}`;
const plan = (over: Record<string, unknown> = {}) => ({
  planId: 'three-tier',
  name: 'Three-tier web app',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: [id(1), id(2)], timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: [id(3)] },
  ],
  ...over,
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

describe('validateExecutionInput', () => {
  it('returns the plan with defaults filled in', () => {
    const { plan: valid, executionType } = validateExecutionInput({ plan: plan(), executionType: 'RECOVERY' });
    expect(executionType).toBe('RECOVERY');
    expect(valid.waves[1]).toEqual({
      name: 'App',
      sourceServerIDs: [id(3)],
      timeoutMinutes: PLAN_LIMITS.timeoutMinutes.default,
    });
  });

  it('uses the plan ID as the name when the plan has none', () => {
    const { plan: valid } = validateExecutionInput({ plan: plan({ name: undefined }), executionType: 'DRILL' });
    expect(valid.name).toBe('three-tier');
  });

  it('fails naming every problem of a plan in one message', () => {
    const problems = problemsOf(() =>
      validateExecutionInput({
        executionType: 'drill',
        plan: {
          planId: 'bad id!',
          pollIntervalSeconds: 1,
          extra: true,
          waves: [
            { name: 'Databases', sourceServerIDs: ['s-123', id(1)] },
            { name: 'Databases', sourceServerIDs: [id(1)], timeoutMinutes: 0 },
            { name: 'Empty', sourceServerIDs: [] },
          ],
        },
      }),
    );
    const text = problems.join('\n');
    expect(text).toContain('plan.planId: "bad id!" is not a valid plan ID');
    expect(text).toContain('plan.pollIntervalSeconds: pollIntervalSeconds must be between 5 and 3600 (got 1)');
    expect(text).toContain(`plan.waves[0].sourceServerIDs[0]: "s-123" is not a DRS source server ID`);
    expect(text).toContain('plan.waves[1].timeoutMinutes: timeoutMinutes must be between 1 and 1440 (got 0)');
    expect(text).toContain('plan.waves[2].sourceServerIDs: the wave has no servers');
    expect(text).toContain("plan: unexpected field 'extra'");
    expect(text).toContain('executionType: must be DRILL or RECOVERY (got "drill")');
    expect(text).toContain("plan.waves[1].name: 'Databases' is also the name of waves[0]");
    expect(text).toContain(`"${id(1)}" is in wave 'Databases' (waves[0]) and in wave 'Databases' (waves[1])`);
    expect(problems).toHaveLength(9);
  });

  it.each([
    ['no plan', { executionType: 'DRILL' }, 'plan: is missing'],
    ['no waves', { plan: plan({ waves: undefined }), executionType: 'DRILL' }, 'plan.waves: is missing'],
    ['an empty wave list', { plan: plan({ waves: [] }), executionType: 'DRILL' }, 'the plan has no waves'],
    ['waves that are not a list', { plan: plan({ waves: 'all' }), executionType: 'DRILL' }, 'must be a list of waves'],
    ['no execution type', { plan: plan() }, 'executionType: is missing: it must be DRILL or RECOVERY'],
    [
      'a wave that is not an object',
      { plan: plan({ waves: [42] }), executionType: 'DRILL' },
      'plan.waves[0]: must be a wave object (got 42)',
    ],
    [
      'a poll interval that is not whole',
      { plan: plan({ pollIntervalSeconds: 2.5 }), executionType: 'DRILL' },
      'must be a whole number',
    ],
    ['input that is not an object', 'plan', 'must be the execution input'],
    ['null input', null, 'must be the execution input'],
  ])('fails for %s', (_, input, expected) => {
    expect(problemsOf(() => validateExecutionInput(input)).join('\n')).toContain(expected);
  });

  it('fails when a server is listed twice in one wave', () => {
    const problems = problemsOf(() =>
      validateExecutionInput({
        plan: plan({ waves: [{ name: 'A', sourceServerIDs: [id(1), id(1)] }] }),
        executionType: 'DRILL',
      }),
    );
    expect(problems).toEqual([`plan.waves[0].sourceServerIDs: "${id(1)}" is listed twice in wave 'A'`]);
  });

  it('fails when a wave has more servers than one DRS job takes, saying what to do', () => {
    const servers = Array.from({ length: PLAN_LIMITS.maxServersPerWave + 1 }, (_, i) => id(i));
    const problems = problemsOf(() =>
      validateExecutionInput({
        plan: plan({ waves: [{ name: 'Big', sourceServerIDs: servers }] }),
        executionType: 'DRILL',
      }),
    );
    expect(problems.join()).toContain(
      '101 servers, more than the 100 DRS allows in one recovery job: split it into several waves',
    );
  });

  it('fails for a name with control characters, which would reach logs and tags', () => {
    const problems = problemsOf(() =>
      validateExecutionInput({
        plan: plan({ waves: [{ name: 'evil\nname', sourceServerIDs: [id(1)] }] }),
        executionType: 'DRILL',
      }),
    );
    expect(problems.join()).toContain('plan.waves[0].name: the wave name "evil\\nname" has characters other than');
  });

  it('says how many problems the message holds', () => {
    expect(() => validateExecutionInput({ plan: plan({ waves: [] }), executionType: 'X' })).toThrow(
      'The plan is not valid (2 problems)',
    );
  });
});

describe('validatePlan', () => {
  it('returns a valid plan on its own', () => {
    expect(validatePlan(plan()).planId).toBe('three-tier');
  });

  it('fails naming problems without an execution prefix', () => {
    expect(problemsOf(() => validatePlan(plan({ waves: [] })))).toEqual([
      'waves: the plan has no waves: add at least one wave',
    ]);
  });
});
