import { StartRecoveryCommand } from '@aws-sdk/client-drs';
import { describeJob, S1, simulatorHarness } from './harness';

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
