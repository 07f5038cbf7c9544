import { DescribeJobsCommand, DescribeSourceServersCommand, StartRecoveryCommand } from '@aws-sdk/client-drs';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { handler as startWave } from '../../../functions/start-wave/handler';
import { A, B, executionItem, executionKey, JOB, waveItem, waveKey } from '../../fixtures/task-records';
import { drsInputs, whenDrs } from '../../support/drs-mock';
import { mockTaskClients } from '../../support/task-clients';

const { drs, ddb } = mockTaskClients();

const event = {
  executionId: 'exec-1',
  planId: 'three-tier',
  executionType: 'DRILL' as const,
  pollIntervalSeconds: 30,
  wave: { index: 1, name: 'App' },
};

const quotaExceeded = () =>
  Object.assign(new Error('Cannot start another job: 1 jobs are running and the quota of concurrent jobs is 1'), {
    name: 'ServiceQuotaExceededException',
    $metadata: { httpStatusCode: 402 },
  });

const running = (jobID: string, servers: number) => ({
  jobID,
  type: 'LAUNCH',
  status: 'STARTED',
  participatingServers: Array.from({ length: servers }, (_, i) => ({ sourceServerID: `s-${i}` })),
});

/** The write-expressions start-wave sent to the execution item, in order. */
const executionUpdates = () =>
  ddb
    .commandCalls(UpdateCommand)
    .map((c) => c.args[0].input)
    .filter((input) => input.Key?.sk === executionKey.sk);

describe("start-wave when DRS refuses StartRecovery for a quota (the account's quota is lower than the plan assumes)", () => {
  beforeEach(() => {
    ddb.on(GetCommand, { Key: waveKey }).resolves({ Item: waveItem() });
    ddb.on(GetCommand, { Key: executionKey }).resolves({ Item: executionItem() });
    ddb.on(UpdateCommand).resolves({});
    whenDrs(drs, DescribeSourceServersCommand).resolves({ items: [{ sourceServerID: A }, { sourceServerID: B }] });
    whenDrs(drs, StartRecoveryCommand).rejects(quotaExceeded());
  });

  it('with jobs running: gives the claim back, learns drsJobsLimit = the jobs running, and waits for room (WaveWaitingForCapacity)', async () => {
    // One job of another wave of ours (holding room) and one of someone else's: both hold DRS's quota.
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [running(JOB, 1), running('drsjob-00000000000other', 3)] });

    await expect(startWave(event)).rejects.toMatchObject({
      name: 'WaveWaitingForCapacity',
      message: expect.stringContaining('2 job(s) with 4 server(s) run in the account'),
    });

    const updates = executionUpdates();
    const release = updates.findIndex((u) => u.UpdateExpression?.includes('REMOVE waves.#w'));
    const learn = updates.findIndex((u) => u.UpdateExpression === 'SET drsJobsLimit = :jobs');
    expect(release).toBeGreaterThan(0);
    expect(learn).toBeGreaterThan(release);
    expect(updates[learn]).toMatchObject({
      ConditionExpression: expect.stringContaining('drsJobsLimit > :jobs'),
      ExpressionAttributeValues: { ':jobs': 2 },
    });
    expect(drsInputs(drs, StartRecoveryCommand)).toHaveLength(1);
  });

  it("with nothing running: it can never fit, DrsRejected naming the quota and the plan's maxConcurrentJobs / maxServersInAllJobs", async () => {
    whenDrs(drs, DescribeJobsCommand).resolves({
      items: [{ ...running('drsjob-00000000000ended', 2), status: 'COMPLETED' }],
    });

    await expect(startWave(event)).rejects.toMatchObject({
      name: 'DrsRejected',
      message: expect.stringMatching(/ServiceQuotaExceededException.*maxConcurrentJobs and maxServersInAllJobs/),
    });
    // The claim is kept (the wave's verdict records it FAILED) and nothing is learned.
    expect(executionUpdates().map((u) => u.UpdateExpression)).toEqual([
      expect.stringContaining('SET #status = :polling'),
    ]);
  });

  it('claims with the learned limit: the room is min(maxConcurrentJobs, drsJobsLimit), and only while the limit stands', async () => {
    ddb.on(GetCommand, { Key: executionKey }).resolves({ Item: executionItem({ drsJobsLimit: 3 }) });
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [running('drsjob-00000000000other', 1)] });
    whenDrs(drs, StartRecoveryCommand).resolves({ job: { jobID: JOB } });

    await startWave(event);

    const claim = executionUpdates()[0];
    // 3 learned (the plan's 20 is higher) less one other job less this wave.
    expect(claim?.ExpressionAttributeValues).toMatchObject({ ':wavesRoom': 1, ':learnedJobs': 3 });
    expect(claim?.ConditionExpression).toContain('drsJobsLimit >= :learnedJobs');
  });

  it("counts an ended wave's job that DRS still runs among the others in its claim (a FAILED verdict, servers still launching)", async () => {
    ddb.on(GetCommand, { Key: executionKey }).resolves({
      Item: executionItem({
        failedWaves: 1,
        waves: { '0': { status: 'FAILED', claimedAt: '2026-01-01T00:00:00.000Z', servers: 1, jobId: JOB } },
      }),
    });
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [running(JOB, 1)] });
    whenDrs(drs, StartRecoveryCommand).resolves({ job: { jobID: 'drsjob-00000000000000002' } });

    await startWave(event);

    // maxConcurrentJobs 20 less the failed wave's running job less this wave; 500 servers less 1 less the wave's 2.
    expect(executionUpdates()[0]?.ExpressionAttributeValues).toMatchObject({ ':wavesRoom': 18, ':serversRoom': 497 });
  });
});
