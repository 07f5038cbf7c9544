import { DescribeJobsCommand, DescribeSourceServersCommand } from '@aws-sdk/client-drs';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { handler as beginExecution } from '../../../functions/begin-execution/handler';
import { planLockKey } from '../../../functions/shared/records/keys';
import { A, B, executionKey, JOB, TABLE } from '../../fixtures/task-records';
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
