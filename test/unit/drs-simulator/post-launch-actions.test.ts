import { ListLaunchActionsCommand, StartRecoveryCommand } from '@aws-sdk/client-drs';
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
  ])(
    'returns no %s runs until the SSM agent is discovered, then IN_PROGRESS for 30 seconds, then final',
    async (outcome, expected) => {
      // Prepare: launched at 60 s, the agent discovered 60 s later (the default), runs end 30 s after that
      const { client, clock } = await start({ scenario: { launches: { [S1]: { postLaunchActions: outcome } } } });
      const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));
      const jobID = job?.jobID as string;
      const statusOf = async () => (await describeJob(client, jobID)).participatingServers?.[0]?.launchActionsStatus;
      const runsOf = async () =>
        (await statusOf())?.runs?.map((run) => ({
          optional: run.action?.optional,
          status: run.status,
          failureReason: run.failureReason,
        }));

      // Act
      clock.advance(59);
      const beforeLaunch = await statusOf();
      clock.advance(1);
      const atLaunch = await statusOf();
      clock.advance(59);
      const beforeDiscovery = await statusOf();
      clock.advance(1);
      const discovered = await statusOf();
      const atDiscovery = await runsOf();
      clock.advance(29);
      const justBefore = await runsOf();
      clock.advance(1);
      const final = await runsOf();
      const finalJob = await describeJob(client, jobID);

      // Assess
      expect(beforeLaunch).toBeUndefined();
      expect(atLaunch).toEqual({ runs: [] });
      expect(beforeDiscovery).toEqual({ runs: [] });
      expect(discovered?.ssmAgentDiscoveryDatetime).toBe('2026-01-01T00:02:00.000Z');
      const inProgress = expected.map((run) => ({ ...run, status: 'IN_PROGRESS', failureReason: undefined }));
      expect(atDiscovery).toEqual(inProgress);
      expect(justBefore).toEqual(inProgress);
      expect(final).toEqual(expected);
      const run = finalJob.participatingServers?.[0]?.launchActionsStatus?.runs?.[0];
      expect(run?.runId).toEqual(expect.any(String));
      expect(run?.action).toMatchObject({ actionId: expect.any(String), name: expect.any(String), active: true });
    },
  );

  it('starts the runs postLaunchActionsStartAfterSeconds after launch', async () => {
    // Prepare
    const { client, clock } = await start({
      scenario: { launches: { [S1]: { postLaunchActions: 'SUCCEEDED', postLaunchActionsStartAfterSeconds: 600 } } },
    });
    const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));
    let elapsed = 0;
    const runsAt = async (seconds: number) => {
      clock.advance(seconds - elapsed);
      elapsed = seconds;
      return (await describeJob(client, job?.jobID as string)).participatingServers?.[0]?.launchActionsStatus?.runs;
    };

    // Act / Assess
    expect(await runsAt(659)).toEqual([]);
    expect((await runsAt(660))?.map((r) => r.status)).toEqual(['IN_PROGRESS']);
    expect((await runsAt(690))?.map((r) => r.status)).toEqual(['SUCCEEDED']);
  });

  it('returns no post-launch action runs for NONE', async () => {
    // Prepare
    const { client, clock } = await start({ scenario: { launches: { [S1]: { postLaunchActions: 'NONE' } } } });
    const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));

    // Act
    clock.advance(300);
    const completed = await describeJob(client, job?.jobID as string);

    // Assess
    const server = completed.participatingServers?.[0];
    expect(server?.launchStatus).toBe('LAUNCHED');
    expect(server?.launchActionsStatus?.runs ?? []).toEqual([]);
  });

  describe('ListLaunchActions', () => {
    it('lists the actions configured for the server, the same ones its runs are of', async () => {
      // Prepare
      const { client, clock } = await start({
        scenario: {
          launches: { [S1]: { postLaunchActions: 'OPTIONAL_FAILED', postLaunchActionsStartAfterSeconds: 0 } },
        },
      });
      const { job } = await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }] }));
      clock.advance(120);

      // Act
      const { items } = await client.send(new ListLaunchActionsCommand({ resourceId: S1 }));
      const runs = (await describeJob(client, job?.jobID as string)).participatingServers?.[0]?.launchActionsStatus
        ?.runs;

      // Assess
      expect(items?.map((a) => ({ active: a.active, optional: a.optional }))).toEqual([
        { active: true, optional: false },
        { active: true, optional: true },
      ]);
      expect(items?.map((a) => a.actionId)).toEqual(runs?.map((r) => r.action?.actionId));
    });

    it('lists nothing for a server without post-launch actions', async () => {
      const { client } = await start();
      expect((await client.send(new ListLaunchActionsCommand({ resourceId: S1 }))).items).toEqual([]);
    });

    it.each([
      ['an unknown server', 's-0a1b2c3d4e5f69999', 'ResourceNotFoundException'],
      [
        'a launch configuration template the simulator does not have',
        'lct-0a1b2c3d4e5f60001',
        'ResourceNotFoundException',
      ],
      ['an ID that is neither', 'i-0a1b2c3d4e5f60001', 'ValidationException'],
    ])('refuses %s', async (_, resourceId, errorName) => {
      const { client } = await start();
      await expect(client.send(new ListLaunchActionsCommand({ resourceId }))).rejects.toMatchObject({
        name: errorName,
      });
    });
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

    // Act: launched at 60 s, runs listed 60 s later, ended 30 s after that
    clock.advance(240);
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
