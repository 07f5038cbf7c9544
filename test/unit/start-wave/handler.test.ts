import {
  DescribeJobsCommand,
  DescribeSourceServersCommand,
  InternalServerException,
  StartRecoveryCommand,
  ThrottlingException,
} from '@aws-sdk/client-drs';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { executionKey as executionKeyOf, waveKey as waveKeyOf } from '../../../functions/shared/records/keys';
import { handler as startWave } from '../../../functions/start-wave/handler';
import {
  A,
  B,
  claimedExecutionItem,
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
    // No server of the wave launched since the claim, unless a test says otherwise.
    whenDrs(drs, DescribeSourceServersCommand).resolves({ items: [{ sourceServerID: A }, { sourceServerID: B }] });
    // No other job running in the account, unless a test says otherwise.
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [] });
  });

  it('claims the wave, then starts one drill job with all its servers and records the job', async () => {
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, StartRecoveryCommand).resolves({ job: { jobID: JOB } });

    const progress = await startWave(event);

    // The first wait for launch events: the long fallback (LAUNCH_EVENT_FALLBACK_SECONDS), never past the deadline.
    expect(progress).toMatchObject({ status: 'LAUNCHING', jobId: JOB, nextPollSeconds: 600 });
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
    expect(updates[0]).toContain('SET #status = :polling, waves.#w = :claim');
    expect(updates).toContain('SET waves.#w.jobId = :jobId');
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

  it("counts DRS's other running jobs (not those of this execution's waves holding room) in its claim, read just before it", async () => {
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, StartRecoveryCommand).resolves({ job: { jobID: JOB } });
    ddb.on(GetCommand, { Key: executionKey }).resolves({
      Item: executionItem({
        waves: {
          '0': {
            status: 'LAUNCHING',
            claimedAt: '2026-01-01T00:00:00.000Z',
            servers: 1,
            jobId: 'drsjob-0000000000000mine',
          },
        },
      }),
    });
    const running = (jobID: string, servers: number) => ({
      jobID,
      status: 'STARTED',
      participatingServers: Array.from({ length: servers }, (_, i) => ({ sourceServerID: `s-${i}` })),
    });
    whenDrs(drs, DescribeJobsCommand).resolves({
      items: [running('drsjob-00000000000other', 100), running('drsjob-0000000000000mine', 1)],
    });

    await startWave(event);

    const claim = ddb.commandCalls(UpdateCommand).find((c) => c.args[0].input.Key?.sk === executionKey.sk);
    // maxConcurrentJobs 20 less one other job less this wave; maxServersInAllJobs 500 less 100 less the wave's 2.
    expect(claim?.args[0].input.ExpressionAttributeValues).toMatchObject({ ':wavesRoom': 18, ':serversRoom': 398 });
  });

  it('fails with WaveNotStartable and never starts a recovery when the claim is refused', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    ddb.on(GetCommand, { Key: executionKey }).resolves({ Item: executionItem({ completedWaves: 0, waves: {} }) });

    await expect(startWave(event)).rejects.toMatchObject({
      name: 'WaveNotStartable',
      message: "wave 2 'App' not started: it depends on waves that have not COMPLETED (wave 1 is NOT_STARTED)",
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
    expect(updates).toContain(
      'SET runningWaves = runningWaves - :one, runningServers = runningServers - waves.#w.servers REMOVE waves.#w',
    );
  });

  const taggedJob = (wave: string, executionTag = 'exec-1', planTag = 'three-tier') => ({
    jobID: JOB,
    type: 'LAUNCH',
    status: 'PENDING',
    tags: {
      'drs-orchestrator:execution-id': executionTag,
      'drs-orchestrator:plan-id': planTag,
      'drs-orchestrator:wave': wave,
    },
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

  it('adopts the job of an execution whose name DRS tags cannot hold, found by the tag as it was written', async () => {
    const executionId = 'drill(1)';
    ddb
      .on(GetCommand, { Key: waveKeyOf(executionId, 1) })
      .resolves({ Item: waveItem({ ...waveKeyOf(executionId, 1), executionId }) });
    ddb
      .on(GetCommand, { Key: executionKeyOf(executionId) })
      .resolves({ Item: executionItem({ ...executionKeyOf(executionId), executionId }) });
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, StartRecoveryCommand).rejects(
      new InternalServerException({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
    );
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [taggedJob('2', 'drill_1_')] });

    await expect(startWave({ ...event, executionId })).resolves.toMatchObject({ jobId: JOB });
    expect(drsInputs(drs, StartRecoveryCommand)[0]?.tags).toMatchObject({
      'drs-orchestrator:execution-id': 'drill_1_',
    });
  });

  it("does not adopt another plan's job whose execution tag reads the same", async () => {
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, StartRecoveryCommand).rejects(
      new InternalServerException({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
    );
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [taggedJob('2', 'exec-1', 'another-plan')] });

    await expect(startWave(event)).rejects.toMatchObject({ name: 'DrsUnavailable' });
  });

  it('keeps the claim and fails with DrsUnavailable when StartRecovery failed and created no job', async () => {
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, StartRecoveryCommand).rejects(
      new InternalServerException({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
    );
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [taggedJob('1')] });

    await expect(startWave(event)).rejects.toMatchObject({ name: 'DrsUnavailable' });
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.UpdateExpression);
    expect(updates.some((u) => u?.includes('REMOVE waves.#w'))).toBe(false);
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
      Item: claimedExecutionItem('2026-01-01T00:00:00.000Z', JOB),
    });
    ddb.on(UpdateCommand).resolves({});

    await expect(startWave(event)).resolves.toMatchObject({ jobId: JOB, deadline: '2026-01-01T01:00:00.000Z' });
    expect(drsInputs(drs, StartRecoveryCommand)).toHaveLength(0);
  });

  it('on a retry of a claimed wave, adopts the job found by its tags and makes no StartRecovery', async () => {
    ddb.on(GetCommand, { Key: executionKey }).resolves({
      Item: claimedExecutionItem('2026-01-01T00:00:00.000Z'),
    });
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [taggedJob('2')] });

    await expect(startWave(event)).resolves.toMatchObject({ jobId: JOB, deadline: '2026-01-01T01:00:00.000Z' });
    expect(drsInputs(drs, StartRecoveryCommand)).toHaveLength(0);
  });

  it('on a retry of a claimed wave with no job anywhere, starts it once', async () => {
    ddb.on(GetCommand, { Key: executionKey }).resolves({
      Item: claimedExecutionItem('2026-01-01T00:00:00.000Z'),
    });
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [] });
    whenDrs(drs, StartRecoveryCommand).resolves({ job: { jobID: JOB } });

    await expect(startWave(event)).resolves.toMatchObject({ jobId: JOB });
    expect(drsInputs(drs, StartRecoveryCommand)).toHaveLength(1);
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.UpdateExpression);
    expect(updates.some((u) => u?.includes('waves.#w = :claim'))).toBe(false);
  });

  describe('while DescribeJobs does not list a new job yet', () => {
    const CLAIMED = '2026-01-01T00:00:00.000Z';
    const OTHER = 'drsjob-00000000000000002';
    const claimedRetry = () => {
      ddb.on(GetCommand, { Key: executionKey }).resolves({
        Item: claimedExecutionItem(CLAIMED),
      });
      ddb.on(UpdateCommand).resolves({});
      // The search since the claim finds nothing by its tags (a DescribeJobs by ID is answered below).
      whenDrs(drs, DescribeJobsCommand).resolves({ items: [] });
    };
    const lastLaunch = (sourceServerID: string, jobID: string, apiCallDateTime: string) => ({
      sourceServerID,
      lifeCycle: { lastLaunch: { initiated: { jobID, apiCallDateTime, type: 'DRILL' } } },
    });

    it("fails with WaveJobNotYetVisible, starting nothing, when a server's last launch since the claim is in an unlisted job", async () => {
      claimedRetry();
      whenDrs(drs, DescribeSourceServersCommand).resolves({
        items: [lastLaunch(A, JOB, '2026-01-01T00:00:01.000Z'), { sourceServerID: B }],
      });
      whenDrs(drs, DescribeJobsCommand, { filters: { jobIDs: [JOB] } }).resolves({ items: [] });

      await expect(startWave(event)).rejects.toMatchObject({
        name: 'WaveJobNotYetVisible',
        message: expect.stringContaining(`${A} by ${JOB} at 2026-01-01T00:00:01.000Z`),
      });
      expect(drsInputs(drs, StartRecoveryCommand)).toHaveLength(0);
      expect(drsInputs(drs, DescribeSourceServersCommand)[0]).toMatchObject({
        filters: { sourceServerIDs: [A, B] },
      });
    });

    it("adopts the job a server's last launch names once DescribeJobs lists it by ID with the wave's tags", async () => {
      claimedRetry();
      whenDrs(drs, DescribeSourceServersCommand).resolves({ items: [lastLaunch(A, JOB, '2026-01-01T00:00:01.000Z')] });
      whenDrs(drs, DescribeJobsCommand, { filters: { jobIDs: [JOB] } }).resolves({ items: [taggedJob('2')] });

      await expect(startWave(event)).resolves.toMatchObject({ jobId: JOB });
      expect(drsInputs(drs, StartRecoveryCommand)).toHaveLength(0);
    });

    it("starts the wave when the servers' last launches are listed jobs of someone else, or older than the claim", async () => {
      claimedRetry();
      whenDrs(drs, DescribeSourceServersCommand).resolves({
        items: [lastLaunch(A, OTHER, '2026-01-01T00:00:01.000Z'), lastLaunch(B, JOB, '2025-12-31T23:00:00.000Z')],
      });
      whenDrs(drs, DescribeJobsCommand, { filters: { jobIDs: [OTHER] } }).resolves({
        items: [{ ...taggedJob('2', 'someone-else'), jobID: OTHER }],
      });
      whenDrs(drs, StartRecoveryCommand).resolves({ job: { jobID: JOB } });

      await expect(startWave(event)).resolves.toMatchObject({ jobId: JOB });
      expect(drsInputs(drs, StartRecoveryCommand)).toHaveLength(1);
    });

    it('fails with WaveJobNotYetVisible after an uncertain StartRecovery whose job is not listed yet', async () => {
      ddb.on(UpdateCommand).resolves({});
      whenDrs(drs, StartRecoveryCommand).rejects(
        Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }),
      );
      whenDrs(drs, DescribeJobsCommand).resolves({ items: [] });
      whenDrs(drs, DescribeSourceServersCommand).resolves({ items: [lastLaunch(A, JOB, new Date().toISOString())] });

      await expect(startWave(event)).rejects.toMatchObject({ name: 'WaveJobNotYetVisible' });
      expect(drsInputs(drs, StartRecoveryCommand)).toHaveLength(1);
    });
  });
});
