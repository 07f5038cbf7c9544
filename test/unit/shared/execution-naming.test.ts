import {
  compactTimestamp,
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
  it('returns <planId>-<first 16 hex of sha256(key)>', () => {
    // sha256('order-42') = 3bf8b157c4238eef...
    expect(idempotentExecutionName('three-tier', 'order-42')).toBe('three-tier-3bf8b157c4238eef');
  });

  it('returns the same name for the same key and another for another key', () => {
    expect(idempotentExecutionName('p', 'k1')).toBe(idempotentExecutionName('p', 'k1'));
    expect(idempotentExecutionName('p', 'k1')).not.toBe(idempotentExecutionName('p', 'k2'));
    expect(idempotentExecutionName('p', 'k1')).not.toBe(idempotentExecutionName('q', 'k1'));
  });

  it('returns at most 80 Step Functions characters for the longest plan ID', () => {
    const name = idempotentExecutionName(`a.${'b'.repeat(62)}`, 'key with spaces / and "quotes"');
    expect(name).toHaveLength(80);
    expect(name).toMatch(NAME_CHARS);
    expect(name).toMatch(/^a_b+-[0-9a-f]{16}$/);
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
