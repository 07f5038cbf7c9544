import aslValidator from 'asl-validator';
import * as approvalErrors from '../../functions/shared/approval-errors';
import * as errors from '../../functions/shared/errors';
import { WAVE_VERDICT_STATUSES } from '../../functions/shared/execution-ending';
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
/** Error names Step Functions and Lambda report themselves (a task's own errors are its exported classes). */
const REPORTED_BY_AWS = /^(States|Lambda|Sandbox|Runtime)\./;
type RetryRule = { ErrorEquals: string[] } & Record<string, unknown>;
/** Step Functions' own Lambda integration: the operator's wave action functions, never our task code. */
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const invokes = [...states].filter(([, state]) => state.Type === 'Task' && state.Resource === LAMBDA_INVOKE);
const tasks = [...states].filter(([, state]) => state.Type === 'Task' && state.Resource !== LAMBDA_INVOKE);
/** A task that waits for a task token: its timeout is a decision's deadline, not a crashed attempt (own rules, below). */
const waitsForToken = (state: AslState) => Boolean(state.Resource?.endsWith('.waitForTaskToken'));
const lambdaTasks = tasks.filter(([, state]) => !waitsForToken(state));
const tokenWaits = tasks.filter(([, state]) => waitsForToken(state));
/**
 * The one retry policy of every Task state. A task that never throws one of these names loses
 * nothing by listing it, and one policy cannot drift between tasks.
 */
const RETRY_POLICY: RetryRule[] = [
  {
    // The Lambda service itself (a throttle, a 500): retried for minutes, not seconds, since giving
    // up ends a live recovery whose DRS job runs on. 2, 4, ... 32, then 60 s: at most 662 s in all,
    // 331 s on average with full jitter, so 90 s of throttling is survived (test/e2e/task-crashes.test.ts).
    ErrorEquals: LAMBDA_SERVICE_ERRORS,
    IntervalSeconds: 2,
    MaxAttempts: 15,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
  {
    // Every name under which Step Functions reports a crashed or timed-out Lambda attempt.
    ErrorEquals: ['Lambda.Unknown', 'Sandbox.Timedout', 'Runtime.ExitError', 'Runtime.OutOfMemory', 'States.Timeout'],
    IntervalSeconds: 5,
    MaxAttempts: 2,
    BackoffRate: 2,
    MaxDelaySeconds: 30,
    JitterStrategy: 'FULL',
  },
  {
    // The tasks' own transient errors: a DRS outage, a job DRS does not list yet.
    ErrorEquals: ['DrsUnavailable', 'JobNotFound', 'WaveJobNotYetVisible'],
    IntervalSeconds: 5,
    MaxAttempts: 6,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
];

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
    expect(() => substitute(text, some)).toThrow(/unbound placeholders \[.*StartWaveFunctionArn/);
    const extra = Object.fromEntries([...placeholdersOf(text), 'SurplusArn'].map((n) => [n, 'x']));
    expect(() => substitute(text, extra)).toThrow('unused substitutions [SurplusArn]');
  });

  it('names only error classes the task code exports in Retry and Catch', () => {
    const exported = new Set(
      [...Object.values(errors), ...Object.values(approvalErrors)]
        .filter((E) => typeof E === 'function')
        .map((E) => new (E as new (m: string[] & string) => Error)([] as never).name),
    );
    const named = [...states.values()].flatMap((state) =>
      [
        ...((state.Retry ?? []) as { ErrorEquals: string[] }[]),
        ...(((state as { Catch?: unknown[] }).Catch ?? []) as { ErrorEquals: string[] }[]),
      ].flatMap((rule) => rule.ErrorEquals),
    );
    const ours = named.filter((name) => !REPORTED_BY_AWS.test(name));
    expect(ours.length).toBeGreaterThan(0);
    for (const name of ours) expect(exported).toContain(name);
  });

  it('retries the Lambda service errors with backoff and jitter on every task', () => {
    for (const [name, state] of tasks) {
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

  it('gives every Lambda Task state (all but token waits and action invokes) the same retry policy, in full', () => {
    expect(lambdaTasks.map(([name]) => name).sort()).toEqual([
      'Begin post-wave action',
      'Begin pre-wave action',
      'Check the wave',
      'Record post-wave action',
      'Record pre-wave action',
      'Record the ending',
      'Record the failure',
      'Start wave recovery',
      'Validate plan and record execution',
      'Wait for dependencies and room',
    ]);
    for (const [name, state] of lambdaTasks)
      expect({ name, retry: state.Retry }).toEqual({ name, retry: RETRY_POLICY });
  });

  describe('the approval gate (a task-token wait)', () => {
    const gate = states.get('Await approval') as AslState & {
      Parameters: { FunctionName: string; Payload: Record<string, string> };
      TimeoutSecondsPath?: string;
      TimeoutSeconds?: number;
      Catch: { ErrorEquals: string[]; Next: string }[];
    };

    it("is one of the two token waits (with 'Wait for launch'), and invokes the gate function with this attempt's token", () => {
      expect(tokenWaits.map(([name]) => name).sort()).toEqual(['Await approval', 'Wait for launch']);
      expect(gate.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      // The placeholder, as the file spells it (substituted by the stack and the local runner).
      expect(gate.Parameters.FunctionName).toBe(['$', '{RequestApprovalFunctionArn}'].join(''));
      expect(gate.Parameters.Payload['taskToken.$']).toBe('$$.Task.Token');
    });

    it('retries the Lambda service errors and a crashed attempt, never its own timeout (the decision deadline)', () => {
      const [service, crash, ...rest] = gate.Retry as RetryRule[];
      expect(service).toEqual(RETRY_POLICY[0]);
      expect(crash).toEqual({
        ...RETRY_POLICY[1],
        ErrorEquals: ['Lambda.Unknown', 'Sandbox.Timedout', 'Runtime.ExitError', 'Runtime.OutOfMemory'],
      });
      expect(rest).toEqual([]);
      const retried = (gate.Retry as RetryRule[]).flatMap((rule) => rule.ErrorEquals);
      expect(retried).not.toContain('States.Timeout');
      expect(retried).not.toContain('States.ALL');
    });

    it("waits the plan's timeout and turns its expiry into ApprovalTimedOut", () => {
      expect(gate.TimeoutSecondsPath).toBe('$.wave.approval.timeoutSeconds');
      expect(gate.TimeoutSeconds).toBeUndefined();
      expect(gate.Catch).toEqual([
        expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: 'Approval timed out' }),
        // A rejection (SendTaskFailure ApprovalRejected) and any other error end the wave with a verdict.
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Wave ended with an error' },
      ]);
      expect(states.get('Approval timed out')).toMatchObject({
        Type: 'Pass',
        Parameters: { status: 'FAILED', error: 'ApprovalTimedOut' },
      });
    });

    it("is entered only for a wave with a gate, and leads to the wave's pre-wave actions, then its start", () => {
      expect(states.get('Approval gate?')).toMatchObject({
        Type: 'Choice',
        Choices: [{ Variable: '$.wave.approval', IsPresent: true, Next: 'Await approval' }],
        Default: 'Pre-wave actions?',
      });
      expect(gate.Next).toBe('Pre-wave actions?');
    });
  });

  describe('the launch wait (a task-token wait that launch events end early)', () => {
    const wait = states.get('Wait for launch') as AslState & {
      Parameters: { FunctionName: string; Payload: Record<string, unknown> };
      TimeoutSecondsPath?: string;
      TimeoutSeconds?: number;
      ResultPath?: string;
      Catch: { ErrorEquals: string[]; ResultPath?: string; Next: string }[];
    };

    it("invokes the await-launch function with the wave's job and this attempt's token", () => {
      expect(wait.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the ASL's own placeholder, substituted at deploy
      expect(wait.Parameters.FunctionName).toBe('${AwaitLaunchFunctionArn}');
      expect(wait.Parameters.Payload).toMatchObject({ 'jobId.$': '$.progress.jobId', 'taskToken.$': '$$.Task.Token' });
    });

    it("waits at most the poll schedule's fallback, and checks the wave whether woken or timed out", () => {
      expect(wait.TimeoutSecondsPath).toBe('$.progress.nextPollSeconds');
      expect(wait.TimeoutSeconds).toBeUndefined();
      expect(wait.ResultPath).toBe('$.wake');
      expect(wait.Next).toBe('Check the wave');
      expect(wait.Catch).toEqual([
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.wake', Next: 'Check the wave' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Wave ended with an error' },
      ]);
      expect(
        (states.get('Check the wave') as unknown as { Parameters: Record<string, string> }).Parameters['wake.$'],
      ).toBe('$.wake');
    });

    it('retries the Lambda service errors and a crashed attempt, never its own timeout (the fallback)', () => {
      const [service, crash, ...rest] = wait.Retry as RetryRule[];
      expect(service).toEqual(RETRY_POLICY[0]);
      expect(crash).toEqual({
        ...RETRY_POLICY[1],
        ErrorEquals: ['Lambda.Unknown', 'Sandbox.Timedout', 'Runtime.ExitError', 'Runtime.OutOfMemory'],
      });
      expect(rest).toEqual([]);
    });

    it('is where a LAUNCHING verdict goes back to', () => {
      const choice = states.get('Wave launched?') as unknown as { Choices: { StringEquals?: string; Next: string }[] };
      expect(choice.Choices.find((c) => c.StringEquals === 'LAUNCHING')?.Next).toBe('Wait for launch');
    });
  });

  it("retries an action function's invoke only when Lambda refused it (throttled: the function did not run)", () => {
    expect(invokes.map(([name]) => name).sort()).toEqual(['Invoke post-wave action', 'Invoke pre-wave action']);
    for (const [name, state] of invokes) {
      // Never a crash, a timeout or a Lambda service error: the function may have run, and an action runs at most once.
      expect({ name, retry: state.Retry }).toEqual({
        name,
        retry: [
          {
            ErrorEquals: ['Lambda.TooManyRequestsException'],
            IntervalSeconds: 2,
            MaxAttempts: 15,
            BackoffRate: 2,
            MaxDelaySeconds: 60,
            JitterStrategy: 'FULL',
          },
        ],
      });
      // Every other outcome, an error included, is recorded by the next state, which decides the action's result.
      const record = name.replace('Invoke', 'Record');
      expect(state).toMatchObject({
        Next: record,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.actionResult', Next: record }],
        TimeoutSecondsPath: '$.Payload.action.timeoutSeconds',
        Parameters: { 'FunctionName.$': '$.Payload.functionArn', 'Payload.$': '$.Payload.request' },
      });
    }
  });

  it('reads an action timeout that resolves the same in the state input and in the invoke parameters', () => {
    // Whichever input Step Functions resolves TimeoutSecondsPath against, `$.Payload.action.timeoutSeconds` is there:
    // "Begin ... action" puts its result at $.Payload, and the parameters' Payload is its request, which repeats `action`.
    for (const [name] of invokes) {
      const begin = states.get(name.replace('Invoke', 'Begin')) as AslState & { ResultPath?: string };
      expect({ name, resultPath: begin.ResultPath }).toEqual({ name, resultPath: '$.Payload' });
    }
  });

  it('ends a wave whose action failed with WaveActionFailed, before its launch or after it', () => {
    for (const name of ['Pre-wave action failed', 'Post-wave action failed']) {
      expect(states.get(name)).toMatchObject({
        Type: 'Pass',
        Parameters: { status: 'FAILED', error: 'WaveActionFailed', 'cause.$': '$.Payload.cause' },
        End: true,
      });
    }
    expect(states.get('Run pre-wave action?')).toMatchObject({
      Choices: expect.arrayContaining([expect.objectContaining({ StringEquals: 'DONE', Next: 'Start wave recovery' })]),
    });
    expect(states.get('Run post-wave action?')).toMatchObject({
      Choices: expect.arrayContaining([expect.objectContaining({ StringEquals: 'DONE', Next: 'Wave recovered' })]),
    });
  });

  it('records a failure from its own state, never adding a second copy of the execution input', () => {
    const record = states.get('Record the failure') as AslState & { Parameters: Record<string, string> };
    expect(record.Parameters).toEqual({ 'executionId.$': '$$.Execution.Name', outcome: 'FAILED', 'state.$': '$' });
    expect(JSON.stringify(record)).not.toContain('$$.Execution.Input');
    // Its output is the record alone: the state where it failed is not carried on.
    expect((record as { ResultPath?: unknown }).ResultPath).toBeUndefined();
    expect(states.get('Plan failed')).toMatchObject({ ErrorPath: '$.error', CausePath: '$.cause' });
  });

  it('catches every failure outside the wave loop so it is recorded before the execution fails', () => {
    for (const [name, state] of Object.entries(definition.States)) {
      if (state.Type !== 'Task') continue;
      const caught = ((state as { Catch?: { ErrorEquals: string[]; Next: string }[] }).Catch ?? []).find((c) =>
        c.ErrorEquals.includes('States.ALL'),
      );
      expect({ name, next: caught?.Next }).toEqual({
        name,
        next: name === 'Record the failure' ? 'Plan failed (not recorded)' : 'Record the failure',
      });
    }
  });

  describe('the wave loop (every iteration ends with a verdict, never a failure)', () => {
    const map = definition.States['Recover waves in order'] as AslState & {
      ItemSelector: Record<string, string>;
      ItemProcessor: { StartAt: string; States: Record<string, AslState> };
      ResultPath?: string;
      Catch?: unknown;
    };
    const iteration = Object.entries(map.ItemProcessor.States);
    const verdict = (name: string) =>
      (map.ItemProcessor.States[name] as unknown as { Parameters: Record<string, string> }).Parameters;

    it('has no Fail state in an iteration: an inline Map would stop every other iteration on the first one', () => {
      expect(iteration.filter(([, state]) => state.Type === 'Fail').map(([name]) => name)).toEqual([]);
      expect(map.Catch).toBeUndefined();
      expect(map.ResultPath).toBe('$.verdicts');
    });

    it("catches every error of an iteration's tasks into the wave's verdict (an action invoke: into its record)", () => {
      for (const [name, state] of iteration) {
        if (state.Type !== 'Task') continue;
        const catches = (state as { Catch?: { ErrorEquals: string[]; ResultPath?: string; Next: string }[] }).Catch;
        const last = catches?.[catches.length - 1];
        expect({ name, last }).toEqual({
          name,
          last: name.startsWith('Invoke ')
            ? { ErrorEquals: ['States.ALL'], ResultPath: '$.actionResult', Next: name.replace('Invoke', 'Record') }
            : { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Wave ended with an error' },
        });
      }
    });

    it('ends every path with a verdict naming the wave and one of the verdict statuses, and nothing else', () => {
      const ends = iteration.filter(([, state]) => (state as { End?: boolean }).End);
      expect(ends.length).toBeGreaterThan(0);
      for (const [name, state] of ends) {
        const params = (state as { Parameters?: Record<string, unknown> }).Parameters ?? {};
        expect({ name, type: state.Type, wave: params['waveIndex.$'] }).toEqual({
          name,
          type: 'Pass',
          wave: '$.wave.index',
        });
        expect(WAVE_VERDICT_STATUSES).toContain(params.status);
        expect((state as { ResultPath?: unknown }).ResultPath).toBeUndefined();
      }
      for (const [name, state] of iteration) {
        if (state.Type === 'Succeed') throw new Error(`${name} ends an iteration without a verdict`);
      }
    });

    it('keeps the error names a failed wave ended the execution with', () => {
      expect(verdict('Wave failed')).toEqual({
        'waveIndex.$': '$.wave.index',
        status: 'FAILED',
        error: 'WaveFailed',
        'cause.$': '$.progress.cause',
      });
      expect(verdict('Wave timed out')).toEqual({
        'waveIndex.$': '$.wave.index',
        status: 'TIMED_OUT',
        error: 'WaveTimedOut',
        'cause.$': '$.progress.cause',
      });
      expect(verdict('Unexpected verdict')).toMatchObject({ status: 'FAILED', error: 'UnexpectedVerdict' });
      expect(verdict('Wave ended with an error')).toEqual({
        'waveIndex.$': '$.wave.index',
        status: 'FAILED',
        'failure.$': '$.failure',
      });
      expect(verdict('Wave recovered')).toEqual({ 'waveIndex.$': '$.wave.index', status: 'COMPLETED' });
    });

    it('asks "Wait for dependencies and room" first, and ends a wave that can never start NOT_STARTED', () => {
      expect(map.ItemProcessor.StartAt).toBe('Wait for dependencies and room');
      const admit = states.get('Wait for dependencies and room') as AslState & { Parameters: Record<string, string> };
      expect(admit.Resource).toBe(['$', '{AdmitWaveFunctionArn}'].join(''));
      expect(admit.Parameters).toEqual({
        'executionId.$': '$.executionId',
        'wave.$': '$.wave',
        'dependencies.$': '$.dependencies',
        'scheduling.$': '$.scheduling',
      });
      expect(map.ItemSelector).toMatchObject({ 'dependencies.$': '$.dependencies', 'scheduling.$': '$.scheduling' });
      expect(states.get('May the wave start?')).toMatchObject({
        Choices: [
          { Variable: '$.admission.decision', StringEquals: 'START', Next: 'Approval gate?' },
          { Variable: '$.admission.decision', StringEquals: 'NOT_STARTED', Next: 'Wave not started' },
        ],
        Default: 'Unexpected verdict',
      });
      expect(verdict('Wave not started')).toEqual({ 'waveIndex.$': '$.wave.index', status: 'NOT_STARTED' });
    });

    it("decides the ending after the Map from the verdicts, and fails with the recorded ending's error and cause", () => {
      expect(map.Next).toBe('Record the ending');
      expect((states.get('Record the ending') as unknown as { Parameters: unknown }).Parameters).toEqual({
        'executionId.$': '$.executionId',
        outcome: 'VERDICTS',
        'verdicts.$': '$.verdicts',
      });
      expect(states.get('Every wave recovered?')).toMatchObject({
        Choices: [{ Variable: '$.result.status', StringEquals: 'COMPLETED', Next: 'Plan recovered' }],
        Default: 'Plan did not recover',
      });
      expect(states.get('Plan did not recover')).toMatchObject({
        Type: 'Fail',
        ErrorPath: '$.result.error',
        CausePath: '$.result.cause',
      });
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
