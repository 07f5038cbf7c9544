import aslValidator from 'asl-validator';
import * as errors from '../../functions/shared/errors';
import { localFunctionArn, TASK_FUNCTIONS } from '../../local/task-functions';
import { type AslState, allStates, placeholdersOf, readAsl, substitute } from '../../statemachine/definition';

const text = readAsl();
const definition = JSON.parse(text) as { States: Record<string, AslState> };
const states = allStates(definition);
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
];
type RetryRule = { ErrorEquals: string[] } & Record<string, unknown>;
const tasks = [...states].filter(([, state]) => state.Type === 'Task');
const retryOf = (state: AslState) => (state.Retry ?? []) as RetryRule[];
/** The rules every Task state's retry policy begins with, in this order. */
const SHARED_RETRY: RetryRule[] = [
  {
    ErrorEquals: LAMBDA_SERVICE_ERRORS,
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 30,
    JitterStrategy: 'FULL',
  },
  {
    ErrorEquals: ['Lambda.Unknown', 'States.Timeout'],
    IntervalSeconds: 5,
    MaxAttempts: 2,
    BackoffRate: 2,
    MaxDelaySeconds: 30,
    JitterStrategy: 'FULL',
  },
];
/** The one shape of a rule retrying a task's own transient errors (a DRS outage, a job DRS does not list yet). */
const TASK_ERROR_RETRY = {
  IntervalSeconds: 5,
  MaxAttempts: 6,
  BackoffRate: 2,
  MaxDelaySeconds: 60,
  JitterStrategy: 'FULL',
};

describe('statemachine/recovery-plan.asl.json', () => {
  it('passes asl-validator (JSONPath) once its placeholders are filled', () => {
    const filled = JSON.parse(
      substitute(text, Object.fromEntries(Object.keys(TASK_FUNCTIONS).map((n) => [n, localFunctionArn(n)]))),
    );
    const { isValid, errorsText } = aslValidator(filled);
    expect(errorsText()).toBe('');
    expect(isValid).toBe(true);
  });

  it('uses no JSONata or Assign, which the local engine cannot run', () => {
    expect(text).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"|"Assign"\s*:|\{%/);
  });

  it('has placeholders that the local runner binds exactly, both ways', () => {
    expect([...placeholdersOf(text)].sort()).toEqual(Object.keys(TASK_FUNCTIONS).sort());
  });

  it('refuses substitutions that leave a placeholder unbound or bind one the file does not use', () => {
    const some = { BeginExecutionFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:x' };
    expect(() => substitute(text, some)).toThrow(/unbound placeholders \[StartWaveFunctionArn/);
    const extra = Object.fromEntries([...placeholdersOf(text), 'SurplusArn'].map((n) => [n, 'x']));
    expect(() => substitute(text, extra)).toThrow('unused substitutions [SurplusArn]');
  });

  it('names only error classes the task code exports in Retry and Catch', () => {
    const exported = new Set(
      Object.values(errors).map((E) => new (E as new (m: string[] & string) => Error)([] as never).name),
    );
    const named = [...states.values()].flatMap((state) =>
      [
        ...((state.Retry ?? []) as { ErrorEquals: string[] }[]),
        ...(((state as { Catch?: unknown[] }).Catch ?? []) as { ErrorEquals: string[] }[]),
      ].flatMap((rule) => rule.ErrorEquals),
    );
    const ours = named.filter((name) => !name.startsWith('States.') && !name.startsWith('Lambda.'));
    expect(ours.length).toBeGreaterThan(0);
    for (const name of ours) expect(exported).toContain(name);
  });

  it('retries the Lambda service errors with backoff and jitter on every task', () => {
    for (const [name, state] of states) {
      if (state.Type !== 'Task') continue;
      const retry = (state.Retry ?? []) as {
        ErrorEquals: string[];
        JitterStrategy?: string;
        MaxDelaySeconds?: number;
      }[];
      const lambdaRule = retry.find((rule) => LAMBDA_SERVICE_ERRORS.every((e) => rule.ErrorEquals.includes(e)));
      expect({ name, lambdaRule: lambdaRule !== undefined }).toEqual({ name, lambdaRule: true });
      expect(lambdaRule?.JitterStrategy).toBe('FULL');
    }
  });

  it("begins every task's retry policy with the same Lambda service error and timeout rules", () => {
    expect(tasks.length).toBeGreaterThan(0);
    for (const [name, state] of tasks) {
      expect({ name, shared: retryOf(state).slice(0, SHARED_RETRY.length) }).toEqual({ name, shared: SHARED_RETRY });
    }
  });

  it("retries only the DRS tasks' own transient errors beyond that, each with the same rule", () => {
    const own = Object.fromEntries(
      tasks.map(([name, state]) => {
        const rules = retryOf(state).slice(SHARED_RETRY.length);
        for (const { ErrorEquals, ...rule } of rules) expect({ name, rule }).toEqual({ name, rule: TASK_ERROR_RETRY });
        return [name, rules.flatMap((rule) => rule.ErrorEquals)];
      }),
    );
    expect(own).toEqual({
      'Validate plan and record execution': ['DrsUnavailable'],
      'Start wave recovery': ['DrsUnavailable', 'WaveJobNotYetVisible'],
      'Check the wave': ['DrsUnavailable', 'JobNotFound'],
      'Record plan completed': [],
      'Record the failure': [],
    });
  });

  it('catches every failure outside the wave loop so it is recorded before the execution fails', () => {
    for (const [name, state] of Object.entries(definition.States)) {
      if (state.Type !== 'Task' && state.Type !== 'Map') continue;
      const caught = ((state as { Catch?: { ErrorEquals: string[]; Next: string }[] }).Catch ?? []).find((c) =>
        c.ErrorEquals.includes('States.ALL'),
      );
      expect({ name, next: caught?.Next }).toEqual({
        name,
        next: name === 'Record the failure' ? 'Plan failed (not recorded)' : 'Record the failure',
      });
    }
  });

  it('fails the wave with WaveFailed or WaveTimedOut and a cause from the classifier', () => {
    expect(states.get('Wave failed')).toMatchObject({
      Type: 'Fail',
      Error: 'WaveFailed',
      CausePath: '$.progress.cause',
    });
    expect(states.get('Wave timed out')).toMatchObject({
      Type: 'Fail',
      Error: 'WaveTimedOut',
      CausePath: '$.progress.cause',
    });
  });

  it('runs the waves one at a time, in order', () => {
    expect(states.get('Recover waves in order')).toMatchObject({
      Type: 'Map',
      MaxConcurrency: 1,
      ItemsPath: '$.waves',
    });
  });
});
