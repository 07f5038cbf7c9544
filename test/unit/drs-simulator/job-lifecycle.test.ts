import {
  DescribeJobsCommand,
  DescribeRecoveryInstancesCommand,
  DescribeSourceServersCommand,
  type DrsClient,
  type Job,
  type JobLog,
  paginateDescribeJobLogItems,
  StartRecoveryCommand,
  TerminateRecoveryInstancesCommand,
} from '@aws-sdk/client-drs';
import { at, describeJob, S1, S2, S3, simulatorHarness } from './harness';

const start = simulatorHarness();

async function jobLog(client: DrsClient, jobID: string): Promise<JobLog[]> {
  const items: JobLog[] = [];
  for await (const page of paginateDescribeJobLogItems({ client, pageSize: 2 }, { jobID })) {
    items.push(...(page.items ?? []));
  }
  return items;
}

function statuses(job: Job): Record<string, string | undefined> {
  return Object.fromEntries((job.participatingServers ?? []).map((s) => [s.sourceServerID, s.launchStatus]));
}

describe('DrsSimulator job lifecycle', () => {
  it('returns a job that goes PENDING → STARTED → COMPLETED while its servers go PENDING → IN_PROGRESS → LAUNCHED', async () => {
    // Prepare
    const { client, clock } = await start();

    // Act
    const started = await client.send(
      new StartRecoveryCommand({
        sourceServers: [{ sourceServerID: S1 }, { sourceServerID: S2 }],
        isDrill: true,
        tags: { plan: 'three-tier' },
      }),
    );
    const job = started.job as Job;
    clock.advance(1);
    const afterOne = await describeJob(client, job.jobID as string);
    clock.advance(9);
    const afterTen = await describeJob(client, job.jobID as string);
    clock.advance(50);
    const afterSixty = await describeJob(client, job.jobID as string);

    // Assess
    expect(started.$metadata.httpStatusCode).toBe(202);
    expect(job).toMatchObject({
      type: 'LAUNCH',
      initiatedBy: 'START_DRILL',
      status: 'PENDING',
      creationDateTime: at(0),
      tags: { plan: 'three-tier' },
    });
    expect(job.jobID).toMatch(/^drsjob-[0-9a-zA-Z]{17}$/);
    expect(job.arn).toBe(`arn:aws:drs:us-east-1:123456789012:job/${job.jobID}`);
    expect(job.endDateTime).toBeUndefined();
    expect(statuses(job)).toEqual({ [S1]: 'PENDING', [S2]: 'PENDING' });
    expect(afterOne.status).toBe('STARTED');
    expect(statuses(afterOne)).toEqual({ [S1]: 'PENDING', [S2]: 'PENDING' });
    expect(afterTen.status).toBe('STARTED');
    expect(statuses(afterTen)).toEqual({ [S1]: 'IN_PROGRESS', [S2]: 'IN_PROGRESS' });
    expect(afterSixty).toMatchObject({ status: 'COMPLETED', endDateTime: at(60) });
    expect(statuses(afterSixty)).toEqual({ [S1]: 'LAUNCHED', [S2]: 'LAUNCHED' });
    for (const server of afterSixty.participatingServers ?? []) {
      expect(server.recoveryInstanceID).toMatch(/^i-[0-9a-f]{17}$/);
    }
  });

  it('returns recovery instances and source server launch details once the servers launched', async () => {
    // Prepare
    const { client, clock } = await start({
      scenario: { sourceServers: [{ sourceServerID: S1, hostname: 'db-1' }, { sourceServerID: S2 }] },
    });
    const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));
    const jobID = job?.jobID as string;

    // Act
    const before = await client.send(new DescribeSourceServersCommand({ filters: { sourceServerIDs: [S1] } }));
    clock.advance(60);
    const instances = await client.send(new DescribeRecoveryInstancesCommand({}));
    const servers = await client.send(new DescribeSourceServersCommand({}));
    const launched = await describeJob(client, jobID);

    // Assess
    expect(before.items?.[0]).toMatchObject({ sourceServerID: S1, lastLaunchResult: 'PENDING' });
    const instanceID = launched.participatingServers?.[0]?.recoveryInstanceID;
    expect(instances.items).toEqual([
      expect.objectContaining({
        recoveryInstanceID: instanceID,
        ec2InstanceID: instanceID,
        ec2InstanceState: 'RUNNING',
        jobID,
        isDrill: false,
        sourceServerID: S1,
      }),
    ]);
    expect(servers.items).toEqual([
      expect.objectContaining({
        sourceServerID: S1,
        arn: `arn:aws:drs:us-east-1:123456789012:source-server/${S1}`,
        tags: {},
        recoveryInstanceId: instanceID,
        lastLaunchResult: 'SUCCEEDED',
        sourceProperties: { identificationHints: { hostname: 'db-1' } },
        dataReplicationInfo: expect.objectContaining({ dataReplicationState: 'CONTINUOUS' }),
        lifeCycle: expect.objectContaining({
          lastLaunch: { initiated: { apiCallDateTime: at(0), jobID, type: 'RECOVERY' }, status: 'LAUNCHED' },
        }),
      }),
      expect.objectContaining({ sourceServerID: S2, lastLaunchResult: 'NOT_STARTED' }),
    ]);
    expect(servers.items?.[1]?.lifeCycle?.lastLaunch).toBeUndefined();
  });

  it('returns a FAILED server with no recovery instance and a LAUNCH_FAILED log item carrying rawError', async () => {
    // Prepare
    const rawError = 'An error occurred (InvalidSubnetID.NotFound) when calling the RunInstances operation';
    const { client, clock } = await start({
      scenario: { launches: { [S2]: { result: 'FAILED', afterSeconds: 30, rawError } } },
    });
    const { job } = await client.send(
      new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }, { sourceServerID: S2 }] }),
    );
    const jobID = job?.jobID as string;

    // Act
    clock.advance(30);
    const atThirty = await describeJob(client, jobID);
    const logAtThirty = await jobLog(client, jobID);
    clock.advance(30);
    const atSixty = await describeJob(client, jobID);
    const logAtSixty = await jobLog(client, jobID);
    const instances = await client.send(new DescribeRecoveryInstancesCommand({ filters: { sourceServerIDs: [S2] } }));

    // Assess
    expect(atThirty.status).toBe('STARTED');
    expect(statuses(atThirty)).toEqual({ [S1]: 'IN_PROGRESS', [S2]: 'FAILED' });
    expect(atThirty.participatingServers?.find((s) => s.sourceServerID === S2)?.recoveryInstanceID).toBeUndefined();
    const conversionServer = expect.stringMatching(/^i-[0-9a-f]{17}$/);
    expect(logAtThirty.filter((item) => item.eventData?.sourceServerID === S2)).toEqual([
      { logDateTime: at(10), event: 'SNAPSHOT_START', eventData: { sourceServerID: S2 } },
      { logDateTime: at(14), event: 'SNAPSHOT_END', eventData: { sourceServerID: S2 } },
      {
        logDateTime: at(14),
        event: 'CONVERSION_START',
        eventData: { sourceServerID: S2, conversionServerID: conversionServer },
      },
      {
        logDateTime: at(22),
        event: 'CONVERSION_END',
        eventData: { sourceServerID: S2, conversionServerID: conversionServer },
      },
      { logDateTime: at(22), event: 'LAUNCH_START', eventData: { sourceServerID: S2 } },
      { logDateTime: at(30), event: 'LAUNCH_FAILED', eventData: { sourceServerID: S2, rawError } },
    ]);
    expect(atSixty).toMatchObject({ status: 'COMPLETED', endDateTime: at(60) });
    expect(statuses(atSixty)).toEqual({ [S1]: 'LAUNCHED', [S2]: 'FAILED' });
    expect(logAtSixty.filter((item) => item.eventData?.sourceServerID !== S2).map((item) => item.event)).toEqual([
      'JOB_START',
      'SNAPSHOT_START',
      'SNAPSHOT_END',
      'CONVERSION_START',
      'CONVERSION_END',
      'LAUNCH_START',
      'JOB_END',
    ]);
    expect(logAtSixty.at(-1)).toEqual({ logDateTime: at(60), event: 'JOB_END' });
    expect(instances.items).toEqual([]);
  });

  it('returns the default EC2 capacity error as rawError when the scenario gives none', async () => {
    // Prepare
    const { client, clock } = await start({ scenario: { launches: { [S1]: { result: 'FAILED' } } } });
    const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));

    // Act
    clock.advance(60);
    const log = await jobLog(client, job?.jobID as string);

    // Assess
    expect(log.find((item) => item.event === 'LAUNCH_FAILED')?.eventData?.rawError).toBe(
      'An error occurred (InsufficientInstanceCapacity) when calling the RunInstances operation: We currently do not have sufficient t3.large capacity in the Availability Zone you requested (us-east-1a).',
    );
  });

  it('returns a TERMINATED server with a terminated recovery instance and a LAUNCH_FAILED item', async () => {
    // Prepare
    const { client, clock } = await start({
      scenario: { launches: { [S1]: { result: 'TERMINATED', afterSeconds: 40 } } },
    });
    const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));
    const jobID = job?.jobID as string;

    // Act
    clock.advance(40);
    const completed = await describeJob(client, jobID);
    const log = await jobLog(client, jobID);
    const instances = await client.send(new DescribeRecoveryInstancesCommand({}));

    // Assess
    const server = completed.participatingServers?.[0];
    expect(completed.status).toBe('COMPLETED');
    expect(server?.launchStatus).toBe('TERMINATED');
    expect(server?.recoveryInstanceID).toMatch(/^i-[0-9a-f]{17}$/);
    expect(instances.items).toEqual([
      expect.objectContaining({ recoveryInstanceID: server?.recoveryInstanceID, ec2InstanceState: 'TERMINATED' }),
    ]);
    const failed = log.find((item) => item.event === 'LAUNCH_FAILED');
    expect(failed?.eventData?.sourceServerID).toBe(S1);
    expect(failed?.eventData?.rawError).toMatch(/terminated after launch/);
  });

  it('returns a COMPLETED job with a STUCK server still IN_PROGRESS once jobCompletesAfterSeconds has passed', async () => {
    // Prepare
    const { client, clock } = await start({
      scenario: { launches: { [S1]: { result: 'STUCK' } }, jobCompletesAfterSeconds: 600 },
    });
    const { job } = await client.send(
      new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }, { sourceServerID: S2 }] }),
    );
    const jobID = job?.jobID as string;

    // Act
    clock.advance(599);
    const before = await describeJob(client, jobID);
    clock.advance(1);
    const completed = await describeJob(client, jobID);
    clock.advance(3600);
    const muchLater = await describeJob(client, jobID);
    const log = await jobLog(client, jobID);

    // Assess
    expect(before.status).toBe('STARTED');
    expect(statuses(before)).toEqual({ [S1]: 'IN_PROGRESS', [S2]: 'LAUNCHED' });
    expect(completed).toMatchObject({ status: 'COMPLETED', endDateTime: at(600) });
    expect(statuses(completed)).toEqual({ [S1]: 'IN_PROGRESS', [S2]: 'LAUNCHED' });
    expect(statuses(muchLater)).toEqual({ [S1]: 'IN_PROGRESS', [S2]: 'LAUNCHED' });
    expect(log.at(-1)).toEqual({ logDateTime: at(600), event: 'JOB_END' });
  });

  it('returns a job that stays STARTED while a STUCK server never finishes and no deadline is set', async () => {
    // Prepare
    const { client, clock } = await start({ scenario: { launches: { [S1]: { result: 'STUCK' } } } });
    const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));

    // Act
    clock.advance(86_400);
    const dayLater = await describeJob(client, job?.jobID as string);

    // Assess
    expect(dayLater.status).toBe('STARTED');
    expect(statuses(dayLater)).toEqual({ [S1]: 'IN_PROGRESS' });
  });

  it('returns a job without the servers the scenario omits from it', async () => {
    // Prepare
    const { client, clock, sim } = await start({
      planServerIDs: [S1, S2, S3],
      scenario: { launches: { [S2]: { omitFromJob: true } } },
    });

    // Act
    const started = await client.send(
      new StartRecoveryCommand({
        sourceServers: [{ sourceServerID: S1 }, { sourceServerID: S2 }, { sourceServerID: S3 }],
      }),
    );
    clock.advance(60);
    const completed = await describeJob(client, started.job?.jobID as string);
    const omitted = await client.send(new DescribeSourceServersCommand({ filters: { sourceServerIDs: [S2] } }));

    // Assess
    expect(started.$metadata.httpStatusCode).toBe(202);
    expect(Object.keys(statuses(started.job as Job))).toEqual([S1, S3]);
    expect(statuses(completed)).toEqual({ [S1]: 'LAUNCHED', [S3]: 'LAUNCHED' });
    expect(omitted.items?.[0]?.lastLaunchResult).toBe('NOT_STARTED');
    expect(sim.jobs()).toEqual([completed]);
  });

  it('returns a TERMINATE job that terminates the recovery instances after 60 seconds', async () => {
    // Prepare
    const { client, clock } = await start();
    const { job: launch } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));
    clock.advance(60);
    const instanceID = (await describeJob(client, launch?.jobID as string)).participatingServers?.[0]
      ?.recoveryInstanceID as string;

    // Act
    const terminate = await client.send(new TerminateRecoveryInstancesCommand({ recoveryInstanceIDs: [instanceID] }));
    clock.advance(60);
    const jobs = await client.send(new DescribeJobsCommand({}));
    const instances = await client.send(
      new DescribeRecoveryInstancesCommand({ filters: { recoveryInstanceIDs: [instanceID] } }),
    );
    const server = await client.send(new DescribeSourceServersCommand({ filters: { sourceServerIDs: [S1] } }));

    // Assess
    expect(terminate.job).toMatchObject({
      type: 'TERMINATE',
      initiatedBy: 'TERMINATE_RECOVERY_INSTANCES',
      status: 'PENDING',
      participatingServers: [{ sourceServerID: S1, recoveryInstanceID: instanceID, launchStatus: 'PENDING' }],
    });
    expect(jobs.items?.map((j) => [j.type, j.status])).toEqual([
      ['TERMINATE', 'COMPLETED'],
      ['LAUNCH', 'COMPLETED'],
    ]);
    expect(jobs.items?.[0]?.endDateTime).toBe(at(120));
    expect(instances.items?.[0]?.ec2InstanceState).toBe('TERMINATED');
    expect(server.items?.[0]?.recoveryInstanceId).toBeUndefined();
  });
});
