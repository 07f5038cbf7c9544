import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario } from '../../local/drs-simulator';
import { runLocalExecution } from '../../local/run-local-execution';

/**
 * Issue 10, items 5 and 6, end to end: a RECOVERY waits for post-launch actions whose runs appear
 * only once DRS has found the SSM agent, and a RECOVERY runs when the source site is down, from
 * the latest snapshots, reporting the recovery point and warning about every stale server.
 */
const DB = ['s-0db00000000000001', 's-0db00000000000002'];
const APP = ['s-0app0000000000001'];
const plan = {
  planId: 'outage',
  name: 'Outage',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: DB, timeoutMinutes: 30 },
    { name: 'App', sourceServerIDs: APP, timeoutMinutes: 30 },
  ],
};
const run = (scenario: unknown, executionType: 'DRILL' | 'RECOVERY' = 'RECOVERY') =>
  runLocalExecution({ input: { plan, executionType }, scenario: parseScenario(scenario) });
const at = (seconds: number) => new Date(Date.parse('2026-01-01T00:00:00.000Z') + seconds * 1000).toISOString();

describe('a RECOVERY whose post-launch actions have not started yet', () => {
  it('is COMPLETED only after the required action, whose run appears late, SUCCEEDED', async () => {
    const r = await run({
      launches: { [DB[0] as string]: { postLaunchActions: 'SUCCEEDED', postLaunchActionsStartAfterSeconds: 600 } },
    });

    expect(r.result.status).toBe('COMPLETED');
    // Launched at 60 s, its agent found 600 s later, the run SUCCEEDED 30 s after that.
    expect(Date.parse(r.result.waves[0]?.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(at(60 + 600 + 30)));
    expect(r.result.drs).toMatchObject({ listLaunchActionsCalls: 3 });
  });

  it('is TIMED_OUT at the deadline, naming the server and the action whose run never appeared', async () => {
    const r = await run({
      launches: { [DB[0] as string]: { postLaunchActions: 'SUCCEEDED', postLaunchActionsStartAfterSeconds: 7200 } },
    });

    expect(r.result).toMatchObject({ status: 'TIMED_OUT', error: 'WaveTimedOut' });
    expect(r.result.waves.map((w) => w.status)).toEqual(['TIMED_OUT', 'NOT_STARTED']);
    expect(r.result.cause).toContain(`${DB[0]} LAUNCHED, post-launch action 'Validate application health'`);
    expect(r.result.cause).toContain('has not started');
    expect(r.result.cause).not.toContain(DB[1] as string);
    expect(r.result.drs.jobsCreated).toBe(1);
  });

  it('is COMPLETED at LAUNCHED for servers without required actions (a DRILL never waits for actions)', async () => {
    const late = { [DB[0] as string]: { postLaunchActions: 'SUCCEEDED', postLaunchActionsStartAfterSeconds: 7200 } };
    const r = await run({ launches: late }, 'DRILL');
    expect(r.result.status).toBe('COMPLETED');
    expect(r.result.drs.listLaunchActionsCalls).toBe(0);
  });
});

describe('a RECOVERY during an outage (replication STALLED or DISCONNECTED)', () => {
  const outage = {
    sourceServers: [
      { sourceServerID: DB[0], replicationState: 'STALLED', lastSnapshotAgeSeconds: 420 },
      { sourceServerID: DB[1], replicationState: 'CONTINUOUS' },
      { sourceServerID: APP[0], replicationState: 'DISCONNECTED', lastSnapshotAgeSeconds: 3600 },
    ],
  };

  it('runs from the latest snapshots, reporting the recovery point and a warning for each stale server', async () => {
    const r = await run(outage);

    expect(r.result.status).toBe('COMPLETED');
    expect(r.result.rpo).toEqual({
      maxDataAgeSeconds: 3600,
      servers: [
        { sourceServerID: DB[0], dataAgeSeconds: 420 },
        { sourceServerID: DB[1], dataAgeSeconds: 0 },
        { sourceServerID: APP[0], dataAgeSeconds: 3600 },
      ],
      // The plan sets no rpoMinutes: nothing to meet or miss.
      targetMinutes: null,
      met: null,
    });
    expect(r.result.warnings).toEqual([
      `wave 1 'Databases': ${DB[0]} replication is STALLED, not CONTINUOUS: it is recovered from its latest snapshot (${at(-420)}), data age 7m 00s (420 s)`,
      `wave 2 'App': ${APP[0]} replication is DISCONNECTED, not CONTINUOUS: it is recovered from its latest snapshot (${at(-3600)}), data age 1h 00m (3600 s)`,
    ]);
    // The workflow's own output carries the recovery point and the warnings, without per-server detail.
    expect(r.workflow.output).toMatchObject({ rpo: { maxDataAgeSeconds: 3600 }, warnings: r.result.warnings });
  });

  it('is PlanNotReady, launching nothing, when a server has no snapshot at all', async () => {
    const r = await run({
      sourceServers: [
        ...outage.sourceServers.slice(0, 2),
        { ...outage.sourceServers[2], lastSnapshotAgeSeconds: null },
      ],
    });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'PlanNotReady' });
    expect(r.result.cause).toContain(`${APP[0]} has no recovery snapshot (replication is DISCONNECTED)`);
    expect(r.result.drs.startRecoveryCalls).toBe(0);
  });

  it('still refuses a DRILL of the same servers: a drill needs CONTINUOUS replication', async () => {
    const r = await run(outage, 'DRILL');
    expect(r.result).toMatchObject({ status: 'FAILED', error: 'PlanNotReady' });
    expect(r.result.cause).toContain(`${DB[0]} replication is STALLED, not CONTINUOUS`);
    expect(r.result.drs.startRecoveryCalls).toBe(0);
  });
});

describe('drs-orchestrator with an outage scenario', () => {
  const ROOT = join(__dirname, '..', '..');
  const cli = (...args: string[]) => {
    const out = spawnSync(process.execPath, [join(ROOT, 'bin', 'drs-orchestrator.js'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    return { code: out.status, stdout: out.stdout };
  };
  const PLAN = join(ROOT, 'examples', 'three-tier.plan.json');
  const OUTAGE = join(ROOT, 'examples', 'three-tier.outage.scenario.json');

  it('run --type recovery prints the RPO line and every warning, and --json carries rpo and warnings', () => {
    const text = cli('run', PLAN, '--scenario', OUTAGE, '--type', 'recovery');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('RPO:    data up to 20m 00s (1200 s) old (oldest: s-0web0000000000001; 7 servers)');
    expect(text.stdout).toContain('Warnings (6):');
    expect(text.stdout).toContain("  ! wave 3 'Web front end': s-0web0000000000002 replication is STALLED");

    const json = JSON.parse(cli('run', PLAN, '--scenario', OUTAGE, '--type', 'recovery', '--json').stdout);
    expect(json.rpo.maxDataAgeSeconds).toBe(1200);
    expect(json.rpo.servers).toHaveLength(7);
    expect(json.warnings).toHaveLength(6);
  });

  it('check --type recovery says the plan can run and shows the warnings; check (a drill) refuses it', () => {
    const recovery = cli('check', PLAN, '--scenario', OUTAGE, '--type', 'recovery');
    expect(recovery.code).toBe(0);
    expect(recovery.stdout).toContain('is ready for a RECOVERY');
    expect(recovery.stdout).toContain('Warnings (6):');
    expect(recovery.stdout).toContain(
      's-0db00000000000001 replication is STALLED, not CONTINUOUS: it is recovered from its latest snapshot (2025-12-31T23:53:00.000Z), data age 7m 00s (420 s)',
    );

    const drill = cli('check', PLAN, '--scenario', OUTAGE);
    expect(drill.code).toBe(2);
    expect(drill.stdout).toContain('cannot run in the DRS simulator: PlanNotReady (6 problems)');
  });

  it('check --type recovery exits 2 naming a server with no snapshot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drs-outage-'));
    const scenario = join(dir, 'no-snapshot.scenario.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        sourceServers: [
          's-0db00000000000001',
          's-0db00000000000002',
          's-0app0000000000001',
          's-0app0000000000002',
          's-0app0000000000003',
          's-0web0000000000001',
          's-0web0000000000002',
        ].map((id, i) => ({
          sourceServerID: id,
          replicationState: 'STALLED',
          ...(i === 0 ? { lastSnapshotAgeSeconds: null } : {}),
        })),
      }),
    );
    const out = cli('check', PLAN, '--scenario', scenario, '--type', 'recovery');
    expect(out.code).toBe(2);
    expect(out.stdout).toContain('s-0db00000000000001 has no recovery snapshot');
  });
});
