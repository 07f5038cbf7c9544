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

describe('validatePlan: tag-selected and optional servers', () => {
  it('returns a wave that selects its servers by tag alone, with optional servers beside them', () => {
    const valid = validatePlan(
      plan({
        waves: [{ name: 'App', sourceServerTags: { App: 'shop', Tier: '' }, optionalSourceServerIDs: [id(9)] }],
      }),
    );
    expect(valid.waves[0]).toEqual({
      name: 'App',
      sourceServerIDs: [],
      sourceServerTags: { App: 'shop', Tier: '' },
      optionalSourceServerIDs: [id(9)],
      timeoutMinutes: PLAN_LIMITS.timeoutMinutes.default,
    });
  });

  it('fails naming the wave when it has neither IDs nor tags, optional servers or not', () => {
    const problems = problemsOf(() =>
      validatePlan(plan({ waves: [{ name: 'Nice to have', optionalSourceServerIDs: [id(1)] }, { name: 'Bare' }] })),
    );
    expect(problems).toEqual([
      "waves[0].sourceServerIDs: the wave has no servers: list at least one source server ID in wave 'Nice to have', or select its servers with sourceServerTags (optional servers alone can never make a wave COMPLETED)",
      "waves[1].sourceServerIDs: the wave has no servers: list at least one source server ID in wave 'Bare', or select its servers with sourceServerTags",
    ]);
  });

  it('fails for a server listed twice across waves, whether as a required or an optional server', () => {
    const problems = problemsOf(() =>
      validatePlan(
        plan({
          waves: [
            { name: 'A', sourceServerIDs: [id(1)], optionalSourceServerIDs: [id(2), id(1)] },
            { name: 'B', sourceServerIDs: [id(3)], optionalSourceServerIDs: [id(2)] },
          ],
        }),
      ),
    );
    expect(problems).toEqual([
      `waves[0].optionalSourceServerIDs: "${id(1)}" is listed twice in wave 'A'`,
      `waves[1].optionalSourceServerIDs: "${id(2)}" is in wave 'A' (waves[0]) and in wave 'B' (waves[1]): a server belongs to one wave`,
    ]);
  });

  it('fails for tags AWS would not take: an empty or long key, a long value, no tag, more than 50, not strings', () => {
    const fifty = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    const problems = problemsOf(() =>
      validatePlan(
        plan({
          waves: [
            {
              name: 'A',
              sourceServerTags: { '': 'x', ['k'.repeat(129)]: 'v', V: 'v'.repeat(257), W: 'w'.repeat(256) },
            },
            { name: 'B', sourceServerTags: {} },
            { name: 'C', sourceServerTags: fifty },
            { name: 'D', sourceServerTags: { App: 3 } },
            { name: 'E', sourceServerTags: 'App=shop' },
          ],
        }),
      ),
    );
    expect(problems).toEqual([
      'waves[0].sourceServerTags.: a tag key must not be empty',
      expect.stringMatching(/^waves\[0\]\.sourceServerTags\.k+: the tag key "k+\.\.\. is longer than 128 characters$/),
      expect.stringMatching(/^waves\[0\]\.sourceServerTags\.V: the tag value "v+\.\.\. is longer than 256 characters$/),
      'waves[1].sourceServerTags: names no tag: give at least one, or leave sourceServerTags out',
      'waves[2].sourceServerTags: names 51 tags, more than the 50 a DRS source server can carry',
      'waves[3].sourceServerTags.App: a tag value must be a string (got 3)',
      'waves[4].sourceServerTags: must be an object of tag keys and values, e.g. { "App": "shop" } (got "App=shop")',
    ]);
  });

  it('fails for a wave whose required and optional servers together pass the DRS job quota', () => {
    const ids = Array.from({ length: 101 }, (_, i) => id(i + 1));
    const problems = problemsOf(() =>
      validatePlan(
        plan({ waves: [{ name: 'Big', sourceServerIDs: ids.slice(0, 60), optionalSourceServerIDs: ids.slice(60) }] }),
      ),
    );
    expect(problems).toEqual([
      'waves[0]: the wave lists 101 servers (60 required, 41 optional), more than the 100 DRS allows in one recovery job: split it into several waves',
    ]);
  });
});

describe('validatePlan: wave actions', () => {
  const ARN = 'arn:aws:lambda:eu-west-1:111122223333:function:shop-smoke';
  const withActions = (pre: unknown, post: unknown) =>
    plan({
      waves: [
        { name: 'Databases', sourceServerIDs: [id(1)], timeoutMinutes: 60 },
        { name: 'App', sourceServerIDs: [id(3)], preWaveActions: pre, postWaveActions: post },
      ],
    });

  it('returns a wave with pre- and post-wave actions as given', () => {
    const smoke = {
      name: 'Smoke test',
      lambdaFunctionArn: `${ARN}:live`,
      timeoutSeconds: 600,
      continueOnFailure: true,
    };
    const valid = validatePlan(withActions([{ name: 'Drain', lambdaFunctionArn: ARN, timeoutSeconds: 30 }], [smoke]));

    expect(valid.waves[1]?.preWaveActions).toEqual([{ name: 'Drain', lambdaFunctionArn: ARN, timeoutSeconds: 30 }]);
    expect(valid.waves[1]?.postWaveActions).toEqual([smoke]);
  });

  it('names every problem of the actions: ARN, timeout bounds, missing fields, unknown fields, names used twice', () => {
    const problems = problemsOf(() =>
      validatePlan(
        withActions(
          [
            { name: 'Drain', lambdaFunctionArn: 'arn:aws:s3:::bucket', timeoutSeconds: 901 },
            { name: 'Drain', lambdaFunctionArn: ARN, timeoutSeconds: 0, retries: 3 },
            { lambdaFunctionArn: ARN, timeoutSeconds: 10 },
          ],
          [{ name: 'Drain', lambdaFunctionArn: ARN, timeoutSeconds: 10 }],
        ),
      ),
    );

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^waves\[1\]\.preWaveActions\[0\]\.lambdaFunctionArn: "arn:aws:s3:::bucket" is not a Lambda function ARN/,
        ),
        expect.stringMatching(/^waves\[1\]\.preWaveActions\[0\]\.timeoutSeconds: .*at most 900 s \(got 901\)$/),
        expect.stringMatching(/^waves\[1\]\.preWaveActions\[1\]: unexpected field 'retries'/),
        'waves[1].preWaveActions[2].name: is missing: it must be a string',
        "waves[1].postWaveActions[0].name: 'Drain' is also the name of a pre-wave action: give each action of a wave its own name",
      ]),
    );
    // The duplicate within a phase and the zero timeout are named too (zod reports them once the list parses).
    expect(problems.join('\n')).toMatch(/timeoutSeconds must be between 1 and 900/);
  });

  it('refuses more than 10 actions in a phase', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({ name: `A${i}`, lambdaFunctionArn: ARN, timeoutSeconds: 10 }));
    expect(problemsOf(() => validatePlan(withActions(many, undefined)))).toEqual([
      'waves[1].preWaveActions: the wave has 11 actions here, more than 10: combine steps into fewer functions',
    ]);
  });

  it('refuses the same name twice in one phase', () => {
    const twice = [0, 1].map(() => ({ name: 'Drain', lambdaFunctionArn: ARN, timeoutSeconds: 10 }));
    expect(problemsOf(() => validatePlan(withActions(twice, undefined)))).toEqual([
      "waves[1].preWaveActions[1].name: 'Drain' is also the name of action [0]: give each action of a wave its own name",
    ]);
  });
});
