import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { version } from '../../package.json';

/** The CLI as a user runs it: a separate process, real files, exit codes, stdout and stderr. */
const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'drs-orchestrator.js');
const dir = mkdtempSync(join(tmpdir(), 'drs-cli-'));

function cliWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  const out = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

const cli = (...args: string[]) => cliWith({ ...process.env, FORCE_COLOR: '0' }, ...args);

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const PLAN = join(ROOT, 'examples', 'three-tier.plan.json');
const OK_SCENARIO = join(ROOT, 'examples', 'three-tier.scenario.json');
const FAILING_SCENARIO = join(ROOT, 'examples', 'three-tier.app-fails.scenario.json');

describe('drs-orchestrator', () => {
  it("prints package.json's version with --version", () => {
    const { code, stdout } = cli('--version');
    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
  });
});

describe('drs-orchestrator run', () => {
  it('exits 0 and prints one COMPLETED result object with --json', () => {
    const { code, stdout } = cli('run', PLAN, '--scenario', OK_SCENARIO, '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ planId: 'three-tier', executionType: 'DRILL', status: 'COMPLETED' });
    expect(result.waves).toHaveLength(3);
    expect(result.waves[0].servers[0]).toMatchObject({
      launchStatus: 'LAUNCHED',
      recoveryInstanceID: expect.stringMatching(/^i-/),
    });
    expect(result.drs).toMatchObject({ startRecoveryCalls: 3, jobsCreated: 3 });
  });

  it('exits 1 with the failed wave, the server and the cause, and lists the wave that never started', () => {
    const { code, stdout } = cli('run', PLAN, '--scenario', FAILING_SCENARIO, '--json');
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ status: 'FAILED', error: 'WaveFailed' });
    expect(result.waves.map((w: { status: string }) => w.status)).toEqual(['COMPLETED', 'FAILED', 'NOT_STARTED']);
    expect(result.waves[1].failedServers).toEqual(['s-0app0000000000002']);
    expect(result.cause).toContain('InsufficientInstanceCapacity');
    expect(result.drs.jobsCreated).toBe(2);
  });

  it('shows the run wave by wave and a summary table without --json', () => {
    const { code, stdout } = cli('run', PLAN, '--scenario', FAILING_SCENARIO);
    expect(code).toBe(1);
    expect(stdout).toMatch(/wave 1\/3 {2}Databases +COMPLETED +2 LAUNCHED/);
    expect(stdout).toMatch(/wave 2\/3 {2}Application servers +FAILED/);
    expect(stdout).toMatch(/wave 3\/3 {2}Web front end +NOT_STARTED/);
    expect(stdout).toMatch(/2 +Application servers +FAILED +3 +\d +1 +drsjob-/);
    expect(stdout).toContain('Result: FAILED (WaveFailed)');
    expect(stdout).toContain('s-0app0000000000002');
  });

  it('runs a RECOVERY with --type recovery', () => {
    const { code, stdout } = cli('run', PLAN, '--type', 'recovery', '--json', '--auto-approve');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ executionType: 'RECOVERY', status: 'COMPLETED' });
  });

  it('exits 2 for an invalid plan, still printing the result, and names every problem on stderr', () => {
    const plan = file('bad-plan.json', {
      planId: 'bad',
      waves: [
        { name: 'A', sourceServerIDs: ['s-1'] },
        { name: 'B', sourceServerIDs: [] },
      ],
    });
    const { code, stdout, stderr } = cli('run', plan, '--json');
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({
      status: 'FAILED',
      error: 'InvalidPlan',
      drs: { startRecoveryCalls: 0, jobsCreated: 0 },
    });
    expect(stderr).toContain('"s-1" is not a DRS source server ID');
    expect(stderr).toContain('the wave has no servers');
  });

  it("lists an invalid plan's problems once, as check does, with no summary table", () => {
    const plan = file('bad-plan-text.json', {
      planId: 'bad',
      waves: [
        { name: 'A', sourceServerIDs: ['s-1'] },
        { name: 'B', sourceServerIDs: [] },
      ],
    });
    const { code, stdout, stderr } = cli('run', plan);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'Plan bad cannot run: InvalidPlan (2 problems); nothing was launched',
        `  - plan.waves[0].sourceServerIDs[0]: "s-1" is not a DRS source server ID ('s-' followed by 17 letters or digits)`,
        "  - plan.waves[1].sourceServerIDs: the wave has no servers: list at least one source server ID in wave 'B', or select its servers with sourceServerTags",
        '',
      ].join('\n'),
    );
  });

  it('exits 2 when the plan file cannot be read', () => {
    const { code, stderr } = cli('run', join(dir, 'missing.json'));
    expect(code).toBe(2);
    expect(stderr).toContain('cannot read the plan file');
  });

  it('exits 2 when the plan file is not JSON, naming the line and column', () => {
    const { code, stderr } = cli(
      'run',
      file('not-json.json', '{\n  "planId": "x",\n  "waves": [ { "name": "a", } ]\n}\n'),
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /the plan file .*not-json\.json is not valid JSON at position 47 \(line 3, column 29\): unexpected "}", expected a property name in double quotes\n$/,
    );
  });

  it('exits 2 for an invalid scenario, naming each problem, and launches nothing', () => {
    const scenario = file('bad-scenario.json', {
      launches: { 's-0app0000000000001': { result: 'BOOM', afterSeconds: -1 } },
    });
    const { code, stdout, stderr } = cli('run', PLAN, '--scenario', scenario, '--json');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('BOOM');
    expect(stderr).toContain('afterSeconds');
  });

  it('exits 2 for a scenario entry of a server not in the plan, naming the entry and the nearest plan ID', () => {
    // The intended failure of s-0app0000000000002, with two digits swapped: without the check it would
    // go unused and the drill would report COMPLETED.
    const scenario = file('typo.scenario.json', {
      launches: { 's-0app0000000000020': { result: 'FAILED', afterSeconds: 280 } },
    });
    const { code, stdout, stderr } = cli('run', PLAN, '--scenario', scenario, '--json');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'launches.s-0app0000000000020: s-0app0000000000020 is not a server of the plan, so this entry would never be used (did you mean s-0app0000000000002?)',
    );
  });

  describe('approval gates (the example plan gates its application servers)', () => {
    it('shows the gate as a line of its own, approved by whom, and still ends COMPLETED', () => {
      const { code, stdout } = cli('run', PLAN, '--scenario', OK_SCENARIO);
      expect(code).toBe(0);
      expect(stdout).toMatch(/gate: awaiting approval until t\+04:08:32 - Databases are up/);
      expect(stdout).toContain('gate: approved by drill lead: database checks green');
      expect(stdout).toContain('Result: COMPLETED');
    });

    it('exits 1 with ApprovalTimedOut when nobody decides (no entry, no --auto-approve, not a terminal)', () => {
      const { code, stdout } = cli('run', PLAN, '--json');
      expect(code).toBe(1);
      const result = JSON.parse(stdout);
      expect(result).toMatchObject({ status: 'FAILED', error: 'ApprovalTimedOut' });
      expect(result.waves.map((w: { status: string }) => w.status)).toEqual([
        'COMPLETED',
        'NOT_STARTED',
        'NOT_STARTED',
      ]);
      expect(result.drs.startRecoveryCalls).toBe(1);
    });

    it('exits 1 with ApprovalRejected (CANCELLED) when the scenario rejects the gate', () => {
      const scenario = file('reject.scenario.json', {
        approvals: { 'Application servers': { decision: 'REJECT', afterSeconds: 30, by: 'ops', comment: 'not now' } },
      });
      const { code, stdout } = cli('run', PLAN, '--scenario', scenario, '--json');
      expect(code).toBe(1);
      expect(JSON.parse(stdout)).toMatchObject({ status: 'CANCELLED', error: 'ApprovalRejected' });
    });

    it('exits 2 for an approval entry of a wave the plan does not have', () => {
      const scenario = file('gate-typo.scenario.json', {
        approvals: { 'Application server': { decision: 'REJECT' } },
      });
      const { code, stdout, stderr } = cli('run', PLAN, '--scenario', scenario, '--json');
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('approvals.Application server: the plan has no wave named "Application server"');
    });
  });

  it('exits 2 for an unknown log level, listing the levels, without a stack trace', () => {
    const { code, stdout, stderr } = cli('run', PLAN, '--log-level', 'verbose');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('must be trace, debug, info, warn, error, silent or critical');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('keeps --json output one parseable object with logs on, the logs going to stderr', () => {
    const { code, stdout, stderr } = cli('run', PLAN, '--json', '--log-level', 'debug', '--auto-approve');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ planId: 'three-tier', status: 'COMPLETED' });
    const logs = stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
    expect(logs).toContainEqual(expect.objectContaining({ level: 'INFO', service: 'drs-orchestrator' }));
  });

  it('exits 2 for an unknown execution type', () => {
    const { code, stderr } = cli('run', PLAN, '--type', 'failover');
    expect(code).toBe(2);
    expect(stderr).toContain('must be drill or recovery');
  });

  it('describes its options and exit codes in --help', () => {
    const { code, stdout } = cli('run', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--scenario');
    expect(stdout).toContain('Exit codes: 0 every wave COMPLETED');
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      '(choices: "trace", "debug", "info", "warn", "error", "silent", "critical", default: silent)',
    );
    expect(stdout.replace(/\s+/g, ' ')).toContain('JSON lines on stderr');
  });
});

describe('drs-orchestrator check', () => {
  it('exits 0 for a plan that can run, launching nothing', () => {
    const { code, stdout } = cli('check', PLAN, '--scenario', OK_SCENARIO, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      planId: 'three-tier',
      executionType: 'DRILL',
      ready: true,
      problems: [],
      warnings: [],
      checkedAgainst: 'simulator',
      waves: 3,
      servers: 7,
      activeJobs: 0,
    });
  });

  it('says a local check asked the simulator, not the account, and how to check the account', () => {
    const { code, stdout } = cli('check', PLAN);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Plan three-tier is ready for a DRILL in the DRS simulator: 7 servers in 3 wave\(s\)/);
    expect(stdout).toContain("This checked the simulator's invented inventory");
    expect(stdout).toContain(`To check your account: drs-orchestrator check ${PLAN} --aws`);
  });

  it('reports waves, servers and activeJobs with --json for a plan the plan rules refuse', () => {
    const plan = file('check-bad-plan.json', {
      planId: 'bad',
      waves: [
        { name: 'A', sourceServerIDs: ['s-1', 's-0db00000000000001'] },
        { name: 'B', sourceServerIDs: [] },
      ],
    });
    const { code, stdout } = cli('check', plan, '--json');
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({
      planId: 'bad',
      ready: false,
      error: 'InvalidPlan',
      checkedAgainst: 'simulator',
      waves: 2,
      servers: 2,
      activeJobs: null,
    });
  });

  it('exits 2 naming every server DRS is not ready to recover', () => {
    const scenario = file('stalled.json', {
      sourceServers: [
        { sourceServerID: 's-0db00000000000001', replicationState: 'STALLED' },
        { sourceServerID: 's-0db00000000000002', replicationState: 'CONTINUOUS' },
      ],
    });
    const { code, stdout } = cli('check', PLAN, '--scenario', scenario);
    expect(code).toBe(2);
    expect(stdout).toContain('cannot run in the DRS simulator: InvalidPlan (6 problems)');
    expect(stdout).toContain('s-0db00000000000001 replication is STALLED, not CONTINUOUS');
    expect(stdout).toContain(
      "wave 3 'Web front end': s-0web0000000000002 is not a DRS source server in this account and region",
    );
  });

  it('exits 2 for a scenario entry of a server not in the plan, as run does', () => {
    const scenario = file('check-typo.scenario.json', { launches: { 's-0web0000000000003': { result: 'FAILED' } } });
    const { code, stderr } = cli('check', PLAN, '--scenario', scenario);
    expect(code).toBe(2);
    expect(stderr).toContain('launches.s-0web0000000000003');
    expect(stderr).toContain('did you mean s-0web0000000000001?');
  });
});

describe('drs-orchestrator status', () => {
  it('exits 2 saying how to set a region when none is set, before any AWS call', () => {
    const { AWS_REGION, AWS_DEFAULT_REGION, AWS_PROFILE, ...env } = process.env;
    const { code, stderr } = cliWith(
      { ...env, AWS_CONFIG_FILE: join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials') },
      'status',
      'three-tier-drill-20260101T000000-a1b2c3',
    );
    expect(code).toBe(2);
    expect(stderr).toBe('drs-orchestrator: no AWS region: set AWS_REGION or pass --region\n');
  });
});
