import { StartRecoveryCommand } from '@aws-sdk/client-drs';
import { describeJob, S1, S2, simulatorHarness } from './harness';

const start = simulatorHarness();

describe('DrsSimulator post-launch actions', () => {
  it.each([
    ['SUCCEEDED', [{ optional: false, status: 'SUCCEEDED', failureReason: undefined }]],
    ['FAILED', [{ optional: false, status: 'FAILED', failureReason: expect.any(String) }]],
    [
      'OPTIONAL_FAILED',
      [
        { optional: false, status: 'SUCCEEDED', failureReason: undefined },
        { optional: true, status: 'FAILED', failureReason: expect.any(String) },
      ],
    ],
  ])('returns %s runs IN_PROGRESS for the first 30 seconds after launch, then final', async (outcome, expected) => {
    // Prepare
    const { client, clock } = await start({ scenario: { launches: { [S1]: { postLaunchActions: outcome } } } });
    const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));
    const jobID = job?.jobID as string;
    const runsOf = async () => {
      const server = (await describeJob(client, jobID)).participatingServers?.[0];
      return server?.launchActionsStatus?.runs?.map((run) => ({
        optional: run.action?.optional,
        status: run.status,
        failureReason: run.failureReason,
      }));
    };

    // Act
    clock.advance(59);
    const beforeLaunch = await describeJob(client, jobID);
    clock.advance(1);
    const atLaunch = await runsOf();
    clock.advance(29);
    const justBefore = await runsOf();
    clock.advance(1);
    const final = await runsOf();
    const finalJob = await describeJob(client, jobID);

    // Assess
    expect(beforeLaunch.participatingServers?.[0]?.launchActionsStatus).toBeUndefined();
    const inProgress = expected.map((run) => ({ ...run, status: 'IN_PROGRESS', failureReason: undefined }));
    expect(atLaunch).toEqual(inProgress);
    expect(justBefore).toEqual(inProgress);
    expect(final).toEqual(expected);
    const run = finalJob.participatingServers?.[0]?.launchActionsStatus?.runs?.[0];
    expect(run?.runId).toEqual(expect.any(String));
    expect(run?.action).toMatchObject({ actionId: expect.any(String), name: expect.any(String), active: true });
  });

  it('returns no post-launch action runs for NONE', async () => {
    // Prepare
    const { client, clock } = await start({ scenario: { launches: { [S1]: { postLaunchActions: 'NONE' } } } });
    const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));

    // Act
    clock.advance(120);
    const completed = await describeJob(client, job?.jobID as string);

    // Assess
    const server = completed.participatingServers?.[0];
    expect(server?.launchStatus).toBe('LAUNCHED');
    expect(server?.launchActionsStatus?.runs ?? []).toEqual([]);
  });
});

describe('DrsSimulator post-launch actions: field formats of the DRS API Reference', () => {
  const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
  // LaunchActionRun.failureReason: 0-256 characters of [0-9a-zA-Z ():/.,'-_#*;] ('-_ is a range).
  const FAILURE_REASON = /^[0-9a-zA-Z ():/.,'-_#*;]{0,256}$/;

  it('gives UUID action and run IDs, orders of 2 and more, and failure reasons DRS could send', async () => {
    // Prepare
    const { client, clock } = await start({
      scenario: {
        launches: { [S1]: { postLaunchActions: 'OPTIONAL_FAILED' }, [S2]: { postLaunchActions: 'FAILED' } },
      },
    });
    const { job } = await client.send(
      new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }, { sourceServerID: S2 }] }),
    );

    // Act
    clock.advance(120);
    const runs = (await describeJob(client, job?.jobID as string)).participatingServers?.flatMap(
      (server) => server.launchActionsStatus?.runs ?? [],
    );

    // Assess
    expect(runs).toHaveLength(3);
    for (const run of runs ?? []) {
      expect(run.runId).toMatch(UUID);
      expect(run.action?.actionId).toMatch(UUID);
      expect(run.action?.order).toBeGreaterThanOrEqual(2);
      expect(run.action?.order).toBeLessThanOrEqual(10_000);
    }
    const reasons = (runs ?? []).flatMap((run) => (run.failureReason === undefined ? [] : [run.failureReason]));
    expect(reasons).toHaveLength(2);
    for (const reason of reasons) expect(reason).toMatch(FAILURE_REASON);
  });
});
