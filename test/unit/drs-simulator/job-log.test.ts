import {
  type DrsClient,
  type JobLog,
  JobLogEvent,
  paginateDescribeJobLogItems,
  StartRecoveryCommand,
} from '@aws-sdk/client-drs';
import { at, describeJob, S1, S2, simulatorHarness } from './harness';

const start = simulatorHarness();

async function jobLog(client: DrsClient, jobID: string): Promise<JobLog[]> {
  const items: JobLog[] = [];
  for await (const page of paginateDescribeJobLogItems({ client }, { jobID })) items.push(...(page.items ?? []));
  return items;
}

const eventsOf = (log: JobLog[], sourceServerID: string) =>
  log.filter((item) => item.eventData?.sourceServerID === sourceServerID).map((item) => item.event);

describe('DrsSimulator job log', () => {
  it('logs only the event names of the SDK’s JobLogEvent', async () => {
    const { client, clock } = await start({
      scenario: {
        sourceServers: [
          { sourceServerID: S1, replicationState: 'STALLED' },
          { sourceServerID: S2, replicationState: 'CONTINUOUS' },
        ],
        launches: { [S1]: { result: 'FAILED' }, [S2]: { result: 'SKIPPED' } },
      },
    });
    const { job } = await client.send(
      new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }, { sourceServerID: S2 }] }),
    );
    clock.advance(120);

    const log = await jobLog(client, job?.jobID as string);

    const known = new Set<string>(Object.values(JobLogEvent));
    expect(log.length).toBeGreaterThan(5);
    expect(log.filter((item) => !known.has(item.event ?? ''))).toEqual([]);
  });

  it('logs a snapshot, the conversion and the launch of each server, and no launch-success event', async () => {
    const { client, clock } = await start({});
    const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));
    clock.advance(60);

    const log = await jobLog(client, job?.jobID as string);

    expect(log.map((item) => item.event)).toEqual([
      'JOB_START',
      'SNAPSHOT_START',
      'SNAPSHOT_END',
      'CONVERSION_START',
      'CONVERSION_END',
      'LAUNCH_START',
      'JOB_END',
    ]);
  });

  it('falls back on the previous snapshot for a server that does not replicate (SNAPSHOT_FAIL, USING_PREVIOUS_SNAPSHOT)', async () => {
    const { client, clock } = await start({
      scenario: { sourceServers: [{ sourceServerID: S1, replicationState: 'DISCONNECTED' }] },
      planServerIDs: [S1],
    });
    const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));
    clock.advance(60);

    const log = await jobLog(client, job?.jobID as string);

    expect(eventsOf(log, S1)).toEqual([
      'SNAPSHOT_START',
      'SNAPSHOT_FAIL',
      'USING_PREVIOUS_SNAPSHOT',
      'CONVERSION_START',
      'CONVERSION_END',
      'LAUNCH_START',
    ]);
    expect(log.find((item) => item.event === 'SNAPSHOT_FAIL')?.eventData?.rawError).toContain('DISCONNECTED');
    expect((await describeJob(client, job?.jobID as string)).participatingServers?.[0]?.launchStatus).toBe('LAUNCHED');
  });

  it('skips a SKIPPED server: SERVER_SKIPPED with its reason as the job starts, no launch, not in participatingServers', async () => {
    const rawError = 'Source server is not ready for recovery: no recovery snapshot';
    const { client, clock } = await start({ scenario: { launches: { [S2]: { result: 'SKIPPED', rawError } } } });
    const { job } = await client.send(
      new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }, { sourceServerID: S2 }] }),
    );
    clock.advance(60);

    const log = await jobLog(client, job?.jobID as string);
    const described = await describeJob(client, job?.jobID as string);

    expect(log.filter((item) => item.eventData?.sourceServerID === S2)).toEqual([
      { logDateTime: at(1), event: 'SERVER_SKIPPED', eventData: { sourceServerID: S2, rawError } },
    ]);
    expect(described.participatingServers?.map((s) => s.sourceServerID)).toEqual([S1]);
    expect(described.status).toBe('COMPLETED');
  });

  it('completes a job whose only server was skipped once the skip is logged', async () => {
    const { client, clock } = await start({ scenario: { launches: { [S1]: { result: 'SKIPPED' } } } });
    const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));
    clock.advance(1);

    const log = await jobLog(client, job?.jobID as string);

    expect(log.map((item) => item.event)).toEqual(['JOB_START', 'SERVER_SKIPPED', 'JOB_END']);
    expect(log[1]?.eventData?.rawError).toContain(S1);
  });
});
