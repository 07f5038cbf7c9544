import {
  DescribeJobLogItemsCommand,
  DescribeJobsCommand,
  DescribeSourceServersCommand,
  InternalServerException,
  StartRecoveryCommand,
  ThrottlingException,
} from '@aws-sdk/client-drs';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as beginExecution } from '../../../functions/begin-execution/handler';
import { toSnapshot } from '../../../functions/classify-wave/describe-job';
import { handler as classifyWave } from '../../../functions/classify-wave/handler';
import { handler as finishExecution } from '../../../functions/finish-execution/handler';
import { logger } from '../../../functions/shared/observability';
import {
  executionKey as executionKeyOf,
  planLockKey,
  waveKey as waveKeyOf,
} from '../../../functions/shared/records/keys';
import { handler as startWave } from '../../../functions/start-wave/handler';
import { drsInputs, mockDrs, whenDrs } from '../../support/drs-mock';

const drs = mockDrs();
const ddb = mockClient(DynamoDBDocumentClient);
const TABLE = 'executions-test';
const A = 's-aaaaaaaaaaaaaaaaa';
const B = 's-bbbbbbbbbbbbbbbbb';
const JOB = 'drsjob-00000000000000001';
const executionKey = executionKeyOf('exec-1');
const waveKey = waveKeyOf('exec-1', 1);
const future = () => new Date(Date.now() + 3600_000).toISOString();
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const waveItem = (over: Record<string, unknown> = {}) => ({
  ...waveKey,
  executionId: 'exec-1',
  index: 1,
  name: 'App',
  sourceServerIDs: [A, B],
  timeoutMinutes: 60,
  status: 'NOT_STARTED',
  ...over,
});
const executionItem = (over: Record<string, unknown> = {}) => ({
  ...executionKey,
  executionId: 'exec-1',
  planId: 'three-tier',
  executionType: 'DRILL',
  status: 'POLLING',
  waveCount: 3,
  completedWaves: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

beforeEach(() => {
  drs.reset();
  ddb.reset();
  jest.restoreAllMocks();
});

describe('begin-execution handler', () => {
  const input = {
    plan: {
      planId: 'three-tier',
      waves: [
        { name: 'Databases', sourceServerIDs: [A] },
        { name: 'App', sourceServerIDs: [B] },
      ],
    },
    executionType: 'DRILL',
  };

  const inventory = () =>
    whenDrs(drs, DescribeSourceServersCommand).resolves({
      items: [A, B].map((sourceServerID) => ({
        sourceServerID,
        dataReplicationInfo: { dataReplicationState: 'CONTINUOUS' },
      })),
    });

  it('takes the plan lock, checks DRS, records the execution and its waves and returns only IDs and names', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    inventory();
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [] });

    const result = await beginExecution({ executionId: 'exec-1', input });

    expect(result).toEqual({
      executionId: 'exec-1',
      planId: 'three-tier',
      planName: 'three-tier',
      executionType: 'DRILL',
      pollIntervalSeconds: 30,
      waves: [
        { index: 0, name: 'Databases' },
        { index: 1, name: 'App' },
      ],
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(pk) OR holder = :me',
      Item: expect.objectContaining({ ...planLockKey('three-tier'), holder: 'exec-1' }),
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: expect.objectContaining({ ...executionKey, status: 'PENDING', waveCount: 2, completedWaves: 0 }),
    });
    expect(drsInputs(drs, DescribeSourceServersCommand)[0]).toEqual({ filters: { sourceServerIDs: [A, B] } });
    const batch = ddb.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.[TABLE];
    expect(batch?.map((r) => r.PutRequest?.Item?.status)).toEqual(['NOT_STARTED', 'NOT_STARTED']);
  });

  it('fails with PlanNotReady naming the server already in a running DRS job, recording nothing', async () => {
    ddb.on(PutCommand).resolves({});
    inventory();
    whenDrs(drs, DescribeJobsCommand).resolves({
      items: [
        { jobID: JOB, status: 'STARTED', participatingServers: [{ sourceServerID: B, launchStatus: 'IN_PROGRESS' }] },
      ],
    });
    await expect(beginExecution({ executionId: 'exec-1', input })).rejects.toMatchObject({
      name: 'PlanNotReady',
      message: expect.stringContaining(`wave 2 'App': ${B} is in DRS job ${JOB} (STARTED): wait for that job to end`),
    });
    expect(ddb).not.toHaveReceivedCommand(BatchWriteCommand);
  });

  it('fails with InvalidPlan naming every problem and writes nothing', async () => {
    const bad = { plan: { planId: 'x', waves: [{ name: 'A', sourceServerIDs: ['s-1'] }] }, executionType: 'TEST' };
    await expect(beginExecution({ executionId: 'exec-1', input: bad })).rejects.toMatchObject({
      name: 'InvalidPlan',
      message: expect.stringMatching(/2 problems.*s-1.*executionType/),
    });
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('start-wave handler', () => {
  const event = {
    executionId: 'exec-1',
    planId: 'three-tier',
    executionType: 'DRILL' as const,
    pollIntervalSeconds: 30,
    wave: { index: 1, name: 'App' },
  };

  beforeEach(() => {
    ddb.on(GetCommand, { Key: waveKey }).resolves({ Item: waveItem() });
    ddb.on(GetCommand, { Key: executionKey }).resolves({ Item: executionItem() });
  });

  it('claims the wave, then starts one drill job with all its servers and records the job', async () => {
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, StartRecoveryCommand).resolves({ job: { jobID: JOB } });

    const progress = await startWave(event);

    expect(progress).toMatchObject({ status: 'LAUNCHING', jobId: JOB, nextPollSeconds: 30 });
    expect(drsInputs(drs, StartRecoveryCommand)).toHaveLength(1);
    expect(drsInputs(drs, StartRecoveryCommand)[0]).toMatchObject({
      sourceServers: [{ sourceServerID: A }, { sourceServerID: B }],
      isDrill: true,
      tags: {
        'drs-orchestrator:execution-id': 'exec-1',
        'drs-orchestrator:plan-id': 'three-tier',
        'drs-orchestrator:wave': '2',
        'drs-orchestrator:wave-name': 'App',
      },
    });
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.UpdateExpression);
    expect(updates[0]).toBe('SET #status = :polling, activeWave = :index, activeWaveClaimedAt = :claimedAt');
    expect(updates).toContain('SET activeJobId = :jobId');
    expect(updates).toContain('SET jobId = :jobId');
  });

  it('starts a RECOVERY job with isDrill false', async () => {
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, StartRecoveryCommand).resolves({ job: { jobID: JOB } });
    await startWave({ ...event, executionType: 'RECOVERY' });
    expect(drsInputs(drs, StartRecoveryCommand)[0]).toMatchObject({ isDrill: false });
  });

  it('fails with WaveNotStartable and never calls DRS when the claim is refused', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb.on(GetCommand, { Key: executionKey }).resolves({ Item: executionItem({ completedWaves: 0 }) });

    await expect(startWave(event)).rejects.toMatchObject({
      name: 'WaveNotStartable',
      message: "wave 2 'App' not started: 0 earlier wave(s) COMPLETED, wave 1 has not",
    });
    expect(drsInputs(drs, StartRecoveryCommand)).toHaveLength(0);
  });

  it('gives the claim back and fails with DrsUnavailable when DRS throttles the start', async () => {
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, StartRecoveryCommand).rejects(
      new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }),
    );

    await expect(startWave(event)).rejects.toMatchObject({ name: 'DrsUnavailable' });
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.UpdateExpression);
    expect(updates).toContain('REMOVE activeWave, activeWaveClaimedAt');
  });

  const taggedJob = (wave: string) => ({
    jobID: JOB,
    type: 'LAUNCH',
    status: 'PENDING',
    tags: { 'drs-orchestrator:execution-id': 'exec-1', 'drs-orchestrator:wave': wave },
  });

  it('adopts the job a lost StartRecovery response created, found by its tags, instead of starting another', async () => {
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, StartRecoveryCommand).rejects(
      new InternalServerException({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
    );
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [taggedJob('1'), taggedJob('2')] });

    await expect(startWave(event)).resolves.toMatchObject({ jobId: JOB });
    expect(drsInputs(drs, StartRecoveryCommand)).toHaveLength(1);
    expect(drsInputs(drs, DescribeJobsCommand)[0]).toMatchObject({ filters: { fromDate: expect.any(String) } });
  });

  it('keeps the claim and fails with DrsUnavailable when StartRecovery failed and created no job', async () => {
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, StartRecoveryCommand).rejects(
      new InternalServerException({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
    );
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [taggedJob('1')] });

    await expect(startWave(event)).rejects.toMatchObject({ name: 'DrsUnavailable' });
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.UpdateExpression);
    expect(updates).not.toContain('REMOVE activeWave, activeWaveClaimedAt');
  });

  it('fails with DrsRejected naming what to fix when DRS denies access', async () => {
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, StartRecoveryCommand).rejects(
      Object.assign(new Error('User is not authorized'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(startWave(event)).rejects.toMatchObject({
      name: 'DrsRejected',
      message: expect.stringContaining('lacks a DRS permission'),
    });
  });

  it('adopts the recorded job on a retry instead of starting another', async () => {
    ddb
      .on(GetCommand, { Key: waveKey })
      .resolves({ Item: waveItem({ status: 'LAUNCHING', jobId: JOB, deadline: '2026-01-01T01:00:00.000Z' }) });
    ddb.on(GetCommand, { Key: executionKey }).resolves({
      Item: executionItem({ activeWave: 1, activeJobId: JOB, activeWaveClaimedAt: '2026-01-01T00:00:00.000Z' }),
    });
    ddb.on(UpdateCommand).resolves({});

    await expect(startWave(event)).resolves.toMatchObject({ jobId: JOB, deadline: '2026-01-01T01:00:00.000Z' });
    expect(drsInputs(drs, StartRecoveryCommand)).toHaveLength(0);
  });

  it('on a retry of a claimed wave, adopts the job found by its tags and makes no StartRecovery', async () => {
    ddb.on(GetCommand, { Key: executionKey }).resolves({
      Item: executionItem({ activeWave: 1, activeWaveClaimedAt: '2026-01-01T00:00:00.000Z' }),
    });
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [taggedJob('2')] });

    await expect(startWave(event)).resolves.toMatchObject({ jobId: JOB, deadline: '2026-01-01T01:00:00.000Z' });
    expect(drsInputs(drs, StartRecoveryCommand)).toHaveLength(0);
  });

  it('on a retry of a claimed wave with no job anywhere, starts it once', async () => {
    ddb.on(GetCommand, { Key: executionKey }).resolves({
      Item: executionItem({ activeWave: 1, activeWaveClaimedAt: '2026-01-01T00:00:00.000Z' }),
    });
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [] });
    whenDrs(drs, StartRecoveryCommand).resolves({ job: { jobID: JOB } });

    await expect(startWave(event)).resolves.toMatchObject({ jobId: JOB });
    expect(drsInputs(drs, StartRecoveryCommand)).toHaveLength(1);
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.UpdateExpression);
    expect(updates).not.toContain('SET #status = :polling, activeWave = :index, activeWaveClaimedAt = :claimedAt');
  });
});

describe('reading the DRS job', () => {
  it('keeps only what the classifier needs of a job', () => {
    expect(
      toSnapshot({
        jobID: JOB,
        status: 'STARTED',
        arn: 'arn:aws:drs:us-east-1:111122223333:job/x',
        participatingServers: [
          {
            sourceServerID: A,
            launchStatus: 'LAUNCHED',
            recoveryInstanceID: 'i-0123456789abcdef0',
            launchActionsStatus: {
              runs: [{ status: 'FAILED', action: { name: 'Smoke test', optional: true }, failureReason: 'timeout' }],
            },
          },
          { sourceServerID: B, launchStatus: 'IN_PROGRESS' },
        ],
      }),
    ).toEqual({
      jobID: JOB,
      status: 'STARTED',
      participatingServers: [
        {
          sourceServerID: A,
          launchStatus: 'LAUNCHED',
          recoveryInstanceID: 'i-0123456789abcdef0',
          launchActionsStatus: {
            runs: [{ status: 'FAILED', optional: true, actionName: 'Smoke test', failureReason: 'timeout' }],
          },
        },
        { sourceServerID: B, launchStatus: 'IN_PROGRESS' },
      ],
    });
  });
});

describe('classify-wave handler', () => {
  const event = (
    servers: { sourceServerID: string; launchStatus: string }[],
    jobStatus = 'COMPLETED',
    deadline = future(),
  ) => {
    whenDrs(drs, DescribeJobsCommand).resolves({
      items: [{ jobID: JOB, status: jobStatus, participatingServers: servers }],
    });
    return {
      executionId: 'exec-1',
      executionType: 'DRILL' as const,
      pollIntervalSeconds: 30,
      wave: { index: 1, name: 'App' },
      jobId: JOB,
      deadline,
    };
  };

  it('reads the job with exactly one DescribeJobs by its ID', async () => {
    await classifyWave(event([{ sourceServerID: A, launchStatus: 'IN_PROGRESS' }], 'STARTED'));
    expect(drsInputs(drs, DescribeJobsCommand)).toEqual([{ filters: { jobIDs: [JOB] } }]);
    expect(drsInputs(drs, DescribeJobLogItemsCommand)).toHaveLength(0);
  });

  it('fails with JobNotFound, never a verdict, when DescribeJobs does not return the job', async () => {
    const e = event([]);
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [] });
    await expect(classifyWave(e)).rejects.toMatchObject({ name: 'JobNotFound' });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('fails with DrsUnavailable when DRS throttles the poll', async () => {
    const e = event([]);
    whenDrs(drs, DescribeJobsCommand).rejects(
      new ThrottlingException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }),
    );
    await expect(classifyWave(e)).rejects.toMatchObject({ name: 'DrsUnavailable' });
  });

  beforeEach(() => {
    ddb.on(GetCommand, { Key: waveKey }).resolves({ Item: waveItem({ status: 'LAUNCHING', jobId: JOB }) });
    ddb.on(UpdateCommand).resolves({});
  });

  it('records COMPLETED, counts the wave and logs it when every server LAUNCHED', async () => {
    const info = jest.spyOn(logger, 'info');
    const result = await classifyWave(
      event([
        { sourceServerID: A, launchStatus: 'LAUNCHED' },
        { sourceServerID: B, launchStatus: 'LAUNCHED' },
      ]),
    );
    expect(result).toMatchObject({ status: 'COMPLETED', failedServers: [], counts: { LAUNCHED: 2 } });
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(updates[0]).toMatchObject({
      Key: waveKey,
      ExpressionAttributeValues: expect.objectContaining({ ':status': 'COMPLETED' }),
    });
    expect(updates[1]).toMatchObject({
      Key: executionKey,
      ExpressionAttributeValues: expect.objectContaining({ ':next': 2 }),
    });
    expect(info).toHaveBeenCalledWith(
      'Wave App completed - all servers LAUNCHED',
      expect.objectContaining({ jobId: JOB }),
    );
  });

  it('records FAILED with the DRS reason from the job log, and logs each server status', async () => {
    const error = jest.spyOn(logger, 'error');
    whenDrs(drs, DescribeJobLogItemsCommand).resolves({
      items: [
        {
          event: 'LAUNCH_FAILED',
          eventData: { sourceServerID: B, rawError: 'InsufficientInstanceCapacity in us-east-1a' },
        },
      ],
    });

    const result = await classifyWave(
      event([
        { sourceServerID: A, launchStatus: 'LAUNCHED' },
        { sourceServerID: B, launchStatus: 'FAILED' },
      ]),
    );

    expect(result.status).toBe('FAILED');
    expect(result.failedServers).toEqual([B]);
    expect(result.cause).toBe(
      `Wave 2 'App' FAILED (DRS job ${JOB}): 1 of 2 servers did not launch: ${B} FAILED - DRS: InsufficientInstanceCapacity in us-east-1a`,
    );
    expect(error).toHaveBeenCalledWith(
      `Wave App failed - servers [${B}] failed to launch`,
      expect.objectContaining({ serverStatuses: { [A]: 'LAUNCHED', [B]: 'FAILED' } }),
    );
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: waveKey,
      ExpressionAttributeValues: expect.objectContaining({ ':status': 'FAILED', ':failed': [B] }),
    });
  });

  it('keeps waiting, no longer than until the deadline, while servers launch', async () => {
    const deadline = new Date(Date.now() + 10_000).toISOString();
    const result = await classifyWave(event([{ sourceServerID: A, launchStatus: 'IN_PROGRESS' }], 'STARTED', deadline));
    expect(result.status).toBe('LAUNCHING');
    expect(result.nextPollSeconds).toBeGreaterThanOrEqual(9);
    expect(result.nextPollSeconds).toBeLessThanOrEqual(10);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'SET servers = :servers, lastPolledAt = :polledAt',
    });
  });

  it('records TIMED_OUT once the deadline passed with servers still launching', async () => {
    const result = await classifyWave(
      event([{ sourceServerID: A, launchStatus: 'IN_PROGRESS' }], 'STARTED', '2020-01-01T00:00:00.000Z'),
    );
    expect(result.status).toBe('TIMED_OUT');
    expect(result.cause).toMatch(/^Wave 2 'App' TIMED_OUT after 60 minutes/);
  });
});

describe('finish-execution handler', () => {
  const loaded = (execution: Record<string, unknown>, waves: Record<string, unknown>[]) => ({
    Items: [execution, ...waves],
  });

  it('records COMPLETED when the records agree', async () => {
    ddb.on(QueryCommand).resolves(
      loaded(executionItem({ waveCount: 1, completedWaves: 1 }), [
        waveItem({
          ...waveKeyOf('exec-1', 0),
          index: 0,
          status: 'COMPLETED',
          sourceServerIDs: [A],
          servers: [{ sourceServerID: A, launchStatus: 'LAUNCHED' }],
        }),
      ]),
    );
    ddb.on(UpdateCommand).resolves({});
    await expect(finishExecution({ executionId: 'exec-1', outcome: 'COMPLETED' })).resolves.toMatchObject({
      status: 'COMPLETED',
    });
  });

  it('refuses COMPLETED when a wave is not COMPLETED in the records', async () => {
    ddb
      .on(QueryCommand)
      .resolves(
        loaded(executionItem({ waveCount: 1, completedWaves: 0 }), [waveItem({ index: 0, status: 'LAUNCHING' })]),
      );
    await expect(finishExecution({ executionId: 'exec-1', outcome: 'COMPLETED' })).rejects.toMatchObject({
      name: 'RecordsInconsistent',
    });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it("records a failure with the Lambda error's message as a readable cause", async () => {
    ddb.on(QueryCommand).resolves(loaded(executionItem(), []));
    ddb.on(UpdateCommand).resolves({});
    const cause = JSON.stringify({
      errorType: 'DrsRejected',
      errorMessage: 'DRS StartRecovery was refused',
      trace: ['at x'],
    });

    const result = await finishExecution({
      executionId: 'exec-1',
      outcome: 'FAILED',
      failure: { Error: 'DrsRejected', Cause: cause },
    });

    expect(result).toMatchObject({ error: 'DrsRejected', cause: 'DRS StartRecovery was refused' });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: executionKey,
      ExpressionAttributeValues: expect.objectContaining({
        ':status': 'FAILED',
        ':cause': 'DRS StartRecovery was refused',
      }),
    });
  });

  it('records TIMED_OUT for WaveTimedOut', async () => {
    ddb.on(QueryCommand).resolves(loaded(executionItem(), []));
    ddb.on(UpdateCommand).resolves({});
    await finishExecution({
      executionId: 'exec-1',
      outcome: 'FAILED',
      failure: { Error: 'WaveTimedOut', Cause: 'Wave 1 timed out' },
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ExpressionAttributeValues: expect.objectContaining({ ':status': 'TIMED_OUT' }),
    });
  });

  it('records FAILED, not TIMED_OUT, for a task that timed out', async () => {
    ddb.on(QueryCommand).resolves(loaded(executionItem(), []));
    ddb.on(UpdateCommand).resolves({});
    await finishExecution({
      executionId: 'exec-1',
      outcome: 'FAILED',
      failure: { Error: 'States.Timeout', Cause: 'Task timed out' },
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ExpressionAttributeValues: expect.objectContaining({ ':status': 'FAILED' }),
    });
  });

  it('creates the record for an execution whose plan was invalid', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(PutCommand).resolves({});
    const result = await finishExecution({
      executionId: 'exec-1',
      outcome: 'FAILED',
      failure: { Error: 'InvalidPlan', Cause: 'The plan is not valid (1 problem): waves: the plan has no waves' },
      executionInput: { plan: { planId: 'broken' }, executionType: 'DRILL' },
    });
    expect(result).toMatchObject({ planId: 'broken', status: 'FAILED', error: 'InvalidPlan' });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ status: 'FAILED', planId: 'broken' }),
    });
  });

  it('fails when the environment lacks its table name', () => {
    jest.isolateModules(() => {
      const saved = process.env.EXECUTIONS_TABLE_NAME;
      delete process.env.EXECUTIONS_TABLE_NAME;
      try {
        expect(() => require('../../../functions/finish-execution/handler')).toThrow(
          'environment variable EXECUTIONS_TABLE_NAME is not set',
        );
      } finally {
        process.env.EXECUTIONS_TABLE_NAME = saved;
      }
    });
  });
});
