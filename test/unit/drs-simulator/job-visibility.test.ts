import { DescribeJobsCommand, DescribeSourceServersCommand, StartRecoveryCommand } from '@aws-sdk/client-drs';
import { at, S1, S2, simulatorHarness } from './harness';

const start = simulatorHarness();

describe('DrsSimulator job visibility (jobVisibleAfterSeconds)', () => {
  it('leaves a new job out of DescribeJobs, asked for by ID too, until it is old enough', async () => {
    // Prepare
    const { client, clock, sim } = await start({ scenario: { jobVisibleAfterSeconds: 10 } });
    const { job } = await client.send(
      new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }], isDrill: true }),
    );
    const jobID = job?.jobID as string;

    // Act
    clock.advance(9);
    const listedEarly = await client.send(new DescribeJobsCommand({}));
    const byIdEarly = await client.send(new DescribeJobsCommand({ filters: { jobIDs: [jobID] } }));
    clock.advance(1);
    const listed = await client.send(new DescribeJobsCommand({}));
    const byId = await client.send(new DescribeJobsCommand({ filters: { jobIDs: [jobID] } }));

    // Assess
    expect(listedEarly.items).toEqual([]);
    expect(byIdEarly.items).toEqual([]);
    expect(listed.items?.map((j) => j.jobID)).toEqual([jobID]);
    expect(byId.items?.map((j) => j.jobID)).toEqual([jobID]);
    expect(sim.jobs().map((j) => j.jobID)).toEqual([jobID]);
  });

  it("names the new job at once in each server's lifeCycle.lastLaunch.initiated, as DRS does", async () => {
    // Prepare
    const { client, clock } = await start({ scenario: { jobVisibleAfterSeconds: 60 } });
    clock.advance(5);

    // Act
    const { job } = await client.send(
      new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }], isDrill: true }),
    );
    const { items } = await client.send(new DescribeSourceServersCommand({}));

    // Assess
    const byId = new Map(items?.map((s) => [s.sourceServerID, s.lifeCycle]));
    expect(byId.get(S1)?.lastLaunch?.initiated).toEqual({ apiCallDateTime: at(5), jobID: job?.jobID, type: 'DRILL' });
    expect(byId.get(S2)?.lastLaunch).toBeUndefined();
  });

  it('lists every job at once by default', async () => {
    const { client } = await start();
    await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }], isDrill: true }));
    expect((await client.send(new DescribeJobsCommand({}))).items).toHaveLength(1);
  });
});
