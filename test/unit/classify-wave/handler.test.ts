import {
  DescribeJobLogItemsCommand,
  DescribeJobsCommand,
  ListLaunchActionsCommand,
  ThrottlingException,
} from '@aws-sdk/client-drs';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler as classifyWave } from '../../../functions/classify-wave/handler';
import { logger } from '../../../functions/shared/observability';
import { waveKey as waveKeyOf } from '../../../functions/shared/records/keys';
import { A, B, conditionFailed, executionKey, future, JOB, waveItem, waveKey } from '../../fixtures/task-records';
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

  it('keeps the wave LAUNCHING and records the outage on it when DRS does not answer the poll', async () => {
    const e = event([]);
    whenDrs(drs, DescribeJobsCommand).rejects(
      new ThrottlingException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }),
    );
    const result = await classifyWave(e);

    // The job runs on in DRS: ending the wave would orphan it, so the next poll comes after a backoff.
    expect(result).toMatchObject({ status: 'LAUNCHING', nextPollSeconds: 30, serversDigest: 'drs-outage' });
    expect(result.outage).toMatch(
      /^DRS did not answer DescribeJobs since .+ \(1 attempt, last error: ThrottlingException: slow down\)$/,
    );
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'SET outages = :outages',
      ConditionExpression: '#status = :launching',
    });
  });

  it('ends the wave TIMED_OUT naming the outage when DRS still does not answer at the deadline', async () => {
    const e = event([], 'STARTED', new Date(Date.now() - 1000).toISOString());
    whenDrs(drs, DescribeJobsCommand).rejects(
      new ThrottlingException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }),
    );
    const result = await classifyWave(e);

    expect(result.status).toBe('TIMED_OUT');
    expect(result.cause).toContain(`Wave 2 'App' TIMED_OUT`);
    expect(result.cause).toContain('DRS did not answer DescribeJobs since');
    expect(result.cause).toContain(`the DRS job may still be running`);
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
      UpdateExpression: expect.stringContaining('completedWaves = completedWaves + :one'),
      ExpressionAttributeNames: expect.objectContaining({ '#w': '1' }),
      ExpressionAttributeValues: expect.objectContaining({ ':end': 'COMPLETED' }),
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

  describe('RECOVERY: required post-launch actions', () => {
    const HEALTH = '0b1f5e1c-7d2a-4c3e-9f10-2a3b4c5d6e7f';
    const OPTIONAL = '5c4d3e2f-1a0b-4c9d-8e7f-6a5b4c3d2e1f';
    // Each test its own execution: the handler's store keeps a wave's recorded actions in memory.
    const recovery = (executionId: string, stored: Record<string, unknown> = {}) => {
      const key = waveKeyOf(executionId, 1);
      ddb
        .on(GetCommand, { Key: key })
        .resolves({ Item: { ...waveItem({ status: 'LAUNCHING', jobId: JOB }), ...key, ...stored } });
      return { key, executionId, executionType: 'RECOVERY' as const };
    };
    const launched = (runs: { actionId: string; status: string }[] = []) => [
      {
        sourceServerID: A,
        launchStatus: 'LAUNCHED',
        launchActionsStatus: {
          runs: runs.map((r) => ({
            status: r.status,
            action: { actionId: r.actionId, name: 'Health', optional: false },
          })),
        },
      },
      { sourceServerID: B, launchStatus: 'LAUNCHED' },
    ];

    it("reads each server's actions once (ListLaunchActions), records the required ones, and waits for a run that has not appeared", async () => {
      const { key, ...ids } = recovery('exec-r1');
      whenDrs(drs, ListLaunchActionsCommand, { resourceId: A }).resolves({
        items: [
          { actionId: HEALTH, name: 'Health', active: true, optional: false },
          { actionId: OPTIONAL, name: 'Monitoring', active: true, optional: true },
          { actionId: 'aaaaaaaa-0000-4000-a000-000000000000', name: 'Old', active: false, optional: false },
        ],
      });
      whenDrs(drs, ListLaunchActionsCommand, { resourceId: B }).resolves({ items: [] });

      const result = await classifyWave({ ...event(launched([])), ...ids });

      expect(result.status).toBe('LAUNCHING');
      expect(
        drsInputs(drs, ListLaunchActionsCommand)
          .map((i) => i.resourceId)
          .sort(),
      ).toEqual([A, B]);
      expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
        Key: key,
        UpdateExpression: 'SET requiredActions = :actions',
        ConditionExpression: 'attribute_exists(#status) AND attribute_not_exists(requiredActions)',
        ExpressionAttributeValues: { ':actions': { [A]: [{ actionId: HEALTH, name: 'Health' }], [B]: [] } },
      });

      // The next check judges against the same list without asking DRS again.
      const next = await classifyWave({ ...event(launched([{ actionId: HEALTH, status: 'SUCCEEDED' }])), ...ids });
      expect(next.status).toBe('COMPLETED');
      expect(drsInputs(drs, ListLaunchActionsCommand)).toHaveLength(2);
    });

    it('uses the recorded actions, never DRS, once the wave has them', async () => {
      const { key: _key, ...ids } = recovery('exec-r2', { requiredActions: { [A]: [{ actionId: HEALTH }], [B]: [] } });

      const result = await classifyWave({ ...event(launched([]), 'COMPLETED', '2020-01-01T00:00:00.000Z'), ...ids });

      expect(drsInputs(drs, ListLaunchActionsCommand)).toHaveLength(0);
      expect(result.status).toBe('TIMED_OUT');
      expect(result.cause).toContain(`${A} LAUNCHED, post-launch action 'unnamed' (${HEALTH}) has not started`);
    });

    it('keeps the list another attempt recorded first', async () => {
      const { key, ...ids } = recovery('exec-r3');
      whenDrs(drs, ListLaunchActionsCommand).resolves({ items: [] });
      ddb
        .on(UpdateCommand, { Key: key, UpdateExpression: 'SET requiredActions = :actions' })
        .rejects(conditionFailed());
      ddb
        .on(GetCommand, { Key: key, ProjectionExpression: 'requiredActions' })
        .resolvesOnce({ Item: {} })
        .resolves({ Item: { requiredActions: { [A]: [{ actionId: HEALTH }], [B]: [] } } });

      // DRS now lists no action for A, but the wave's recorded list (A must run HEALTH) stands.
      const result = await classifyWave({ ...event(launched([])), ...ids });

      expect(drsInputs(drs, ListLaunchActionsCommand)).toHaveLength(2);
      expect(result.status).toBe('LAUNCHING');
    });

    it('keeps the wave LAUNCHING, noting the outage, when DRS throttles ListLaunchActions', async () => {
      const { key: _key, ...ids } = recovery('exec-r4');
      whenDrs(drs, ListLaunchActionsCommand).rejects(
        new ThrottlingException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }),
      );
      const result = await classifyWave({ ...event(launched([])), ...ids });
      expect(result.status).toBe('LAUNCHING');
      expect(result.outage).toContain('DRS did not answer ListLaunchActions since');
    });
  });
});
