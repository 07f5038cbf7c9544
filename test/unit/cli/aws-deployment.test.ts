import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import {
  type AwsClients,
  executionArnOf,
  followOnAws,
  progressBetween,
  resolveTarget,
  statusOnAws,
} from '../../../cli/aws-deployment';
import type { ExecutionStore } from '../../../functions/shared/execution-store';
import type { ProgressEvent } from '../../../functions/shared/progress-event';
import type { ExecutionResult, WaveResult, WaveStatus } from '../../../functions/shared/types';
import { serverId, startStore, threeWavePlan } from '../../support/store';

const sfn = mockClient(SFNClient);
const cfn = mockClient(CloudFormationClient);
const STATE_MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:drs-orchestrator';
const T0 = new Date('2026-01-01T00:00:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');
const launched = (...ids: string[]) => ids.map((sourceServerID) => ({ sourceServerID, launchStatus: 'LAUNCHED' }));

describe('the CLI against AWS', () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let store: ExecutionStore;
  let clients: AwsClients;
  const target = { stateMachineArn: STATE_MACHINE, executionsTableName: 'executions' };

  beforeAll(async () => {
    local = await startStore('executions');
    store = local.store;
    clients = {
      sfn: new SFNClient({ region: 'us-east-1' }),
      cfn: new CloudFormationClient({ region: 'us-east-1' }),
      // The records are read from dynalite through the real DynamoDB protocol.
      db: local.db,
    };
  });
  afterAll(async () => local.stop());
  beforeEach(() => {
    sfn.reset();
    cfn.reset();
  });

  describe('resolveTarget', () => {
    it("reads the state machine and table from the stack's outputs", async () => {
      cfn.on(DescribeStacksCommand, { StackName: 'DrsOrchestrator' }).resolves({
        Stacks: [
          {
            StackName: 'DrsOrchestrator',
            CreationTime: T0,
            StackStatus: 'CREATE_COMPLETE',
            Outputs: [
              { OutputKey: 'StateMachineArn', OutputValue: STATE_MACHINE },
              { OutputKey: 'ExecutionsTableName', OutputValue: 'DrsOrchestrator-Executions' },
            ],
          },
        ],
      });
      await expect(resolveTarget(clients, { stackName: 'DrsOrchestrator' })).resolves.toEqual({
        stateMachineArn: STATE_MACHINE,
        executionsTableName: 'DrsOrchestrator-Executions',
      });
    });

    it('fails saying what to do when the stack has no such outputs', async () => {
      cfn
        .on(DescribeStacksCommand)
        .resolves({ Stacks: [{ StackName: 'X', CreationTime: T0, StackStatus: 'CREATE_COMPLETE', Outputs: [] }] });
      await expect(resolveTarget(clients, { stackName: 'X' })).rejects.toThrow(
        'pass --state-machine-arn and --table-name',
      );
    });

    it("reads the API's URL from the stack's outputs when asked for it", async () => {
      cfn.on(DescribeStacksCommand, { StackName: 'DrsOrchestrator' }).resolves({
        Stacks: [
          {
            StackName: 'DrsOrchestrator',
            CreationTime: T0,
            StackStatus: 'CREATE_COMPLETE',
            Outputs: [
              { OutputKey: 'StateMachineArn', OutputValue: STATE_MACHINE },
              { OutputKey: 'ApiUrl', OutputValue: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1/' },
              { OutputKey: 'ExecutionsTableName', OutputValue: 'DrsOrchestrator-Executions' },
            ],
          },
        ],
      });
      await expect(
        resolveTarget(clients, { stackName: 'DrsOrchestrator', stateMachineArn: STATE_MACHINE, withApi: true }),
      ).resolves.toEqual({
        stateMachineArn: STATE_MACHINE,
        executionsTableName: 'DrsOrchestrator-Executions',
        apiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1/',
      });
    });

    it('fails saying what to do when the API is asked for and the stack has no ApiUrl output', async () => {
      cfn.on(DescribeStacksCommand).resolves({
        Stacks: [
          {
            StackName: 'X',
            CreationTime: T0,
            StackStatus: 'CREATE_COMPLETE',
            Outputs: [
              { OutputKey: 'StateMachineArn', OutputValue: STATE_MACHINE },
              { OutputKey: 'ExecutionsTableName', OutputValue: 't' },
            ],
          },
        ],
      });
      await expect(resolveTarget(clients, { stackName: 'X', withApi: true })).rejects.toThrow(
        'stack X has no ApiUrl output (a stack deployed before the API): deploy this version (docs/deploy.md) or pass --api-url',
      );
    });

    it('asks nothing of CloudFormation when the state machine, the table and the API are all given', async () => {
      const given = { stateMachineArn: STATE_MACHINE, executionsTableName: 't', apiUrl: 'http://127.0.0.1:1/v1/' };
      await expect(resolveTarget(clients, { stackName: 'X', ...given, withApi: true })).resolves.toEqual(given);
      expect(cfn.calls()).toHaveLength(0);
    });

    it('asks nothing of CloudFormation when both are given', async () => {
      await resolveTarget(clients, { stackName: 'X', stateMachineArn: STATE_MACHINE, executionsTableName: 't' });
      expect(cfn.calls()).toHaveLength(0);
    });
  });

  it('follows an execution wave by wave from the records and returns their result', async () => {
    const id = 'follow-1';
    await store.createExecution({
      executionId: id,
      plan: { ...threeWavePlan(), waves: threeWavePlan().waves.slice(0, 1) },
      executionType: 'DRILL',
      startedAt: T0,
    });
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: 'RUNNING' } as never)
      .resolvesOnce({ status: 'RUNNING' } as never)
      .resolves({ status: 'SUCCEEDED' } as never);
    const steps = [
      async () => {
        await store.claimWave(id, 0, T0, DEADLINE);
        await store.recordJob(id, 0, 'drsjob-00000000000000001');
      },
      async () => {
        await store.completeWave(id, 0, launched(serverId(1), serverId(2)), T0);
        await store.completeExecution(id, T0);
      },
    ];
    const events: ProgressEvent[] = [];

    const { result, workflowStatus } = await followOnAws(clients, target, id, {
      pollSeconds: 1,
      onProgress: (e) => events.push(e),
      sleep: async () => steps.shift()?.(),
    });

    expect(workflowStatus).toBe('SUCCEEDED');
    expect(result).toMatchObject({
      status: 'COMPLETED',
      waves: [{ status: 'COMPLETED', jobId: 'drsjob-00000000000000001' }],
    });
    expect(events.map((e) => `${e.type}${'status' in e ? ` ${e.status}` : ''}`)).toEqual([
      'execution-started',
      'wave-started',
      'wave-polled LAUNCHING',
      'wave-polled COMPLETED',
    ]);
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]?.args[0].input.executionArn).toBe(
      executionArnOf(STATE_MACHINE, id),
    );
  });

  it('waits for the records to catch up after a Stop, then reports CANCELLED', async () => {
    const id = 'follow-2';
    await store.createExecution({ executionId: id, plan: threeWavePlan(), executionType: 'DRILL', startedAt: T0 });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'ABORTED' } as never);
    let reads = 0;
    const { result } = await followOnAws(clients, target, id, {
      pollSeconds: 1,
      sleep: async () => {
        if (++reads === 2)
          await store.failExecution({
            executionId: id,
            status: 'CANCELLED',
            error: 'ExecutionAborted',
            cause: 'stopped',
            endedAt: T0,
          });
      },
    });
    expect(result).toMatchObject({ status: 'CANCELLED', error: 'ExecutionAborted' });
  });

  it('never reports success when Step Functions ended but the records never did', async () => {
    const id = 'follow-3';
    await store.createExecution({ executionId: id, plan: threeWavePlan(), executionType: 'DRILL', startedAt: T0 });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED' } as never);
    const { result } = await followOnAws(clients, target, id, { pollSeconds: 1, sleep: async () => undefined });
    expect(result).toMatchObject({ status: 'FAILED', error: 'RecordsNotUpdated' });
    expect(result.cause).toContain('Step Functions says SUCCEEDED but the records still say PENDING');
  });

  it('reports FAILED, not COMPLETED, when the records say COMPLETED but Step Functions says the execution failed', async () => {
    const id = 'follow-4';
    const oneWave = { ...threeWavePlan(), waves: threeWavePlan().waves.slice(0, 1) };
    await store.createExecution({ executionId: id, plan: oneWave, executionType: 'DRILL', startedAt: T0 });
    await store.claimWave(id, 0, T0, DEADLINE);
    await store.completeWave(id, 0, launched(serverId(1), serverId(2)), T0);
    await store.completeExecution(id, T0);
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED', error: 'States.Runtime', cause: 'boom' } as never);

    const { result } = await followOnAws(clients, target, id, { pollSeconds: 1, sleep: async () => undefined });

    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(result.cause).toContain('the records say COMPLETED but Step Functions says FAILED');
  });

  it('shows one execution with Step Functions status beside the records', async () => {
    const id = 'status-1';
    await store.createExecution({ executionId: id, plan: threeWavePlan(), executionType: 'RECOVERY', startedAt: T0 });
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' } as never);
    const { result, workflowStatus } = await statusOnAws(clients, target, id);
    expect(workflowStatus).toBe('RUNNING');
    expect(result).toMatchObject({ executionId: id, executionType: 'RECOVERY', status: 'PENDING' });
    expect(result?.waves[0]?.servers).toEqual([
      { sourceServerID: serverId(1), launchStatus: 'NOT_STARTED' },
      { sourceServerID: serverId(2), launchStatus: 'NOT_STARTED' },
    ]);
  });
});

describe('progressBetween', () => {
  it('reports nothing when nothing changed', () => {
    const at = T0;
    const result = {
      executionId: 'x',
      planId: 'p',
      executionType: 'DRILL',
      status: 'POLLING' as const,
      rto: { targetMinutes: null, actualSeconds: 0, met: null },
      rpo: { maxDataAgeSeconds: 0, servers: [] },
      warnings: [],
      waves: [],
    };
    expect(progressBetween(result, result, at)).toEqual([]);
  });

  describe('with waves that depend on each other', () => {
    const wave = (index: number, name: string, status: WaveStatus, dependsOn: string[]): WaveResult => ({
      index,
      name,
      status,
      dependsOn,
      failedServers: [],
      optionalFailedServers: [],
      targetMinutes: null,
      targetMet: null,
    });
    const reading = (reporting: WaveStatus): ExecutionResult => ({
      executionId: 'x',
      planId: 'p',
      executionType: 'DRILL',
      status: 'POLLING',
      rpo: { maxDataAgeSeconds: 0, servers: [] },
      rto: { targetMinutes: null, actualSeconds: 0, met: null },
      warnings: [],
      waves: [wave(0, 'Databases', 'COMPLETED', []), wave(1, 'Reporting', reporting, ['Databases'])],
    });

    it("hands each wave's dependencies to the progress view", () => {
      const [started] = progressBetween(undefined, reading('NOT_STARTED'), T0);
      expect(started).toMatchObject({
        type: 'execution-started',
        waves: [
          { name: 'Databases', dependsOn: [] },
          { name: 'Reporting', dependsOn: ['Databases'] },
        ],
      });
    });

    it('reports a wave that waited for room and is NOT_STARTED again', () => {
      const events = progressBetween(reading('WAITING_FOR_CAPACITY'), reading('NOT_STARTED'), T0);
      expect(events).toEqual([
        { type: 'wave-polled', index: 1, name: 'Reporting', status: 'NOT_STARTED', counts: {}, at: T0 },
      ]);
    });
  });

  it('reports a wave action whose status changed between two readings, with its message', () => {
    const wave = (actions: NonNullable<ExecutionResult['waves'][number]['actions']>) => ({
      index: 0,
      name: 'Web',
      status: 'LAUNCHING' as const,
      failedServers: [],
      optionalFailedServers: [],
      dependsOn: [],
      targetMinutes: null,
      targetMet: null,
      actions,
    });
    const reading = (w: ReturnType<typeof wave>) => ({
      executionId: 'x',
      planId: 'p',
      executionType: 'DRILL',
      status: 'POLLING' as const,
      rpo: { maxDataAgeSeconds: 0, servers: [] },
      rto: { targetMinutes: null, actualSeconds: 0, met: null },
      warnings: [],
      waves: [w],
    });
    const running = reading(wave([{ name: 'Smoke test', phase: 'POST', status: 'RUNNING' }]));
    const failed = reading(wave([{ name: 'Smoke test', phase: 'POST', status: 'FAILED', message: 'HTTP 503' }]));

    expect(progressBetween(running, running, T0)).toEqual([]);
    expect(progressBetween(running, failed, T0)).toEqual([
      {
        type: 'wave-action',
        index: 0,
        wave: 'Web',
        name: 'Smoke test',
        phase: 'POST',
        status: 'FAILED',
        message: 'HTTP 503',
        at: T0,
      },
    ]);
  });

  it('reports a gate when it opens and when it is decided, once each, as a local run does', () => {
    const gate = {
      message: 'Databases are up',
      requestedAt: '2026-01-01T00:08:30.000Z',
      timeoutAt: '2026-01-01T04:08:30.000Z',
    };
    const wave = (approval?: NonNullable<ExecutionResult['waves'][number]['approval']>) => ({
      index: 0,
      name: 'App',
      status: (approval?.decision ? 'LAUNCHING' : 'AWAITING_APPROVAL') as 'LAUNCHING' | 'AWAITING_APPROVAL',
      failedServers: [],
      optionalFailedServers: [],
      dependsOn: [],
      targetMinutes: null,
      targetMet: null,
      ...(approval ? { approval } : {}),
    });
    const reading = (w: ReturnType<typeof wave>) => ({
      executionId: 'x',
      planId: 'p',
      executionType: 'DRILL',
      status: 'POLLING' as const,
      rpo: { maxDataAgeSeconds: 0, servers: [] },
      rto: { targetMinutes: null, actualSeconds: 0, met: null },
      warnings: [],
      waves: [w],
    });
    const before = reading(wave());
    const open = reading(wave(gate));
    const approved = reading(
      wave({
        ...gate,
        decision: 'APPROVE',
        by: 'arn:aws:sts::1:assumed-role/Ops/alice',
        at: '2026-01-01T00:18:30.000Z',
        comment: 'ok',
      }),
    );
    const gates = (events: ProgressEvent[]) => events.filter((e) => e.type.startsWith('gate-'));

    expect(gates(progressBetween(before, open, T0))).toEqual([
      {
        type: 'gate-opened',
        index: 0,
        name: 'App',
        message: 'Databases are up',
        timeoutAt: new Date(gate.timeoutAt),
        at: new Date(gate.requestedAt),
      },
    ]);
    expect(gates(progressBetween(open, open, T0))).toEqual([]);
    expect(gates(progressBetween(open, approved, T0))).toEqual([
      {
        type: 'gate-closed',
        index: 0,
        name: 'App',
        decision: 'APPROVE',
        by: 'arn:aws:sts::1:assumed-role/Ops/alice',
        comment: 'ok',
        at: new Date('2026-01-01T00:18:30.000Z'),
      },
    ]);
    expect(gates(progressBetween(approved, approved, T0))).toEqual([]);
  });
});
