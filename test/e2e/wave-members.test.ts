import type { ServerLock } from '../../functions/shared/execution-store';
import { parseScenario } from '../../local/drs-simulator';
import { type LocalRun, LocalStack } from '../../local/local-stack';
import { runLocalExecution } from '../../local/run-local-execution';

/**
 * Tag-selected waves and optional servers, on the local stack (the deployed ASL, the real task
 * code, dynalite and the DRS simulator). What DRS launched is read from the simulator's jobs.
 */
const id = (tier: string, n: number) => `s-${tier}${String(n).padStart(17 - tier.length, '0')}`;
const DB = [id('db', 1), id('db', 2)];
const APP = [id('app', 1), id('app', 2), id('app', 3)];
const OTHER = [id('blog', 1), id('blog', 2)];
const EXTRA = id('report', 1);

/** The estate: the shop's app tier tagged, a blog whose app tier has the same Tier tag, untagged databases. */
const estate = [
  ...DB.map((sourceServerID) => ({ sourceServerID })),
  ...APP.map((sourceServerID) => ({ sourceServerID, tags: { App: 'shop', Tier: 'app' } })),
  ...OTHER.map((sourceServerID) => ({ sourceServerID, tags: { App: 'blog', Tier: 'app' } })),
  { sourceServerID: EXTRA, tags: { App: 'shop', Tier: 'reports' } },
];

const planOf = (waves: unknown[]) => ({ planId: 'shop', name: 'Shop', pollIntervalSeconds: 30, waves });
const TAGGED = planOf([
  { name: 'Databases', sourceServerIDs: DB, timeoutMinutes: 60 },
  { name: 'App', sourceServerTags: { App: 'shop', Tier: 'app' }, optionalSourceServerIDs: [EXTRA], timeoutMinutes: 30 },
]);

const run = (plan: unknown, scenario: Record<string, unknown> = {}) =>
  runLocalExecution({
    input: { plan, executionType: 'DRILL' },
    scenario: parseScenario({ sourceServers: estate, ...scenario }),
  });

/** The servers DRS put in the wave's job (the simulator's ground truth). */
const launchedIn = (r: LocalRun, wave: number) =>
  (r.jobs.find((job) => job.tags?.['drs-orchestrator:wave'] === String(wave + 1))?.participatingServers ?? [])
    .map((p) => ({ id: p.sourceServerID, status: p.launchStatus }))
    .sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''));

describe('tag-selected waves on the local stack', () => {
  it('launches exactly the servers that carry all the wave tags, in one job, and lists them in the result', async () => {
    const r = await run(TAGGED);

    expect(r.result.status).toBe('COMPLETED');
    expect(launchedIn(r, 1)).toEqual(
      [...APP, EXTRA].sort().map((sourceServerID) => ({ id: sourceServerID, status: 'LAUNCHED' })),
    );
    expect(r.result.drs).toMatchObject({ startRecoveryCalls: 2, jobsCreated: 2 });
    const app = r.result.waves[1];
    expect(app?.taggedSourceServerIDs).toEqual(APP);
    expect(app?.sourceServerTags).toEqual({ App: 'shop', Tier: 'app' });
    expect(app?.servers.map((s) => [s.sourceServerID, s.launchStatus])).toEqual(
      [EXTRA, ...APP].map((s) => [s, 'LAUNCHED']),
    );
    expect(app?.optionalFailedServers).toEqual([]);
    expect(r.result.warnings).toEqual([]);
  });

  it('holds the server lock of every tag-selected member while the wave runs', async () => {
    const stack = await LocalStack.start({ scenario: parseScenario({ sourceServers: estate }), planServerIDs: [] });
    try {
      const locks: Promise<(ServerLock | undefined)[]>[] = [];
      const r = await stack.execute({
        input: { plan: TAGGED, executionType: 'DRILL' },
        onProgress: (event) => {
          if (event.type === 'wave-started' && event.index === 1) {
            locks.push(Promise.all(APP.map((s) => stack.store.getServerLock(s))));
          }
        },
      });
      const held = await Promise.all(locks);

      expect(held).toHaveLength(1);
      expect(held[0]?.map((lock) => lock?.holder)).toEqual(APP.map(() => r.result.executionId));
      // Every ending gives them back.
      expect(await Promise.all(APP.map((s) => stack.store.getServerLock(s)))).toEqual(APP.map(() => undefined));
    } finally {
      await stack.close();
    }
  });

  it('is InvalidPlan naming the wave, its tags and the servers when two waves select the same servers, and launches nothing', async () => {
    const r = await run(
      planOf([
        { name: 'App', sourceServerTags: { App: 'shop' } },
        { name: 'App tier', sourceServerTags: { Tier: 'app' } },
      ]),
    );

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'InvalidPlan' });
    expect(r.result.cause).toContain(
      `wave 1 'App' (tags {"App":"shop"}) and wave 2 'App tier' (tags {"Tier":"app"}) both select ${APP.join(', ')}`,
    );
    expect(r.result.drs.startRecoveryCalls).toBe(0);
    expect(r.jobs).toEqual([]);
  });

  it('is InvalidPlan naming the wave and its tags when they match no server, and launches nothing', async () => {
    const r = await run(planOf([{ name: 'Cache', sourceServerTags: { App: 'shop', Tier: 'cache' } }]));

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'InvalidPlan' });
    expect(r.result.cause).toContain(
      `wave 1 'Cache' (tags {"App":"shop","Tier":"cache"}): no DRS source server in this account and region carries all of these tags`,
    );
    expect(r.jobs).toEqual([]);
  });
});

describe('optional servers on the local stack', () => {
  it('never turns an optional server failure into a plan failure, reporting and warning about it', async () => {
    const r = await run(TAGGED, { launches: { [EXTRA]: { result: 'FAILED', afterSeconds: 90 } } });

    // The simulator's truth: the optional server was in the wave's job, and it FAILED.
    expect(launchedIn(r, 1).find((p) => p.id === EXTRA)?.status).toBe('FAILED');
    expect(r.result.status).toBe('COMPLETED');
    expect(r.workflow.status).toBe('SUCCEEDED');
    expect(r.result.waves.map((w) => w.status)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(r.result.waves[1]).toMatchObject({ failedServers: [], optionalFailedServers: [EXTRA] });
    expect(r.result.warnings).toEqual([
      `wave 2 'App': optional server ${EXTRA} (FAILED) did not launch; the wave's verdict ignores optional servers`,
    ]);
  });

  it('fails the plan whenever a required server fails, even though the optional one LAUNCHED', async () => {
    const r = await run(
      planOf([{ name: 'App', sourceServerIDs: [APP[0]], optionalSourceServerIDs: [EXTRA], timeoutMinutes: 30 }]),
      { launches: { [APP[0] as string]: { result: 'FAILED', afterSeconds: 90 } } },
    );

    expect(launchedIn(r, 0)).toEqual([
      { id: APP[0], status: 'FAILED' },
      { id: EXTRA, status: 'LAUNCHED' },
    ]);
    expect(r.result).toMatchObject({ status: 'FAILED', error: 'WaveFailed' });
    expect(r.result.waves[0]).toMatchObject({ status: 'FAILED', failedServers: [APP[0]], optionalFailedServers: [] });
    expect(r.result.cause).toContain('1 of 1 required servers did not launch');
  });

  it('waits for a slow optional server up to the deadline, then COMPLETES without it, reporting it', async () => {
    const r = await run(
      planOf([{ name: 'App', sourceServerIDs: [APP[0]], optionalSourceServerIDs: [EXTRA], timeoutMinutes: 10 }]),
      { launches: { [EXTRA]: { result: 'STUCK' } } },
    );

    expect(launchedIn(r, 0).find((p) => p.id === EXTRA)?.status).toBe('IN_PROGRESS');
    expect(r.result.status).toBe('COMPLETED');
    expect(r.result.waves[0]).toMatchObject({ status: 'COMPLETED', optionalFailedServers: [EXTRA] });
    expect(r.result.waves[0]?.reason).toContain(`${EXTRA} IN_PROGRESS at the deadline`);
    expect(r.result.warnings).toEqual([
      `wave 1 'App': optional server ${EXTRA} (IN_PROGRESS) did not launch; the wave's verdict ignores optional servers`,
    ]);
  });

  it('refuses a wave with only optional servers as InvalidPlan: optional successes alone are never COMPLETED', async () => {
    const r = await run(planOf([{ name: 'Nice to have', optionalSourceServerIDs: [EXTRA] }]));

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'InvalidPlan' });
    expect(r.result.cause).toContain("list at least one source server ID in wave 'Nice to have'");
    expect(r.jobs).toEqual([]);
  });
});
