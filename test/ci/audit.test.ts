import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * `.ci/audit.js`, the dependency gate of `.ci/run`, against a stand-in `npm` on the PATH that
 * answers as npm does: a report (exit 1 when something is at or above the level), the registry's
 * refusal, no network, or a local error.
 */
const SCRIPT = join(__dirname, '..', '..', '.ci', 'audit.js');
let bin: string;

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), 'fake-npm-'));
  const npm = join(bin, 'npm');
  writeFileSync(
    npm,
    '#!/bin/sh\necho "$@" > "$FAKE_NPM_ARGS"\nprintf \'%s\' "$FAKE_NPM_OUT"\nexit "$FAKE_NPM_STATUS"\n',
  );
  chmodSync(npm, 0o755);
});
afterAll(() => rmSync(bin, { recursive: true, force: true }));

function gate(answer: unknown, npmStatus: number) {
  const args = join(bin, 'args');
  const run = spawnSync(process.execPath, [SCRIPT], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${bin}${delimiter}${process.env.PATH}`,
      FAKE_NPM_OUT: typeof answer === 'string' ? answer : JSON.stringify(answer),
      FAKE_NPM_STATUS: String(npmStatus),
      FAKE_NPM_ARGS: args,
    },
  });
  return { status: run.status, out: run.stdout, npmArgs: readFileSync(args, 'utf8').trim() };
}

const reportOf = (vulnerabilities: Record<string, unknown>, counts: Record<string, number>) => ({
  auditReportVersion: 2,
  vulnerabilities,
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0, ...counts } },
});

describe('.ci/audit.js', () => {
  it('audits the production dependencies at level high, as JSON', () => {
    expect(gate(reportOf({}, {}), 0).npmArgs).toBe('audit --omit=dev --audit-level=high --json');
  });

  it('passes when the report has no advisory', () => {
    expect(gate(reportOf({}, {}), 0)).toMatchObject({
      status: 0,
      out: 'npm audit: no high or critical advisory in production dependencies\n',
    });
  });

  it('passes, naming them, when the advisories are below high', () => {
    const report = reportOf({ 'some-lib': { severity: 'moderate', via: [] } }, { moderate: 1, total: 1 });
    expect(gate(report, 0)).toMatchObject({ status: 0, out: expect.stringContaining('(1 moderate)') });
  });

  it('fails on a high advisory, naming the package, its range and the advisory', () => {
    const report = reportOf(
      {
        'fast-xml-parser': {
          severity: 'high',
          range: '<4.5.4',
          via: [
            {
              title: 'fast-xml-parser has an entity encoding bypass',
              url: 'https://github.com/advisories/GHSA-m7jm-9gc2-mpf2',
            },
          ],
          fixAvailable: true,
        },
        '@aws-sdk/client-sts': { severity: 'high', via: ['fast-xml-parser'], fixAvailable: true },
      },
      { high: 2, total: 2 },
    );
    const { status, out } = gate(report, 1);
    expect(status).toBe(1);
    expect(out).toContain('FAILED - 2 production dependencies with a high or critical advisory');
    expect(out).toContain(
      'fast-xml-parser <4.5.4 (high): fast-xml-parser has an entity encoding bypass https://github.com/advisories/GHSA-m7jm-9gc2-mpf2',
    );
    expect(out).toContain('@aws-sdk/client-sts (high): through fast-xml-parser');
  });

  it('fails on a critical advisory with no fix, saying so', () => {
    const report = reportOf(
      { lib: { severity: 'critical', via: [{ title: 'RCE' }], fixAvailable: false } },
      { critical: 1 },
    );
    expect(gate(report, 1)).toMatchObject({
      status: 1,
      out: expect.stringContaining('lib (critical): RCE - no fix available'),
    });
  });

  it('says NOT CHECKED and passes when the registry refuses the audit endpoint (405)', () => {
    const refused = {
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      method: 'POST',
      statusCode: 405,
      body: '',
      error: { summary: '', detail: '' },
    };
    expect(gate(refused, 1)).toEqual(
      expect.objectContaining({
        status: 0,
        out: 'npm audit: NOT CHECKED - the advisory service could not be asked (405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk); not failing the build\n',
      }),
    );
  });

  it('says NOT CHECKED and passes when the registry cannot be reached', () => {
    const offline = {
      error: { code: 'ENOTFOUND', summary: 'request to https://registry.npmjs.org failed', detail: '' },
    };
    expect(gate(offline, 1)).toMatchObject({
      status: 0,
      out: expect.stringContaining('NOT CHECKED - the advisory service could not be asked (request to'),
    });
  });

  it('fails on a local error that is not the registry (no lockfile)', () => {
    const noLock = { error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.' } };
    expect(gate(noLock, 1)).toMatchObject({
      status: 1,
      out: 'npm audit: FAILED - npm audit exited 1: ENOLOCK This command requires an existing lockfile.\n',
    });
  });

  it('fails when npm answers something that is not JSON', () => {
    expect(gate('npm ERR! something broke', 1)).toMatchObject({
      status: 1,
      out: expect.stringContaining('FAILED - npm audit exited 1 without a JSON answer'),
    });
  });
});
