import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `drs-orchestrator run --name`: the execution's name, as the console's Name field, checked as Step Functions checks it. */
const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'drs-orchestrator.js');
const PLAN = join(ROOT, 'examples', 'three-tier.plan.json');

function cli(...args: string[]) {
  const out = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

describe('drs-orchestrator run --name', () => {
  it('runs the execution under that name, and a lost StartRecovery response still gives one job per wave', () => {
    const scenario = join(mkdtempSync(join(tmpdir(), 'drs-name-')), 'lost.scenario.json');
    writeFileSync(scenario, JSON.stringify({ faults: { StartRecovery: { loseResponseTimes: 1 } } }));

    const { code, stdout } = cli('run', PLAN, '--name', 'drill(1)', '--scenario', scenario, '--json', '--auto-approve');

    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ executionId: 'drill(1)', status: 'COMPLETED' });
    expect(result.drs).toMatchObject({ startRecoveryCalls: 3, jobsCreated: 3, lostResponses: 1 });
  });

  it.each([
    ['drill 1', 'It contains whitespace.'],
    ['a/b', "It contains '/' (not allowed in a Step Functions execution name)."],
    ['x'.repeat(81), 'It is 81 characters long (expected at most 80).'],
  ])('exits 2 naming the problem of %p, launching nothing', (name, problem) => {
    const { code, stdout, stderr } = cli('run', PLAN, '--name', name, '--json');

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`argument '${name}' is invalid. ${problem}`);
  });
});
