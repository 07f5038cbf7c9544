import {
  DescribeJobsCommand,
  InternalServerException,
  StartRecoveryCommand,
  ThrottlingException,
} from '@aws-sdk/client-drs';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler as startWave } from '../../../functions/start-wave/handler';
import {
  A,
  B,
  conditionFailed,
  executionItem,
  executionKey,
  JOB,
  waveItem,
  waveKey,
} from '../../fixtures/task-records';
import { drsInputs, whenDrs } from '../../support/drs-mock';
import { mockTaskClients } from '../../support/task-clients';

const { drs, ddb } = mockTaskClients();

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

  it.each([['drill'], ['TEST'], [''], [undefined]])(
    'refuses execution type %j with InvalidExecutionType before it claims the wave or calls DRS',
    async (executionType) => {
      ddb.on(UpdateCommand).resolves({});
      whenDrs(drs, StartRecoveryCommand).resolves({ job: { jobID: JOB } });

      await expect(startWave({ ...event, executionType: executionType as 'DRILL' })).rejects.toMatchObject({
        name: 'InvalidExecutionType',
        message: expect.stringContaining("wave 2 'App': the execution type is"),
      });
      expect(drs.calls()).toHaveLength(0);
      expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
    },
  );

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
