import { DescribeJobLogItemsCommand, DescribeJobsCommand, ThrottlingException } from '@aws-sdk/client-drs';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler as classifyWave } from '../../../functions/classify-wave/handler';
import { logger } from '../../../functions/shared/observability';
import { A, B, executionKey, future, JOB, waveItem, waveKey } from '../../fixtures/task-records';
import { drsInputs, whenDrs } from '../../support/drs-mock';
import { mockTaskClients } from '../../support/task-clients';

const { drs, ddb } = mockTaskClients();

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

  it.each([['recovery'], ['TEST'], [undefined]])(
    'refuses execution type %j with InvalidExecutionType before it reads DRS or writes a record',
    async (executionType) => {
      const e = {
        ...event([{ sourceServerID: A, launchStatus: 'LAUNCHED' }]),
        executionType: executionType as 'DRILL',
      };
      await expect(classifyWave(e)).rejects.toMatchObject({ name: 'InvalidExecutionType' });
      expect(drs.calls()).toHaveLength(0);
      expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    },
  );

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
