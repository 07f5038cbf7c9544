import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler as finishExecution } from '../../../functions/finish-execution/handler';
import { waveKey } from '../../../functions/shared/records/keys';
import { A, executionItem, executionKey, waveItem } from '../../fixtures/task-records';
import { mockTaskClients } from '../../support/task-clients';

const { ddb } = mockTaskClients();

describe('finish-execution handler', () => {
  const loaded = (execution: Record<string, unknown>, waves: Record<string, unknown>[]) => ({
    Items: [execution, ...waves],
  });

  it('records COMPLETED when the records agree', async () => {
    ddb.on(QueryCommand).resolves(
      loaded(executionItem({ waveCount: 1, completedWaves: 1 }), [
        waveItem({
          ...waveKey('exec-1', 0),
          index: 0,
          status: 'COMPLETED',
          sourceServerIDs: [A],
          servers: [{ sourceServerID: A, launchStatus: 'LAUNCHED' }],
        }),
      ]),
    );
    ddb.on(UpdateCommand).resolves({});
    await expect(
      finishExecution({
        executionId: 'exec-1',
        outcome: 'VERDICTS',
        verdicts: [{ waveIndex: 0, status: 'COMPLETED' }],
      }),
    ).resolves.toMatchObject({
      status: 'COMPLETED',
    });
  });

  it('refuses COMPLETED when a wave is not COMPLETED in the records', async () => {
    ddb
      .on(QueryCommand)
      .resolves(
        loaded(executionItem({ waveCount: 1, completedWaves: 0 }), [waveItem({ index: 0, status: 'LAUNCHING' })]),
      );
    await expect(
      finishExecution({
        executionId: 'exec-1',
        outcome: 'VERDICTS',
        verdicts: [{ waveIndex: 0, status: 'COMPLETED' }],
      }),
    ).rejects.toMatchObject({
      name: 'RecordsInconsistent',
    });
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it("records the first failed wave's error from the verdicts, and CANCELLED for a rejected gate", async () => {
    ddb.on(QueryCommand).resolves(loaded(executionItem(), []));
    ddb.on(UpdateCommand).resolves({});

    const result = await finishExecution({
      executionId: 'exec-1',
      outcome: 'VERDICTS',
      verdicts: [
        { waveIndex: 1, status: 'NOT_STARTED' },
        { waveIndex: 0, status: 'FAILED', failure: { Error: 'ApprovalRejected', Cause: 'not today' } },
      ],
    });

    expect(result).toMatchObject({ error: 'ApprovalRejected', cause: 'not today' });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: executionKey,
      ExpressionAttributeValues: expect.objectContaining({ ':status': 'CANCELLED', ':cause': 'not today' }),
    });
  });

  it('refuses verdicts that are not a list of wave verdicts, recording nothing', async () => {
    await expect(
      finishExecution({ executionId: 'exec-1', outcome: 'VERDICTS', verdicts: [{ waveIndex: 0 }] as never }),
    ).rejects.toThrow();
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
      state: { failure: { Error: 'DrsRejected', Cause: cause } },
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
      state: { failure: { Error: 'WaveTimedOut', Cause: 'Wave 1 timed out' } },
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
      state: { failure: { Error: 'States.Timeout', Cause: 'Task timed out' } },
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
      state: {
        failure: { Error: 'InvalidPlan', Cause: 'The plan is not valid (1 problem): waves: the plan has no waves' },
        plan: { planId: 'broken' },
        executionType: 'DRILL',
      },
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
