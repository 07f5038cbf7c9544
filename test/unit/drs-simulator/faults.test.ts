import { DescribeJobsCommand, DescribeSourceServersCommand, StartRecoveryCommand } from '@aws-sdk/client-drs';
import { S1, simulatorHarness } from './harness';

const start = new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }], isDrill: true });

describe('DrsSimulator faults', () => {
  const harness = simulatorHarness();

  it('throttles the first calls, creating nothing, then serves', async () => {
    const { client, sim } = await harness({ scenario: { faults: { StartRecovery: { throttleTimes: 2 } } } });

    await expect(client.send(start)).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 429 },
    });
    await expect(client.send(start)).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(client.send(start)).resolves.toMatchObject({ job: { status: 'PENDING' } });

    expect(sim.counts()).toMatchObject({ startRecoveryCalls: 3, jobsCreated: 1, throttledCalls: 2 });
  });

  it('answers InternalServerException having done nothing', async () => {
    const { client, sim } = await harness({ scenario: { faults: { StartRecovery: { internalErrorTimes: 1 } } } });
    await expect(client.send(start)).rejects.toMatchObject({
      name: 'InternalServerException',
      $metadata: { httpStatusCode: 500 },
    });
    expect(sim.counts()).toMatchObject({ jobsCreated: 0, internalErrors: 1 });
  });

  it('loses the response of a call whose work was done: the job exists, the client hears nothing', async () => {
    const { client, sim } = await harness({ scenario: { faults: { StartRecovery: { loseResponseTimes: 1 } } } });

    await expect(client.send(start)).rejects.toBeDefined();

    expect(sim.counts()).toMatchObject({ jobsCreated: 1, lostResponses: 1 });
    const { items } = await client.send(new DescribeJobsCommand({}));
    expect(items).toHaveLength(1);
  });

  it('can lose a response as a 500 instead of a dropped connection', async () => {
    const { client, sim } = await harness({
      scenario: { faults: { StartRecovery: { loseResponseTimes: 1, loseResponseAs: 'error' } } },
    });
    await expect(client.send(start)).rejects.toMatchObject({ name: 'InternalServerException' });
    expect(sim.counts()).toMatchObject({ jobsCreated: 1, lostResponses: 1 });
  });

  it('applies throttling, then internal errors, then lost responses, in that order, to one operation only', async () => {
    const { client, sim } = await harness({
      scenario: { faults: { DescribeJobs: { throttleTimes: 1, internalErrorTimes: 1, loseResponseTimes: 1 } } },
    });
    const describe = new DescribeJobsCommand({});
    await expect(client.send(describe)).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(client.send(describe)).rejects.toMatchObject({ name: 'InternalServerException' });
    await expect(client.send(describe)).rejects.toBeDefined();
    await expect(client.send(describe)).resolves.toMatchObject({ items: [] });
    await expect(client.send(start)).resolves.toBeDefined();
    expect(sim.counts()).toMatchObject({ throttledCalls: 1, internalErrors: 1, lostResponses: 1, jobsCreated: 1 });
  });

  it.each([
    ['AccessDeniedException', 403],
    ['UninitializedAccountException', 400],
    ['ServiceQuotaExceededException', 402],
    ['ConflictException', 409],
  ])('refuses the next calls with the named DRS error %s (HTTP %d), having done nothing', async (error, status) => {
    const { client, sim } = await harness({
      scenario: { faults: { StartRecovery: { throttleTimes: 1, errorTimes: 2, error } } },
    });

    await expect(client.send(start)).rejects.toMatchObject({ name: 'ThrottlingException' });
    await expect(client.send(start)).rejects.toMatchObject({ name: error, $metadata: { httpStatusCode: status } });
    await expect(client.send(start)).rejects.toMatchObject({ name: error, $metadata: { httpStatusCode: status } });
    await expect(client.send(start)).resolves.toMatchObject({ job: { status: 'PENDING' } });

    expect(sim.counts()).toMatchObject({ startRecoveryCalls: 4, jobsCreated: 1, throttledCalls: 1, refusedCalls: 2 });
  });

  it('answers AccessDeniedException for a read too (DescribeSourceServers)', async () => {
    const { client } = await harness({
      scenario: { faults: { DescribeSourceServers: { errorTimes: 1, error: 'AccessDeniedException' } } },
    });
    await expect(client.send(new DescribeSourceServersCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('drs:DescribeSourceServers'),
      $metadata: { httpStatusCode: 403 },
    });
    await expect(client.send(new DescribeSourceServersCommand({}))).resolves.toBeDefined();
  });
});
