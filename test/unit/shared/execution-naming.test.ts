import {
  compactTimestamp,
  EXECUTION_NAME,
  executionArnOf,
  executionName,
  executionNameProblems,
  idempotentExecutionName,
  parseStateMachineArn,
} from '../../../functions/shared/execution-naming';

const AT = new Date('2026-03-04T05:06:07.890Z');
const SM = 'arn:aws:states:eu-west-1:111122223333:stateMachine:recovery-plan';
const NAME_CHARS = /^[A-Za-z0-9_-]+$/;

describe('compactTimestamp', () => {
  it('returns the UTC time as yyyymmddThhmmss', () => {
    expect(compactTimestamp(AT)).toBe('20260304T050607');
  });
});

describe('executionName', () => {
  it('returns <planId>-<type>-<timestamp>-<hex>', () => {
    expect(executionName({ planId: 'three-tier', executionType: 'DRILL', at: AT, randomHex: 'a1b2c3' })).toBe(
      'three-tier-drill-20260304T050607-a1b2c3',
    );
    expect(executionName({ planId: 'three-tier', executionType: 'RECOVERY', at: AT, randomHex: 'a1b2c3' })).toBe(
      'three-tier-recovery-20260304T050607-a1b2c3',
    );
  });

  it('returns a name of Step Functions characters when the plan ID has dots', () => {
    expect(executionName({ planId: 'erp.v2', executionType: 'DRILL', at: AT, randomHex: 'a1b2c3' })).toBe(
      'erp_v2-drill-20260304T050607-a1b2c3',
    );
  });

  it('returns at most 80 characters, cutting the plan ID and keeping the rest', () => {
    const planId = `p${'x'.repeat(63)}`;
    const name = executionName({ planId, executionType: 'RECOVERY', at: AT, randomHex: 'a1b2c3' });
    expect(name).toHaveLength(80);
    expect(name).toMatch(NAME_CHARS);
    expect(name.endsWith('-recovery-20260304T050607-a1b2c3')).toBe(true);
    expect(name.startsWith('pxxx')).toBe(true);
  });
});

describe('idempotentExecutionName', () => {
  const ALICE = 'arn:aws:sts::111122223333:assumed-role/DrillOperator/alice';
  const BOB = 'arn:aws:sts::111122223333:assumed-role/DrillOperator/bob';
  const name = (planId: string, idempotencyKey: string, caller = ALICE) =>
    idempotentExecutionName({ planId, caller, idempotencyKey });

  it('returns <planId>-<first 24 hex of sha256 over the caller, the plan ID and the key>', () => {
    // sha256('["idempotency-key/v2","arn:aws:sts::111122223333:assumed-role/DrillOperator/alice","three-tier","order-42"]')
    expect(name('three-tier', 'order-42')).toBe('three-tier-dcdcb81569f7ba7ca7f5190e');
  });

  it('returns the same name for the same caller, plan and key, and another when any of them differs', () => {
    expect(name('p', 'k1')).toBe(name('p', 'k1'));
    expect(name('p', 'k1')).not.toBe(name('p', 'k2'));
    expect(name('p', 'k1')).not.toBe(name('q', 'k1'));
    expect(name('p', 'k1', ALICE)).not.toBe(name('p', 'k1', BOB));
  });

  it('returns distinct names for plan IDs that read the same in a name (a.b and a_b)', () => {
    expect(name('a.b', 'k')).not.toBe(name('a_b', 'k'));
    expect(name('a.b', 'k').startsWith('a_b-')).toBe(true);
  });

  it('returns distinct names for long plan IDs that differ only past the readable cut', () => {
    const stem = `p${'x'.repeat(60)}`;
    expect(name(`${stem}-1`, 'k')).not.toBe(name(`${stem}-2`, 'k'));
  });

  it('returns distinct names when caller, plan ID and key could be joined the same way', () => {
    expect(name('p', 'k', 'a:b')).not.toBe(name('p', 'b:k', 'a'));
  });

  it('returns at most 80 Step Functions characters for the longest plan ID', () => {
    const long = name(`a.${'b'.repeat(62)}`, 'key with spaces / and "quotes"');
    expect(long).toHaveLength(80);
    expect(long).toMatch(NAME_CHARS);
    expect(long).toMatch(/^a_b+-[0-9a-f]{24}$/);
  });
});

describe('EXECUTION_NAME', () => {
  it.each(['three-tier-drill-20260304T050607-a1b2c3', 'a', 'x'.repeat(80), 'console-named_run.1'])(
    'accepts %s',
    (value) => {
      expect(EXECUTION_NAME.test(value)).toBe(true);
    },
  );

  it.each([
    ['an empty string', ''],
    ['81 characters', 'x'.repeat(81)],
    ['2,048 characters', 'x'.repeat(2048)],
    ['a space', 'a b'],
    ['a slash', 'a/b'],
    ['a hash', 'a#b'],
    ['a wildcard', 'a*'],
    ['a tab', 'tab\there'],
  ])('refuses %s', (_, value) => {
    expect(EXECUTION_NAME.test(value)).toBe(false);
  });
});

describe('parseStateMachineArn', () => {
  it('returns the parts of a state machine ARN, in any partition', () => {
    expect(parseStateMachineArn(SM)).toEqual({
      partition: 'aws',
      region: 'eu-west-1',
      account: '111122223333',
      name: 'recovery-plan',
    });
    expect(
      parseStateMachineArn('arn:aws-us-gov:states:us-gov-west-1:111122223333:stateMachine:RecoveryPlan1A2B3C'),
    ).toMatchObject({ partition: 'aws-us-gov', name: 'RecoveryPlan1A2B3C' });
  });

  it.each([
    'recovery-plan',
    'arn:aws:states:eu-west-1:111122223333:stateMachine:recovery-plan:live',
    'arn:aws:states:eu-west-1:111122223333:execution:recovery-plan:x',
    'arn:aws:lambda:eu-west-1:111122223333:function:recovery-plan',
  ])('fails naming the value when it is not a state machine ARN (%s)', (arn) => {
    expect(() => parseStateMachineArn(arn)).toThrow(`'${arn}' is not a state machine ARN`);
  });
});

describe('executionArnOf', () => {
  it('returns the execution ARN of a name under the state machine', () => {
    expect(executionArnOf(SM, 'three-tier-drill-20260304T050607-a1b2c3')).toBe(
      'arn:aws:states:eu-west-1:111122223333:execution:recovery-plan:three-tier-drill-20260304T050607-a1b2c3',
    );
  });
});

describe('executionNameProblems', () => {
  it.each(['drill(1)', "reprise-d'été!", 'a', 'x'.repeat(80), 'three-tier-drill-20260304T050607-a1b2c3'])(
    'accepts %p, as Step Functions does',
    (name) => {
      expect(executionNameProblems(name)).toEqual([]);
    },
  );

  it('names every problem of a name Step Functions refuses', () => {
    expect(executionNameProblems(`${'x'.repeat(80)} a/b:c\u0007`)).toEqual([
      'it is 87 characters long (expected at most 80)',
      'it contains whitespace',
      "it contains '/', ':' (not allowed in a Step Functions execution name)",
      'it contains control characters',
    ]);
  });

  it.each([...'<>{}[]?*"#%\\^|~`$&,;:/'])('refuses %p', (character) => {
    expect(executionNameProblems(`drill${character}1`)).toEqual([
      `it contains '${character}' (not allowed in a Step Functions execution name)`,
    ]);
  });

  it('refuses an empty name', () => {
    expect(executionNameProblems('')).toEqual(['it is empty (expected 1-80 characters)']);
  });
});
