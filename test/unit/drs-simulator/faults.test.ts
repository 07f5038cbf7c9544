import { DescribeJobsCommand, DescribeSourceServersCommand, StartRecoveryCommand } from '@aws-sdk/client-drs';
import { S1, simulatorHarness } from './harness';

const start = new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }], isDrill: true });
/** Short client timeouts, so a call the simulator never answers fails in half a second. */
const drsTimeouts = { connectionMs: 500, readRequestMs: 500, startRequestMs: 500 };

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

  it('never answers a hung call whose work was done: the client times out and the job exists', async () => {
    const { client, sim } = await harness({
      scenario: { faults: { StartRecovery: { hangTimes: 1 } } },
      drsTimeouts,
    });

    await expect(client.send(start)).rejects.toMatchObject({ name: 'TimeoutError' });

    expect(sim.counts()).toMatchObject({ startRecoveryCalls: 1, jobsCreated: 1, hungCalls: 1, lostResponses: 0 });
    expect(sim.jobs()).toHaveLength(1);
  });

  it('applies hangs after lost responses, then serves', async () => {
    const { client, sim } = await harness({
      scenario: { faults: { DescribeJobs: { loseResponseTimes: 1, hangTimes: 2 } } },
      drsTimeouts,
    });
    const describe = new DescribeJobsCommand({});

    await expect(client.send(describe)).rejects.not.toMatchObject({ name: 'TimeoutError' });
    await expect(client.send(describe)).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect(client.send(describe)).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect(client.send(describe)).resolves.toMatchObject({ items: [] });

    expect(sim.counts()).toMatchObject({ describeJobsCalls: 4, lostResponses: 1, hungCalls: 2 });
  });

  it('closes the connections of hung calls when stopped, so they keep nothing alive', async () => {
    const { client, sim } = await harness({
      scenario: { faults: { StartRecovery: { hangTimes: 1 } } },
      drsTimeouts: { connectionMs: 60_000, readRequestMs: 60_000, startRequestMs: 60_000 },
    });
    const call = client.send(start);
    call.catch(() => undefined);
    while (sim.counts().hungCalls === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    await sim.stop();

    await expect(call).rejects.not.toMatchObject({ name: 'TimeoutError' });
  });
});
