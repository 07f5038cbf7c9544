import aslValidator from 'asl-validator';
import type { BeginExecutionResult } from '../../functions/begin-execution/begin-execution';
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
      // admit-wave's WAKE step: an ordinary Lambda task (a verdict recorded, an admission round), retried as one.
      'Wake waiting waves',
    ]);
    for (const [name, state] of lambdaTasks)
      expect({ name, retry: state.Retry }).toEqual({ name, retry: RETRY_POLICY });
  });

  it("gives every token wait the policy's first two rules, without States.Timeout: its timeout is a deadline or a fallback", () => {
    // The three waits: admission (its timeout re-asks), the approval gate (ApprovalTimedOut), the launch (checks DRS).
    expect(tokenWaits.map(([name]) => name).sort()).toEqual([
      'Await approval',
      'Wait for dependencies and room',
      'Wait for launch',
    ]);
    for (const [name, state] of tokenWaits) {
      expect({ name, retry: state.Retry }).toEqual({
        name,
        retry: [
          RETRY_POLICY[0],
          {
            ...RETRY_POLICY[1],
            ErrorEquals: ['Lambda.Unknown', 'Sandbox.Timedout', 'Runtime.ExitError', 'Runtime.OutOfMemory'],
          },
        ],
      });
      // Its timeout goes to its own Catch (first, before States.ALL), never to a retry.
      const catches = (state as { Catch?: { ErrorEquals: string[] }[] }).Catch ?? [];
      expect({ name, first: catches[0]?.ErrorEquals }).toEqual({ name, first: ['States.Timeout'] });
    }
  });

  describe('the approval gate (a task-token wait)', () => {
    const gate = states.get('Await approval') as AslState & {
      Parameters: { FunctionName: string; Payload: Record<string, string> };
      TimeoutSecondsPath?: string;
      TimeoutSeconds?: number;
      Catch: { ErrorEquals: string[]; Next: string }[];
    };

    it("is one of the token waits, and invokes the gate function with this attempt's token", () => {
      expect(tokenWaits.map(([name]) => name)).toContain('Await approval');
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
    for (const [phase, name] of [
      ['pre', 'Pre-wave action failed'],
      ['post', 'Post-wave action failed'],
    ] as const) {
      // The phase's FAILED answer is the only way in; the verdict then wakes the waiting waves like any other.
      expect(states.get(`Run ${phase}-wave action?`)).toMatchObject({
        Choices: expect.arrayContaining([{ Variable: '$.Payload.next', StringEquals: 'FAILED', Next: name }]),
      });
      expect(states.get(name)).toEqual({
        Type: 'Pass',
        Parameters: {
          'waveIndex.$': '$.wave.index',
          status: 'FAILED',
          error: 'WaveActionFailed',
          'cause.$': '$.Payload.cause',
        },
        ResultPath: '$.verdict',
        Next: 'Wake waiting waves',
      });
    }
    // Before the launch: the pre-wave phase's DONE is the only way to "Start wave recovery" after the gate's actions.
    expect(states.get('Run pre-wave action?')).toMatchObject({
      Choices: expect.arrayContaining([
        { Variable: '$.Payload.next', StringEquals: 'DONE', Next: 'Start wave recovery' },
      ]),
    });
    // After it: post-wave actions run only once the wave launched (COMPLETED), and their DONE is the wave's COMPLETED.
    expect(states.get('Wave launched?')).toMatchObject({
      Choices: expect.arrayContaining([
        { Variable: '$.progress.status', StringEquals: 'COMPLETED', Next: 'Post-wave actions?' },
      ]),
    });
    expect(states.get('Run post-wave action?')).toMatchObject({
      Choices: expect.arrayContaining([{ Variable: '$.Payload.next', StringEquals: 'DONE', Next: 'Wave recovered' }]),
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

    /** Every state an iteration's state may go to next: Next, a Choice's branches and default, its Catches. */
    const successors = (state: AslState) => {
      const s = state as {
        Next?: string;
        Default?: string;
        Choices?: { Next: string }[];
        Catch?: { Next: string }[];
      };
      return [s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next), ...(s.Catch ?? []).map((c) => c.Next)].filter(
        (next): next is string => next !== undefined,
      );
    };
    const into = (target: string) =>
      iteration
        .filter(([, state]) => successors(state).includes(target))
        .map(([name]) => name)
        .sort();
    const VERDICT_STATES = [
      'Approval timed out',
      'Post-wave action failed',
      'Pre-wave action failed',
      'Unexpected verdict',
      'Wave ended with an error',
      'Wave failed',
      'Wave not started',
      'Wave recovered',
      'Wave timed out',
    ];

    it("catches every error of an iteration's tasks into the wave's verdict (an action invoke: into its record)", () => {
      const tasksOfIteration = iteration.filter(([, state]) => state.Type === 'Task');
      expect(tasksOfIteration.length).toBeGreaterThan(0);
      for (const [name, state] of tasksOfIteration) {
        const catches = (state as { Catch?: { ErrorEquals: string[]; ResultPath?: string; Next: string }[] }).Catch;
        const last = catches?.[catches.length - 1];
        const expected = name.startsWith('Invoke ')
          ? { ErrorEquals: ['States.ALL'], ResultPath: '$.actionResult', Next: name.replace('Invoke', 'Record') }
          : name === 'Wake waiting waves'
            ? // The verdict is already made: a failed wake-up leaves the waiting waves to their fallback timeout.
              { ErrorEquals: ['States.ALL'], ResultPath: '$.wakeFailure', Next: 'Wave ended' }
            : { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Wave ended with an error' };
        expect({ name, last }).toEqual({ name, last: expected });
      }
    });

    it('ends every path with a verdict naming the wave, then "Wake waiting waves", then "Wave ended" returning it', () => {
      // One end: "Wave ended", whose output is the verdict alone; only "Wake waiting waves" leads there, done or failed.
      expect(iteration.filter(([, state]) => (state as { End?: boolean }).End).map(([name]) => name)).toEqual([
        'Wave ended',
      ]);
      expect(map.ItemProcessor.States['Wave ended']).toEqual({
        Type: 'Pass',
        Comment: expect.any(String),
        OutputPath: '$.verdict',
        End: true,
      });
      expect(into('Wave ended')).toEqual(['Wake waiting waves']);
      const wake = map.ItemProcessor.States['Wake waiting waves'] as AslState & { Parameters: Record<string, string> };
      expect(wake.Resource).toBe(['$', '{AdmitWaveFunctionArn}'].join(''));
      expect(wake.Parameters).toMatchObject({
        step: 'WAKE',
        'executionId.$': '$.executionId',
        'verdict.$': '$.verdict',
      });
      expect(successors(wake)).toEqual(['Wave ended', 'Wave ended']);
      // Only the verdict states lead to it, and each sets $.verdict naming the wave and a verdict status, then goes there.
      expect(into('Wake waiting waves')).toEqual(VERDICT_STATES);
      for (const name of VERDICT_STATES) {
        const state = map.ItemProcessor.States[name] as AslState & {
          Parameters: Record<string, unknown>;
          ResultPath?: string;
          Next?: string;
        };
        expect({ name, type: state.Type, wave: state.Parameters['waveIndex.$'], at: state.ResultPath }).toEqual({
          name,
          type: 'Pass',
          wave: '$.wave.index',
          at: '$.verdict',
        });
        expect(WAVE_VERDICT_STATUSES).toContain(state.Parameters.status);
        expect(successors(state)).toEqual(['Wake waiting waves']);
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
      const admit = states.get('Wait for dependencies and room') as AslState & {
        Parameters: { FunctionName: string; Payload: Record<string, unknown> };
        ResultPath?: string;
        Next?: string;
        Catch: { ErrorEquals: string[]; ResultPath?: string; Next: string }[];
      };
      // A token wait over admit-wave's ADMIT step: answered at once, or woken later by a verdict's admission round.
      expect(admit.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect(admit.Parameters.FunctionName).toBe(['$', '{AdmitWaveFunctionArn}'].join(''));
      expect(admit.Parameters.Payload).toMatchObject({
        step: 'ADMIT',
        'executionId.$': '$.executionId',
        wave: { 'index.$': '$.wave.index', 'name.$': '$.wave.name' },
        'dependencies.$': '$.dependencies',
        'scheduling.$': '$.scheduling',
        'taskToken.$': '$$.Task.Token',
      });
      expect(admit.ResultPath).toBe('$.admission');
      expect(admit.Next).toBe('May the wave start?');
      // Its timeout is the fallback (no wake-up came): it asks again; any other error is the wave's verdict.
      expect(admit.Catch).toEqual([
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.admissionTimeout', Next: 'Wait for dependencies and room' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Wave ended with an error' },
      ]);
      expect(map.ItemSelector).toMatchObject({ 'dependencies.$': '$.dependencies', 'scheduling.$': '$.scheduling' });
      expect(states.get('May the wave start?')).toMatchObject({
        Choices: [
          expect.objectContaining({ Next: 'Start wave recovery' }),
          { Variable: '$.admission.decision', StringEquals: 'START', Next: 'Approval gate?' },
          { Variable: '$.admission.decision', StringEquals: 'NOT_STARTED', Next: 'Wave not started' },
        ],
        Default: 'Unexpected verdict',
      });
      expect(verdict('Wave not started')).toEqual({ 'waveIndex.$': '$.wave.index', status: 'NOT_STARTED' });
      // Nothing else enters the iteration's waits before the wave is admitted.
      expect(into('May the wave start?')).toEqual(['Wait for dependencies and room']);
      expect(into('Approval gate?')).toEqual(['May the wave start?']);
    });

    it('after a refused claim waits for room again, then starts without its gate and pre-wave actions again', () => {
      const start = map.ItemProcessor.States['Start wave recovery'] as AslState & {
        Catch: { ErrorEquals: string[]; ResultPath?: string; Next: string }[];
      };
      // The refusal (room taken while the wave was at its gate or ran its actions; or it can never start) is marked.
      expect(start.Catch[0]).toEqual({
        ErrorEquals: ['WaveWaitingForCapacity', 'WaveNotStartable'],
        ResultPath: '$.refusal',
        Next: 'Wait for dependencies and room',
      });
      // Only that Catch writes the mark, so a first START never carries it.
      const marking = iteration.filter(([, state]) =>
        [
          (state as { ResultPath?: string }).ResultPath,
          ...((state as { Catch?: { ResultPath?: string }[] }).Catch ?? []).map((c) => c.ResultPath),
        ].some((path) => path === '$.refusal' || path === '$'),
      );
      expect(marking.map(([name]) => name)).toEqual(['Start wave recovery']);
      for (const [name, state] of iteration) {
        const params = JSON.stringify((state as { Parameters?: unknown }).Parameters ?? {});
        expect({ name, writesMark: /"refusal(\.\$)?"/.test(params) }).toEqual({ name, writesMark: false });
      }
      // A START with the mark goes straight to the start, before the plain START's branch (a Choice takes the first match);
      // NOT_STARTED ends the wave, marked or not.
      const choices = (states.get('May the wave start?') as unknown as { Choices: Record<string, unknown>[] }).Choices;
      expect(choices[0]).toEqual({
        And: [
          { Variable: '$.admission.decision', StringEquals: 'START' },
          { Variable: '$.refusal', IsPresent: true },
        ],
        Next: 'Start wave recovery',
      });
      expect(choices.slice(1)).toEqual([
        { Variable: '$.admission.decision', StringEquals: 'START', Next: 'Approval gate?' },
        { Variable: '$.admission.decision', StringEquals: 'NOT_STARTED', Next: 'Wave not started' },
      ]);
      // The start is entered after the pre-wave phase, from the gate's route when there is no action, or after a refusal.
      expect(into('Start wave recovery')).toEqual(['May the wave start?', 'Pre-wave actions?', 'Run pre-wave action?']);
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

  it("runs the waves in parallel, as many at once as begin-execution's maxConcurrency, items keeping their plan index", () => {
    const map = states.get('Recover waves in order') as AslState & {
      MaxConcurrency?: number;
      MaxConcurrencyPath?: string;
      ItemsPath?: string;
      ItemSelector: Record<string, string>;
    };
    // begin-execution's result is the state (no ResultPath): its maxConcurrency (min(40, maxConcurrentWaves or the
    // wave count)) bounds the iterations, its waves (topological order, each with its plan index) are the items.
    expect((states.get('Validate plan and record execution') as { ResultPath?: unknown }).ResultPath).toBeUndefined();
    // Typed against begin-execution's result: renaming either field there breaks this test's compilation.
    const read = { maxConcurrency: '$.maxConcurrency', waves: '$.waves' } satisfies Partial<
      Record<keyof BeginExecutionResult, string>
    >;
    expect(map).toMatchObject({ Type: 'Map', MaxConcurrencyPath: read.maxConcurrency, ItemsPath: read.waves });
    expect(map.MaxConcurrency).toBeUndefined();
    // The item is the wave itself; its position is not its plan index, so nothing reads the Map's item index.
    expect(map.ItemSelector['wave.$']).toBe('$$.Map.Item.Value');
    expect(text).not.toContain('$$.Map.Item.Index');
    const { ItemProcessor } = map as unknown as { ItemProcessor: { States: Record<string, unknown> } };
    expect(JSON.stringify(ItemProcessor)).toContain('"waveIndex.$":"$.wave.index"');
  });
});
