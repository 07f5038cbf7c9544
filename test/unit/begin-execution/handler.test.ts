import { DescribeJobsCommand, DescribeSourceServersCommand } from '@aws-sdk/client-drs';
import { BatchGetCommand, BatchWriteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler as beginExecution } from '../../../functions/begin-execution/handler';
import { executionKey as executionKeyOf, planLockKey, serverLockKey } from '../../../functions/shared/records/keys';
import { A, B, executionItem, executionKey, JOB, TABLE } from '../../fixtures/task-records';
import { drsInputs, whenDrs } from '../../support/drs-mock';
import { mockTaskClients } from '../../support/task-clients';

const { drs, ddb } = mockTaskClients();

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

  /** No server is in another execution; the record the first task writes reads back PENDING. */
  const freeServers = () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { [TABLE]: [] } });
    ddb.on(GetCommand, { TableName: TABLE, Key: executionKey }).resolves({
      Item: executionItem({ status: 'PENDING', waveCount: 2, completedWaves: 0 }),
    });
    ddb.on(UpdateCommand).resolves({});
  };

  it('takes the plan lock, checks DRS, records the execution and its waves, claims its servers and returns only IDs, names and server counts', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    freeServers();
    inventory();
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [] });

    const result = await beginExecution({ executionId: 'exec-1', input });

    expect(result).toEqual({
      executionId: 'exec-1',
      planId: 'three-tier',
      planName: 'three-tier',
      executionType: 'DRILL',
      pollIntervalSeconds: 30,
      // "Wait for dependencies and room" asks again at its fallback: App waits up to Databases' 60 minutes, in
      // four waits of at least 900 s (admission-fallback.ts).
      waves: [
        { index: 0, name: 'Databases', servers: 1, admissionFallbackSeconds: 900 },
        { index: 1, name: 'App', servers: 1, admissionFallbackSeconds: 900 },
      ],
      // No dependsOn: each wave needs the one before it. The defaults: STOP, and DRS's quotas.
      dependencies: [[], [0]],
      scheduling: { onWaveFailure: 'STOP', maxConcurrentJobs: 20, maxServersInAllJobs: 500 },
      // No maxConcurrentWaves: as many waves at once as the plan has (never more than the inline Map's 40).
      maxConcurrency: 2,
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
    for (const server of [A, B]) {
      expect(ddb).toHaveReceivedCommandWith(PutCommand, {
        TableName: TABLE,
        ConditionExpression: 'attribute_not_exists(pk) OR holder = :me',
        Item: expect.objectContaining({ ...serverLockKey(server), holder: 'exec-1', planId: 'three-tier' }),
      });
    }
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: executionKey,
      UpdateExpression: 'SET serversClaimedAt = if_not_exists(serversClaimedAt, :at)',
    });
  });

  it("bounds the Map's iterations by maxConcurrentWaves, and gives the waves in dependency order, each with its plan index", async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    freeServers();
    inventory();
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [] });

    const result = await beginExecution({
      executionId: 'exec-1',
      input: {
        ...input,
        plan: {
          ...input.plan,
          maxConcurrentWaves: 1,
          waves: [
            { name: 'Databases', sourceServerIDs: [A], dependsOn: [] },
            { name: 'App', sourceServerIDs: [B], dependsOn: ['Databases'] },
          ],
        },
      },
    });

    expect(result.maxConcurrency).toBe(1);
    expect(result.waves.map((w) => [w.index, w.name])).toEqual([
      [0, 'Databases'],
      [1, 'App'],
    ]);
    expect(result.dependencies).toEqual([[], [0]]);
    expect(result.scheduling).toMatchObject({ maxConcurrentWaves: 1 });
  });

  it('resolves tags from every source server (no ID filter), freezes the members into the wave records and claims them', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    freeServers();
    whenDrs(drs, DescribeSourceServersCommand).resolves({
      items: [
        { sourceServerID: A, dataReplicationInfo: { dataReplicationState: 'CONTINUOUS' } },
        { sourceServerID: B, tags: { Tier: 'app' }, dataReplicationInfo: { dataReplicationState: 'CONTINUOUS' } },
      ],
    });
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [] });
    const tagged = {
      plan: {
        planId: 'three-tier',
        waves: [
          { name: 'Databases', sourceServerIDs: [A] },
          { name: 'App', sourceServerTags: { Tier: 'app' } },
        ],
      },
      executionType: 'DRILL',
    };

    const result = await beginExecution({ executionId: 'exec-1', input: tagged });

    expect(drsInputs(drs, DescribeSourceServersCommand)).toEqual([{ filters: {} }]);
    expect(result.waves).toEqual([
      { index: 0, name: 'Databases', servers: 1, admissionFallbackSeconds: 900 },
      { index: 1, name: 'App', servers: 1, admissionFallbackSeconds: 900 },
    ]);
    const batch = ddb.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.[TABLE];
    expect(batch?.[1]?.PutRequest?.Item).toMatchObject({
      name: 'App',
      sourceServerIDs: [B],
      sourceServerTags: { Tier: 'app' },
      taggedSourceServerIDs: [B],
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'attribute_not_exists(pk) OR holder = :me',
      Item: expect.objectContaining({ ...serverLockKey(B), holder: 'exec-1' }),
    });
  });

  it("puts each wave's admission fallback on its Map item: its worst-case wait in four, never under 900 s", async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    freeServers();
    inventory();
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [] });
    const gated = {
      ...input,
      plan: {
        planId: 'three-tier',
        // Databases hold room up to a 60-minute gate and 180 minutes of launch: App may wait 4 hours for them.
        waves: [
          { name: 'Databases', sourceServerIDs: [A], timeoutMinutes: 180, approval: { timeoutMinutes: 60 } },
          { name: 'App', sourceServerIDs: [B] },
        ],
      },
    };

    const result = await beginExecution({ executionId: 'exec-1', input: gated });

    expect(result.waves.map((w) => w.admissionFallbackSeconds)).toEqual([900, (4 * 3600) / 4]);
  });

  it('fails with PlanNotReady naming the server and the other live execution that holds it, recording nothing', async () => {
    ddb.on(PutCommand).resolves({});
    inventory();
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [] });
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        [TABLE]: [
          {
            ...serverLockKey(B),
            sourceServerID: B,
            holder: 'other-1',
            planId: 'other-plan',
            acquiredAt: '2026-01-01T00:00:00.000Z',
            expiresAt: '2999-01-01T00:00:00.000Z',
          },
        ],
      },
    });
    ddb.on(GetCommand, { TableName: TABLE, Key: executionKeyOf('other-1') }).resolves({
      Item: executionItem({ ...executionKeyOf('other-1'), executionId: 'other-1', planId: 'other-plan' }),
    });

    await expect(beginExecution({ executionId: 'exec-1', input })).rejects.toMatchObject({
      name: 'PlanNotReady',
      message: expect.stringContaining(
        `wave 2 'App': ${B} is in execution other-1 of plan other-plan (POLLING), another live execution`,
      ),
    });
    expect(ddb).not.toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining(executionKey) });
    expect(ddb).not.toHaveReceivedCommand(BatchWriteCommand);
  });

  it('fails with PlanNotReady naming the server already in a running DRS job, recording nothing', async () => {
    ddb.on(PutCommand).resolves({});
    freeServers();
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
