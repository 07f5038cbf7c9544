import { DescribeJobsCommand, DescribeSourceServersCommand, StartRecoveryCommand } from '@aws-sdk/client-drs';
import { parseScenario, ScenarioInvalid } from '../../../local/drs-simulator';
import { S1, simulatorHarness } from './harness';

const problemsOf = (outages: unknown): string[] => {
  try {
    parseScenario({ outages });
  } catch (error) {
    if (error instanceof ScenarioInvalid) return error.problems;
    throw error;
  }
  return [];
};

describe('DrsSimulator outages', () => {
  const harness = simulatorHarness();
  const describe = new DescribeJobsCommand({});

  it('fails every call to the named operations inside the window of simulated time, and only those', async () => {
    const { client, clock, sim } = await harness({
      scenario: { outages: [{ operations: ['DescribeJobs'], fromSeconds: 120, forSeconds: 900 }] },
    });

    await expect(client.send(describe)).resolves.toMatchObject({ items: [] });
    clock.advance(120);
    await expect(client.send(describe)).rejects.toMatchObject({
      name: 'InternalServerException',
      $metadata: { httpStatusCode: 500 },
    });
    await expect(client.send(describe)).rejects.toMatchObject({ name: 'InternalServerException' });
    await expect(client.send(new DescribeSourceServersCommand({}))).resolves.toBeDefined();
    clock.advance(899);
    await expect(client.send(describe)).rejects.toMatchObject({ name: 'InternalServerException' });
    clock.advance(1);
    await expect(client.send(describe)).resolves.toMatchObject({ items: [] });

    expect(sim.counts()).toMatchObject({ describeJobsCalls: 5, internalErrors: 3 });
  });

  it('throttles every operation with "all", having done nothing', async () => {
    const { client, sim } = await harness({
      scenario: { outages: [{ operations: 'all', fromSeconds: 0, forSeconds: 60, error: 'ThrottlingException' }] },
    });
    const start = new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }], isDrill: true });

    await expect(client.send(start)).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 429 },
    });
    await expect(client.send(describe)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(sim.counts()).toMatchObject({ jobsCreated: 0, throttledCalls: 2 });
  });
});

describe('parseScenario outages', () => {
  it('returns each outage, InternalServerException by default', () => {
    expect(parseScenario({ outages: [{ operations: 'all', fromSeconds: 0, forSeconds: 30 }] }).outages).toEqual([
      { operations: 'all', fromSeconds: 0, forSeconds: 30, error: 'InternalServerException' },
    ]);
  });

  it('fails naming every problem of an outage', () => {
    expect(
      problemsOf([
        { operations: ['DescribeJob'], fromSeconds: -1, forSeconds: 0, error: 'AccessDeniedException', when: 'now' },
      ]),
    ).toEqual([
      'outages[0]: operations ["DescribeJob"] is not valid (expected "all" or a non-empty list of StartRecovery, DescribeJobs, DescribeJobLogItems, DescribeSourceServers, DescribeRecoveryInstances, TerminateRecoveryInstances, ListLaunchActions, DescribeRecoverySnapshots)',
      'outages[0]: fromSeconds -1 is less than 0 (expected a number ≥ 0)',
      'outages[0]: forSeconds 0 is not greater than 0 (expected a number > 0)',
      'outages[0]: error "AccessDeniedException" is not one of InternalServerException, ThrottlingException',
      'outages[0]: unknown field "when" (expected only operations, fromSeconds, forSeconds, error)',
    ]);
  });
});
