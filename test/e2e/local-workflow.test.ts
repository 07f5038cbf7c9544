import { parseScenario } from '../../local/drs-simulator';
import { type LocalRun, LocalStack } from '../../local/local-stack';
import { runLocalExecution } from '../../local/run-local-execution';

/**
 * The deployed ASL, run in aws-local-stepfunctions with the real task code, dynalite and the
 * DRS simulator. Every assertion about DRS is checked against the simulator's ground truth.
 */
const id = (tier: string, n: number) => `s-${tier}${String(n).padStart(17 - tier.length, '0')}`;
const DB = [id('db', 1), id('db', 2)];
const APP = [id('app', 1), id('app', 2)];
const WEB = [id('web', 1)];
const plan = {
  planId: 'three-tier',
  name: 'Three tier',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: DB, timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: APP, timeoutMinutes: 30 },
    { name: 'Web', sourceServerIDs: WEB, timeoutMinutes: 30 },
  ],
};

const run = (
  scenario: unknown,
  executionType: 'DRILL' | 'RECOVERY' = 'DRILL',
  input: unknown = { plan, executionType },
) => runLocalExecution({ input, scenario: parseScenario(scenario) });

const jobOf = (r: LocalRun, wave: number) =>
  r.jobs.find((job) => job.tags?.['drs-orchestrator:wave'] === String(wave + 1));

describe('the recovery workflow on the local stack', () => {
  it('returns COMPLETED when every server of every wave launches, with one drill job per wave', async () => {
    const r = await run({});

    expect(r.workflow.status).toBe('SUCCEEDED');
    expect(r.result.status).toBe('COMPLETED');
    expect(r.result.waves.map((w) => w.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(r.result.waves.flatMap((w) => w.servers.map((s) => s.launchStatus))).toEqual(Array(5).fill('LAUNCHED'));
    expect(r.result.waves.every((w) => w.servers.every((s) => s.recoveryInstanceID?.startsWith('i-')))).toBe(true);
    expect(r.result.drs).toMatchObject({ startRecoveryCalls: 3, jobsCreated: 3 });
    expect(r.jobs.map((job) => job.initiatedBy)).toEqual(['START_DRILL', 'START_DRILL', 'START_DRILL']);
    expect(r.result.waves.map((w) => w.jobId)).toEqual([0, 1, 2].map((w) => jobOf(r, w)?.jobID));
    expect(jobOf(r, 0)?.tags).toMatchObject({
      'drs-orchestrator:execution-id': r.result.executionId,
      'drs-orchestrator:wave-name': 'Databases',
    });
    // The workflow's own output is the summary (no per-server detail), and it agrees.
    expect(r.workflow.output).toMatchObject({ status: 'COMPLETED', executionId: r.result.executionId });
    expect(JSON.stringify(r.workflow.output)).not.toContain('"servers"');
  });

  it('starts each wave only after the previous one COMPLETED, in simulated time', async () => {
    const r = await run({ launches: { [DB[1] as string]: { result: 'LAUNCHED', afterSeconds: 600 } } });
    const [db, app] = r.result.waves;
    expect(db?.endedAt).toBe('2026-01-01T00:10:00.000Z');
    expect(app?.startedAt).toBe(db?.endedAt);
    expect(new Date(jobOf(r, 1)?.creationDateTime ?? 0).getTime()).toBeGreaterThanOrEqual(
      new Date(db?.endedAt ?? 0).getTime(),
    );
  });

  it('fails when the middle wave fails: the last wave gets no job, and the cause names the server and the DRS reason', async () => {
    const r = await run({
      launches: {
        [APP[1] as string]: {
          result: 'FAILED',
          afterSeconds: 90,
          rawError: 'InsufficientInstanceCapacity for m5.large',
        },
      },
    });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'WaveFailed' });
    expect(r.result.cause).toContain(`Wave 2 'App' FAILED`);
    expect(r.result.cause).toContain(`${APP[1]} FAILED - DRS: InsufficientInstanceCapacity for m5.large`);
    expect(r.workflow).toMatchObject({ status: 'FAILED', error: 'WaveFailed', cause: r.result.cause });
    expect(r.result.waves.map((w) => w.status)).toEqual(['COMPLETED', 'FAILED', 'NOT_STARTED']);
    expect(r.result.waves[1]?.failedServers).toEqual([APP[1]]);
    expect(r.result.drs).toMatchObject({ startRecoveryCalls: 2, jobsCreated: 2 });
    expect(jobOf(r, 2)).toBeUndefined();
  });

  it('ends every wave after a failed one NOT_STARTED at "Wait for dependencies and room", before its gate or its job', async () => {
    // The iterations never fail now: each later iteration asks admission, which answers NOT_STARTED
    // (onWaveFailure STOP), so none reaches "Start wave recovery"; the claim in the data layer stays the guard.
    const r = await run({ launches: { [APP[0] as string]: { result: 'FAILED' } } });

    expect(r.taskCalls['Wait for dependencies and room']).toBe(3);
    expect(r.taskCalls['Start wave recovery']).toBe(2);
    expect(r.result.drs.startRecoveryCalls).toBe(2);
    expect(r.result.drs.jobsCreated).toBe(2);
    expect(r.result.waves.map((w) => w.status)).toEqual(['COMPLETED', 'FAILED', 'NOT_STARTED']);
    expect(r.workflow).toMatchObject({ status: 'FAILED', error: 'WaveFailed' });
  });

  it('fails when the job COMPLETED with a server still IN_PROGRESS', async () => {
    const r = await run({ launches: { [DB[0] as string]: { result: 'STUCK' } }, jobCompletesAfterSeconds: 300 });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'WaveFailed' });
    expect(jobOf(r, 0)?.status).toBe('COMPLETED');
    expect(r.result.waves[0]?.failedServers).toEqual([DB[0]]);
    expect(r.result.cause).toContain(`${DB[0]} IN_PROGRESS when the DRS job COMPLETED`);
    expect(r.result.drs.jobsCreated).toBe(1);
  });

  it('fails when DRS leaves a requested server out of the job', async () => {
    const r = await run({ launches: { [WEB[0] as string]: { result: 'LAUNCHED', omitFromJob: true } } });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'WaveFailed' });
    expect(r.result.waves[2]).toMatchObject({ status: 'FAILED', failedServers: [WEB[0]] });
    expect(r.result.waves[2]?.servers).toEqual([{ sourceServerID: WEB[0], launchStatus: 'NOT_IN_JOB' }]);
    expect(r.result.cause).toContain('missing from the DRS job');
  });

  it('fails when a server is TERMINATED', async () => {
    const r = await run({ launches: { [DB[1] as string]: { result: 'TERMINATED', afterSeconds: 120 } } });
    expect(r.result).toMatchObject({ status: 'FAILED', error: 'WaveFailed' });
    expect(r.result.waves[0]?.failedServers).toEqual([DB[1]]);
    expect(r.result.drs.jobsCreated).toBe(1);
  });

  it('times out a wave whose server stays IN_PROGRESS past the deadline', async () => {
    const r = await run({ launches: { [APP[0] as string]: { result: 'STUCK' } } });

    expect(r.result).toMatchObject({ status: 'TIMED_OUT', error: 'WaveTimedOut' });
    expect(r.result.cause).toContain(`Wave 2 'App' TIMED_OUT after 30 minutes`);
    expect(r.result.cause).toContain(`${APP[0]} IN_PROGRESS`);
    expect(r.result.waves.map((w) => w.status)).toEqual(['COMPLETED', 'TIMED_OUT', 'NOT_STARTED']);
    // The verdict comes at the deadline, not a poll interval after it.
    const app = r.result.waves[1];
    expect(new Date(app?.endedAt ?? 0).getTime() - new Date(app?.startedAt ?? 0).getTime()).toBe(30 * 60_000);
    expect(r.result.drs.jobsCreated).toBe(2);
  });

  it('fails a RECOVERY whose required post-launch action failed', async () => {
    const r = await run(
      { launches: { [DB[0] as string]: { result: 'LAUNCHED', postLaunchActions: 'FAILED' } } },
      'RECOVERY',
    );

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'WaveFailed', executionType: 'RECOVERY' });
    expect(r.result.waves[0]?.failedServers).toEqual([DB[0]]);
    expect(r.result.cause).toContain('required post-launch action');
    expect(r.jobs[0]?.initiatedBy).toBe('START_RECOVERY');
  });

  it('completes a RECOVERY whose only failed post-launch action is optional, after the actions finish', async () => {
    const r = await run(
      {
        launches: { [DB[0] as string]: { result: 'LAUNCHED', afterSeconds: 60, postLaunchActions: 'OPTIONAL_FAILED' } },
      },
      'RECOVERY',
    );

    expect(r.result.status).toBe('COMPLETED');
    // Actions run for 30 s after launch: the wave waits for them rather than calling it at LAUNCHED.
    expect(new Date(r.result.waves[0]?.endedAt ?? 0).getTime()).toBeGreaterThan(
      new Date('2026-01-01T00:01:00Z').getTime(),
    );
  });

  it('completes a DRILL whatever the post-launch actions did', async () => {
    const r = await run(
      { launches: { [DB[0] as string]: { result: 'LAUNCHED', postLaunchActions: 'FAILED' } } },
      'DRILL',
    );
    expect(r.result.status).toBe('COMPLETED');
  });

  it('fails an invalid plan with InvalidPlan naming every problem, before any StartRecovery', async () => {
    const bad = {
      planId: 'broken',
      waves: [
        { name: 'A', sourceServerIDs: ['s-nope'] },
        { name: 'B', sourceServerIDs: [] },
      ],
    };
    const r = await run({}, 'DRILL', { plan: bad, executionType: 'DRILL' });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'InvalidPlan', planId: 'broken', waves: [] });
    expect(r.result.cause).toContain('2 problems');
    expect(r.result.cause).toContain('"s-nope" is not a DRS source server ID');
    expect(r.result.cause).toContain('the wave has no servers');
    expect(r.workflow).toMatchObject({ status: 'FAILED', error: 'InvalidPlan' });
    expect(r.result.drs.startRecoveryCalls).toBe(0);
    expect(r.jobs).toHaveLength(0);
  });

  it('fails with InvalidPlan for an unknown execution type', async () => {
    const r = await run({}, 'DRILL', { plan, executionType: 'FAILOVER' });
    expect(r.result).toMatchObject({ status: 'FAILED', error: 'InvalidPlan' });
    expect(r.result.cause).toContain('executionType: must be DRILL or RECOVERY (got "FAILOVER")');
    expect(r.result.drs.startRecoveryCalls).toBe(0);
  });

  it('fails with InvalidPlan before any job when a plan server does not exist in DRS', async () => {
    const inventory = [...DB, ...APP].map((sourceServerID) => ({ sourceServerID }));
    const r = await run({ sourceServers: inventory });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'InvalidPlan', waves: [] });
    expect(r.result.cause).toContain(`wave 3 'Web': ${WEB[0]} is not a DRS source server in this account and region`);
    expect(r.result.drs.startRecoveryCalls).toBe(0);
  });

  it('fails with PlanNotReady naming every server whose replication is not healthy, before any job', async () => {
    const inventory = [
      ...DB.map((sourceServerID) => ({ sourceServerID, replicationState: 'BACKLOG' })),
      ...[...APP, ...WEB].map((sourceServerID) => ({ sourceServerID })),
    ];
    const r = await run({ sourceServers: inventory });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'PlanNotReady' });
    expect(r.result.cause).toContain(`${DB[0]} replication is BACKLOG, not CONTINUOUS`);
    expect(r.result.cause).toContain(`${DB[1]} replication is BACKLOG, not CONTINUOUS`);
    expect(r.result.drs.startRecoveryCalls).toBe(0);
  });

  it('runs a stored plan started by its ID, keeping the execution input small', async () => {
    const stack = await LocalStack.start({ scenario: parseScenario({}), planServerIDs: [...DB, ...APP, ...WEB] });
    try {
      await stack.storePlan(plan);
      const r = await stack.execute({ input: { planId: 'three-tier', executionType: 'DRILL' } });
      expect(r.result).toMatchObject({ status: 'COMPLETED', planId: 'three-tier' });
      expect(r.result.waves.map((w) => w.servers.length)).toEqual([2, 2, 1]);
      const missing = await stack.execute({
        input: { planId: 'nope', executionType: 'DRILL' },
        executionName: 'missing',
      });
      expect(missing.result).toMatchObject({ status: 'FAILED', error: 'InvalidPlan', planId: 'nope' });
      expect(missing.result.cause).toContain("there is no stored plan 'nope'");
    } finally {
      await stack.close();
    }
  });

  it('polls less while a wave is far from its expected launch time, and still sees the launch within one poll', async () => {
    const slow = Object.fromEntries(
      [...DB, ...APP, ...WEB].map((id) => [id, { result: 'LAUNCHED', afterSeconds: 1200 }]),
    );
    const longPlan = { ...plan, waves: plan.waves.map((w) => ({ ...w, timeoutMinutes: 60 })) };
    const r = await run({ launches: slow }, 'DRILL', { plan: longPlan, executionType: 'DRILL' });

    expect(r.result.status).toBe('COMPLETED');
    const polls = r.taskCalls['Check the wave'] ?? 0;
    // The first wave polls every 30 s (41 polls); the next two know it took 20 minutes.
    expect(polls).toBeLessThan(41 * 3);
    expect(polls).toBeLessThanOrEqual(41 + 2 * 15);
    for (const wave of r.result.waves) {
      const took = (new Date(wave.endedAt ?? 0).getTime() - new Date(wave.startedAt ?? 0).getTime()) / 1000;
      expect(took).toBeGreaterThanOrEqual(1200);
      expect(took).toBeLessThanOrEqual(1200 + 30);
    }
  });

  it('gives the same result for the same scenario every time', async () => {
    const scenario = { launches: { [APP[1] as string]: { result: 'FAILED', afterSeconds: 75 } } };
    const [first, second] = [await run(scenario), await run(scenario)];
    expect(second.result).toEqual(first.result);
  });
});
