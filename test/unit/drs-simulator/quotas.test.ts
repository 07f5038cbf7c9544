import { StartRecoveryCommand, TerminateRecoveryInstancesCommand } from '@aws-sdk/client-drs';
import { describeJob, S1, S2, S3, simulatorHarness } from './harness';

const startOf = (...ids: string[]) =>
  new StartRecoveryCommand({ sourceServers: ids.map((sourceServerID) => ({ sourceServerID })), isDrill: true });
const quotaRefusal = { name: 'ServiceQuotaExceededException', $metadata: { httpStatusCode: 402 } };

describe('DrsSimulator quotas', () => {
  const harness = simulatorHarness();

  it('refuses a job with more servers than the quota of servers per job, creating nothing', async () => {
    const { client, sim } = await harness({
      scenario: { quotas: { maxServersPerJob: 2 } },
      planServerIDs: [S1, S2, S3],
    });

    await expect(client.send(startOf(S1, S2, S3))).rejects.toMatchObject({
      ...quotaRefusal,
      message: expect.stringContaining('quota of source servers in a single job is 2'),
    });
    await expect(client.send(startOf(S1, S2))).resolves.toBeDefined();
    expect(sim.counts()).toMatchObject({ jobsCreated: 1, refusedCalls: 1 });
  });

  it('refuses a job past the quota of concurrent jobs until a running job completes', async () => {
    const { client, clock, sim } = await harness({
      scenario: { quotas: { maxConcurrentJobs: 1 } },
      planServerIDs: [S1, S2],
    });
    const { job } = await client.send(startOf(S1));

    await expect(client.send(startOf(S2))).rejects.toMatchObject({
      ...quotaRefusal,
      message: expect.stringContaining('1 jobs are running and the quota of concurrent jobs is 1'),
    });
    clock.advance(60);
    expect((await describeJob(client, job?.jobID as string)).status).toBe('COMPLETED');
    await expect(client.send(startOf(S2))).resolves.toBeDefined();
    expect(sim.counts()).toMatchObject({ jobsCreated: 2, refusedCalls: 1 });
  });

  it('refuses a job past the quota of servers in all running jobs', async () => {
    const { client } = await harness({
      scenario: { quotas: { maxServersInAllJobs: 2 } },
      planServerIDs: [S1, S2, S3],
    });
    await client.send(startOf(S1));

    await expect(client.send(startOf(S2, S3))).rejects.toMatchObject({
      ...quotaRefusal,
      message: expect.stringContaining(
        '1 source servers are in running jobs and the quota of source servers in all jobs is 2',
      ),
    });
    await expect(client.send(startOf(S2))).resolves.toBeDefined();
  });

  it('counts TERMINATE jobs as running jobs', async () => {
    const { client, clock } = await harness({
      scenario: { quotas: { maxConcurrentJobs: 1 } },
      planServerIDs: [S1, S2],
    });
    const { job } = await client.send(startOf(S1));
    clock.advance(60);
    const launched = await describeJob(client, job?.jobID as string);
    const instance = launched.participatingServers?.[0]?.recoveryInstanceID as string;
    await client.send(new TerminateRecoveryInstancesCommand({ recoveryInstanceIDs: [instance] }));

    await expect(client.send(startOf(S2))).rejects.toMatchObject(quotaRefusal);
  });

  it("enforces DRS's default quotas when the scenario names none (100 servers per job)", async () => {
    const ids = Array.from({ length: 101 }, (_, n) => `s-${String(n + 1).padStart(17, '0')}`);
    const { client } = await harness({ planServerIDs: ids });

    await expect(client.send(startOf(...ids))).rejects.toMatchObject(quotaRefusal);
    await expect(client.send(startOf(...ids.slice(0, 100)))).resolves.toBeDefined();
  });
});
