import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** `run --cleanup-now` as a user runs it: a separate process, the example plan, exit codes, stdout. */
const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'drs-orchestrator.js');
const PLAN = join(ROOT, 'examples', 'three-tier.plan.json');
const cli = (...args: string[]) => {
  const out = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
};

describe('drs-orchestrator run --cleanup-now', () => {
  it('terminates the drill’s instances right after it ends: the result shows DONE with their IDs', () => {
    const { code, stdout } = cli('run', PLAN, '--auto-approve', '--cleanup-now', '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    const launched = result.waves.flatMap((w: { servers: { recoveryInstanceID: string }[] }) =>
      w.servers.map((s) => s.recoveryInstanceID),
    );
    expect(result.cleanup).toEqual({
      status: 'DONE',
      scheduledFor: expect.any(String),
      terminatedInstanceIDs: expect.any(Array),
      failed: [],
    });
    expect([...result.cleanup.terminatedInstanceIDs].sort()).toEqual([...launched].sort());
    expect(result.drs.terminateRecoveryInstancesCalls).toBe(1);
  });

  it('leaves the cleanup SCHEDULED without it, with the time it will run, and says so under the summary', () => {
    const json = cli('run', PLAN, '--json');
    expect(JSON.parse(json.stdout).cleanup).toMatchObject({
      status: 'SCHEDULED',
      scheduledFor: expect.stringMatching(/Z$/),
    });
    const text = cli('run', PLAN);
    expect(text.stdout).toMatch(
      /^Cleanup: SCHEDULED for \S+Z \(the drill's recovery instances are terminated then\)$/m,
    );
  });

  it('prints what was terminated under the summary', () => {
    const { stdout } = cli('run', PLAN, '--auto-approve', '--cleanup-now');
    expect(stdout).toMatch(/^Cleanup: DONE, 7 recovery instance\(s\) terminated: i-\w+(, i-\w+){6}$/m);
    expect(stdout).toContain('1 TerminateRecoveryInstances call(s)');
  });

  it('refuses --cleanup-now for a RECOVERY (exit 2) and with --aws (exit 2), launching nothing', () => {
    const recovery = cli('run', PLAN, '--type', 'recovery', '--cleanup-now');
    expect(recovery.code).toBe(2);
    expect(recovery.stderr).toContain("a RECOVERY's recovery instances are never terminated by the orchestrator");
    const aws = cli('run', PLAN, '--aws', '--cleanup-now');
    expect(aws.code).toBe(2);
    expect(aws.stderr).toContain('--cleanup-now is for local drills');
  });
});
