import { DescribeJobsCommand, StartRecoveryCommand } from '@aws-sdk/client-drs';
import type { DrsExchange } from '../../../local/drs-simulator';
import { responseProblems } from '../../support/drs-model';
import { S1, S2, simulatorHarness } from './harness';

const startOf = (...ids: string[]) =>
  new StartRecoveryCommand({ sourceServers: ids.map((sourceServerID) => ({ sourceServerID })), isDrill: true });

describe('DrsSimulator otherJobs: jobs already running in the account from something else', () => {
  const harness = simulatorHarness();

  it("lists them in DescribeJobs (no tags of ours, their servers outside the plan), in the DRS API model's shape", async () => {
    const { client, sim } = await harness({ scenario: { otherJobs: [{ servers: 3, forSeconds: 3600 }] } });
    const exchanges: DrsExchange[] = [];
    sim.onExchange((e) => exchanges.push(e));

    const { items } = await client.send(new DescribeJobsCommand({}));

    expect(items).toHaveLength(1);
    expect(items?.[0]).toMatchObject({ type: 'LAUNCH', status: 'PENDING', tags: {} });
    expect(items?.[0]?.participatingServers?.map((p) => p.sourceServerID)).toHaveLength(3);
    expect(items?.[0]?.participatingServers?.every((p) => /^s-[0-9a-zA-Z]{17}$/.test(p.sourceServerID ?? ''))).toBe(
      true,
    );
    const [exchange] = exchanges;
    expect(responseProblems('DescribeJobs', exchange?.statusCode as number, exchange?.body)).toEqual([]);
  });

  it('counts them against the quotas while they run: STARTED, then COMPLETED after forSeconds, when their room frees', async () => {
    const { client, clock, sim } = await harness({
      scenario: { quotas: { maxServersInAllJobs: 4 }, otherJobs: [{ servers: 3, forSeconds: 600 }] },
      planServerIDs: [S1, S2],
    });
    clock.advance(5);
    expect((await client.send(new DescribeJobsCommand({}))).items?.[0]?.status).toBe('STARTED');

    await expect(client.send(startOf(S1, S2))).rejects.toMatchObject({
      name: 'ServiceQuotaExceededException',
      message: expect.stringContaining('3 source servers are in running jobs'),
    });
    await expect(client.send(startOf(S1))).resolves.toBeDefined();

    clock.advance(600);
    const jobs = (await client.send(new DescribeJobsCommand({}))).items ?? [];
    expect(
      jobs.find((j) => j.tags?.['drs-orchestrator:plan-id'] === undefined && j.participatingServers?.length === 3),
    ).toMatchObject({ status: 'COMPLETED' });
    await expect(client.send(startOf(S2))).resolves.toBeDefined();
    expect(sim.counts()).toMatchObject({ jobsCreated: 2, refusedCalls: 1 });
  });

  it('refuses an other job that is not a positive count of servers for a positive time, naming each problem', async () => {
    await expect(harness({ scenario: { otherJobs: [{ servers: 0, forSeconds: -1, colour: 'red' }] } })).rejects.toThrow(
      /servers 0 is less than 1[\s\S]*forSeconds -1 is not greater than 0[\s\S]*unknown field "colour"/,
    );
  });
});
