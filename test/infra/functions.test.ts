import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import {
  ENV,
  readApiEnv,
  readApprovalEnv,
  readEventsEnv,
  readLaunchWaitEnv,
  readTaskEnv,
} from '../../functions/shared/env';
import type { OrchestratorFunction } from '../../infra/constructs/orchestrator-function';
import {
  TASK_TIMEOUT_MARGIN_SECONDS,
  TOKEN_WAIT_FUNCTION_TIMEOUT_SECONDS,
  taskConstructId,
  taskTimeoutsOf,
} from '../../infra/constructs/task-functions';
import { type AslState, allStates, readAsl } from '../../statemachine/definition';
import { actionsOf, resourcesOf, statementsOfRole, synthesize } from './synth';

// The one suite that bundles the functions for real (esbuild, locally).
const { app, stack, template } = synthesize({ bundle: true });
const functions = resourcesOf(template, 'AWS::Lambda::Function');
const logGroups = resourcesOf(template, 'AWS::Logs::LogGroup');
const roles = resourcesOf(template, 'AWS::IAM::Role');
const id = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

const orchestratorFunctions: Record<string, OrchestratorFunction> = {
  ...Object.fromEntries(Object.entries(stack.tasks.functions).map(([p, fn]) => [taskConstructId(p), fn])),
  ...Object.fromEntries(Object.entries(stack.drillCleanup.functions).map(([p, fn]) => [taskConstructId(p), fn])),
  ExecutionEvents: stack.executionEvents.handler,
  LaunchEvents: stack.launchEvents.handler,
  Api: stack.api.handler,
};
const ref = (construct: { node: { defaultChild?: unknown } }) => ({ Ref: id(construct) });
const executionsTable = ref(stack.records.executions);
const expectedEnvironment: Record<string, Record<string, unknown>> = {
  BeginExecution: { EXECUTIONS_TABLE_NAME: executionsTable, PLANS_TABLE_NAME: ref(stack.records.plans) },
  StartWave: { EXECUTIONS_TABLE_NAME: executionsTable },
  ClassifyWave: { EXECUTIONS_TABLE_NAME: executionsTable },
  FinishExecution: { EXECUTIONS_TABLE_NAME: executionsTable },
  RequestApproval: { EXECUTIONS_TABLE_NAME: executionsTable, NOTIFICATION_TOPIC_ARN: ref(stack.notifications.topic) },
  WaveActions: { EXECUTIONS_TABLE_NAME: executionsTable },
  TerminateDrillInstances: { EXECUTIONS_TABLE_NAME: executionsTable },
  CheckDrillCleanup: { EXECUTIONS_TABLE_NAME: executionsTable },
  AwaitLaunch: { EXECUTIONS_TABLE_NAME: executionsTable },
  AdmitWave: { EXECUTIONS_TABLE_NAME: executionsTable },
  LaunchEvents: { EXECUTIONS_TABLE_NAME: executionsTable },
  ExecutionEvents: {
    EXECUTIONS_TABLE_NAME: executionsTable,
    NOTIFICATION_TOPIC_ARN: ref(stack.notifications.topic),
    STATE_MACHINE_ARN: ref(stack.workflow.stateMachine),
    CLEANUP_STATE_MACHINE_ARN: ref(stack.drillCleanup.stateMachine),
    REPORTS_BUCKET_NAME: ref(stack.reports.bucket),
  },
  Api: {
    EXECUTIONS_TABLE_NAME: executionsTable,
    PLANS_TABLE_NAME: ref(stack.records.plans),
    STATE_MACHINE_ARN: ref(stack.workflow.stateMachine),
    CLEANUP_STATE_MACHINE_ARN: ref(stack.drillCleanup.stateMachine),
  },
};
const fnProps = (name: string) => {
  const fn = orchestratorFunctions[name] as OrchestratorFunction;
  return functions[id(fn.function)]?.Properties as Record<string, unknown>;
};

describe('the Lambda functions', () => {
  it("are the workflow and cleanup tasks, the execution-events and launch-events handlers, the API handler and CDK's console deployment, nothing else", () => {
    expect(Object.keys(orchestratorFunctions).sort()).toEqual(Object.keys(expectedEnvironment).sort());
    // The web console's BucketDeployment: aws-cdk-lib's own function, run by CloudFormation at deploy time.
    const deployment = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    expect(Object.keys(functions).sort()).toEqual(
      [
        ...Object.values(orchestratorFunctions).map((fn) => id(fn.function)),
        id(deployment as { node: { defaultChild?: unknown } }),
      ].sort(),
    );
  });

  it.each(Object.keys(expectedEnvironment))('%s runs Node.js 24 on arm64 with active X-Ray tracing', (name) => {
    const props = fnProps(name);
    expect(props.Runtime).toBe('nodejs24.x');
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.Handler).toBe('index.handler');
  });

  it.each(Object.keys(expectedEnvironment))('%s has a timeout of 29-60 s and 256-512 MB', (name) => {
    const props = fnProps(name);
    expect(props.Timeout).toBeGreaterThanOrEqual(29);
    expect(props.Timeout).toBeLessThanOrEqual(60);
    expect(props.MemorySize).toBeGreaterThanOrEqual(256);
    expect(props.MemorySize).toBeLessThanOrEqual(512);
  });

  it.each(Object.keys(expectedEnvironment))('%s has exactly the environment its code reads', (name) => {
    expect((fnProps(name).Environment as { Variables: unknown }).Variables).toEqual({
      POWERTOOLS_SERVICE_NAME: 'drs-orchestrator',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_NAMESPACE: 'DrsOrchestrator',
      NODE_OPTIONS: '--enable-source-maps',
      ...expectedEnvironment[name],
    });
  });

  const readerOf: Record<string, (env: NodeJS.ProcessEnv) => unknown> = {
    BeginExecution: readTaskEnv,
    StartWave: readTaskEnv,
    ClassifyWave: readTaskEnv,
    FinishExecution: readTaskEnv,
    WaveActions: readTaskEnv,
    TerminateDrillInstances: readTaskEnv,
    CheckDrillCleanup: readTaskEnv,
    ExecutionEvents: readEventsEnv,
    Api: readApiEnv,
    RequestApproval: readApprovalEnv,
    AwaitLaunch: readLaunchWaitEnv,
    AdmitWave: readLaunchWaitEnv,
    LaunchEvents: readLaunchWaitEnv,
  };

  it.each(Object.keys(expectedEnvironment))('%s is given every variable its env schema requires', (name) => {
    const variables = (fnProps(name).Environment as { Variables: Record<string, unknown> }).Variables;
    // Tokens stand for their deployed values; the Lambda runtime adds AWS_REGION itself.
    const deployed = Object.fromEntries(
      Object.entries(variables).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
    );
    expect(() => readerOf[name]?.({ ...deployed, [ENV.region]: 'us-east-1' })).not.toThrow();
    expect(readerOf[name]).toBeDefined();
  });

  it.each(Object.keys(expectedEnvironment))(
    '%s logs to its own log group, kept three months and deleted with the stack',
    (name) => {
      const fn = orchestratorFunctions[name] as OrchestratorFunction;
      const logGroupId = id(fn.logGroup);
      expect(fnProps(name).LoggingConfig).toEqual({ LogGroup: { Ref: logGroupId } });
      expect(logGroups[logGroupId]?.Properties.RetentionInDays).toBe(90);
      expect(logGroups[logGroupId]?.DeletionPolicy).toBe('Delete');
    },
  );

  it.each(Object.keys(expectedEnvironment))('%s has its own role that may write only to its own log group', (name) => {
    const fn = orchestratorFunctions[name] as OrchestratorFunction;
    expect(fnProps(name).Role).toEqual({ 'Fn::GetAtt': [id(fn.role), 'Arn'] });
    const others = Object.values(orchestratorFunctions).filter((other) => other !== fn);
    expect(new Set(others.map((other) => id(other.role)))).not.toContain(id(fn.role));
    const logStatements = statementsOfRole(template, id(fn.role)).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('logs:')),
    );
    expect(logStatements).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [id(fn.logGroup), 'Arn'] },
      },
    ]);
  });

  it('attach no AWS managed policy, except the DRS post-launch actions policy to the start-wave role', () => {
    const managed = Object.fromEntries(
      Object.values(orchestratorFunctions).map((fn) => [id(fn.role), roles[id(fn.role)]?.Properties.ManagedPolicyArns]),
    );
    const startWave = id(orchestratorFunctions.StartWave?.role as never);
    for (const [roleId, arns] of Object.entries(managed)) {
      if (roleId === startWave) {
        expect(JSON.stringify(arns)).toContain(':iam::aws:policy/AWSElasticDisasterRecoveryLaunchActionsPolicy');
        expect(arns).toHaveLength(1);
      } else {
        expect(arns).toBeUndefined();
      }
    }
  });

  it("times out well before its Task state, so a slow attempt ends as the function's timeout and is retried", () => {
    const states = allStates(JSON.parse(readAsl()) as { States: Record<string, AslState> });
    // Our task functions: a token wait's timeout is a decision's deadline, not its invocation's (checked below);
    // the wave actions' invoke states run the operator's functions, with the action's own timeout.
    const tasks = [...states.entries()].filter(
      ([, state]) =>
        state.Type === 'Task' &&
        !state.Resource?.endsWith('.waitForTaskToken') &&
        state.Resource !== 'arn:aws:states:::lambda:invoke',
    );
    expect(tasks.length).toBeGreaterThan(0);
    for (const [stateName, state] of tasks) {
      const placeholder = /^\$\{(\w+)\}$/.exec(state.Resource ?? '')?.[1] as string;
      const stateTimeout = (state as { TimeoutSeconds?: number }).TimeoutSeconds;
      const timeout = fnProps(taskConstructId(placeholder)).Timeout as number;
      // The state's timer covers the invoke's overhead too: the function's timeout comes first, by the margin.
      expect({ stateName, stateTimeout: stateTimeout ?? 'none', timeout }).toEqual({
        stateName,
        stateTimeout: timeout + TASK_TIMEOUT_MARGIN_SECONDS,
        timeout,
      });
      // Sandbox.Timedout (the function's timeout) is what the workflow retries it as.
      const retried = ((state.Retry ?? []) as { ErrorEquals: string[] }[]).flatMap((rule) => rule.ErrorEquals);
      expect({ stateName, retried }).toEqual({ stateName, retried: expect.arrayContaining(['Sandbox.Timedout']) });
    }
  });
});

describe('the approval gate function', () => {
  it('has a timeout of its own: its state waits for a decision, up to a week, not for the function', () => {
    expect(fnProps('RequestApproval').Timeout).toBe(TOKEN_WAIT_FUNCTION_TIMEOUT_SECONDS);
  });
});

describe("a token wait's function", () => {
  const states = [...allStates(JSON.parse(readAsl()) as { States: Record<string, AslState> }).entries()];
  const placeholderOf = (resource: string | undefined) => /^\$\{(\w+)\}$/.exec(resource ?? '')?.[1];
  const tokenWaits = states.filter(
    ([, state]) => state.Type === 'Task' && state.Resource?.endsWith('.waitForTaskToken'),
  );
  const invokedBy = (state: AslState) =>
    placeholderOf((state as { Parameters?: { FunctionName?: string } }).Parameters?.FunctionName) as string;

  it("takes its budget from a plain Task that invokes it too, else its own: the wait's timeout is a fallback or deadline", () => {
    expect(tokenWaits.map(([name]) => name).sort()).toEqual([
      'Await approval',
      'Wait for dependencies and room',
      'Wait for launch',
    ]);
    for (const [stateName, wait] of tokenWaits) {
      const placeholder = invokedBy(wait);
      const plainTimeouts = states
        .filter(([, state]) => state.Type === 'Task' && placeholderOf(state.Resource) === placeholder)
        .map(([, state]) => (state as { TimeoutSeconds?: number }).TimeoutSeconds as number);
      const timeout = fnProps(taskConstructId(placeholder)).Timeout;
      expect({ stateName, timeout }).toEqual({
        stateName,
        timeout:
          plainTimeouts.length > 0
            ? Math.min(...plainTimeouts) - TASK_TIMEOUT_MARGIN_SECONDS
            : TOKEN_WAIT_FUNCTION_TIMEOUT_SECONDS,
      });
    }
    // admit-wave: "Wait for dependencies and room" (ADMIT) and "Wake waiting waves" (WAKE) run the same admission
    // round, so the wait's 900 s fallback neither lends it time nor cuts it to the token-wait default.
    expect(fnProps('AdmitWave').Timeout).toBe(
      ((new Map(states).get('Wake waiting waves') as { TimeoutSeconds?: number }).TimeoutSeconds as number) -
        TASK_TIMEOUT_MARGIN_SECONDS,
    );
  });

  it('waits longer than its function can run, so a slow attempt ends as Sandbox.Timedout (retried), not as the fallback', () => {
    for (const [stateName, wait] of tokenWaits) {
      const fixed = (wait as { TimeoutSeconds?: number }).TimeoutSeconds;
      // A TimeoutSecondsPath (the gate's deadline, the launch fallback) is data: the plan rules and the poll schedule bound it.
      if (fixed === undefined) continue;
      const timeout = fnProps(taskConstructId(invokedBy(wait))).Timeout as number;
      expect({ stateName, longer: fixed > timeout + TASK_TIMEOUT_MARGIN_SECONDS }).toEqual({ stateName, longer: true });
    }
  });

  it('refuses a definition whose token wait would time out before its function', () => {
    const admitWave = ['$', '{AdmitWaveFunctionArn}'].join('');
    const definition = (waitTimeout: number) =>
      JSON.stringify({
        StartAt: 'Wake',
        States: {
          Wake: { Type: 'Task', Resource: admitWave, TimeoutSeconds: 60, Next: 'Wait' },
          Wait: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: admitWave },
            TimeoutSeconds: waitTimeout,
            End: true,
          },
        },
      });
    expect(taskTimeoutsOf(definition(900))).toEqual({ AdmitWaveFunctionArn: 45 });
    expect(() => taskTimeoutsOf(definition(60))).toThrow(
      "Task state 'Wait' waits for a token with a TimeoutSeconds of 60: it needs more than its function's 45 s",
    );
  });
});

describe('the bundles', () => {
  const assembly = app.synth();
  const bundleOf = (name: string) => {
    const key = (fnProps(name).Code as { S3Key: string }).S3Key;
    return join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
  };

  it.each(Object.keys(expectedEnvironment))('%s is one minified index.js with its source map', (name) => {
    const dir = bundleOf(name);
    expect(readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
    const code = readFileSync(join(dir, 'index.js'), 'utf8');
    // Minified: long lines (the few line breaks left are inside string literals).
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
    expect(code).toContain('sourceMappingURL=index.js.map');
  });

  it('keep the class names of the errors the workflow retries on, in the tasks that throw them', () => {
    // Every task shares one retry policy; these are the tasks whose code throws each of its own names.
    const thrownBy: Record<string, string[]> = {
      DrsUnavailable: ['BeginExecution', 'StartWave', 'ClassifyWave'],
      JobNotFound: ['ClassifyWave'],
      WaveJobNotYetVisible: ['StartWave'],
    };
    const states = allStates(JSON.parse(readAsl()) as { States: Record<string, AslState> });
    const retried = new Set(
      [...states.values()]
        .filter((state) => state.Type === 'Task')
        .flatMap((state) => ((state.Retry ?? []) as { ErrorEquals: string[] }[]).flatMap((rule) => rule.ErrorEquals))
        .filter((name) => !/^(States|Lambda|Sandbox|Runtime)\./.test(name)),
    );
    expect([...retried].sort()).toEqual(Object.keys(thrownBy).sort());
    for (const [name, tasks] of Object.entries(thrownBy)) {
      for (const task of tasks) {
        const code = readFileSync(join(bundleOf(task), 'index.js'), 'utf8');
        // esbuild's keepNames: `static{__name(this,"JobNotFound")}` on the minified class.
        expect({ task, name, kept: new RegExp(`\\(this,"${name}"\\)`).test(code) }).toEqual({
          task,
          name,
          kept: true,
        });
      }
    }
  });
});

describe('DRS quota overrides', () => {
  it("give the first task and the API the account's quotas from context", () => {
    const { stack: custom, template: customTemplate } = synthesize({
      context: { drsMaxServersPerJob: '50', drsMaxConcurrentJobs: '10' },
    });
    const environmentOf = (fn: OrchestratorFunction) =>
      (
        customTemplate.toJSON().Resources[custom.getLogicalId(fn.function.node.defaultChild as CfnElement)] as {
          Properties: { Environment: { Variables: Record<string, unknown> } };
        }
      ).Properties.Environment.Variables;
    const begin = custom.tasks.functions.BeginExecutionFunctionArn as OrchestratorFunction;
    for (const fn of [begin, custom.api.handler]) {
      expect(environmentOf(fn)).toMatchObject({ DRS_MAX_SERVERS_PER_JOB: '50', DRS_MAX_CONCURRENT_JOBS: '10' });
      expect(environmentOf(fn)).not.toHaveProperty('DRS_MAX_SERVERS_IN_ALL_JOBS');
    }
    const start = custom.tasks.functions.StartWaveFunctionArn as OrchestratorFunction;
    expect(environmentOf(start)).not.toHaveProperty('DRS_MAX_SERVERS_PER_JOB');
  });

  it('refuses a quota that is not a whole number', () => {
    expect(() => synthesize({ context: { drsMaxServersPerJob: 'lots' } })).toThrow(
      'context drsMaxServersPerJob must be a whole number of at least 1 (got "lots")',
    );
  });
});
