import { problemsOfCause, summaryText } from '../../../cli/format';
import type { ExecutionResult, WaveResult } from '../../../functions/shared/types';

describe('problemsOfCause', () => {
  it('returns each problem of a plan rejection', () => {
    expect(problemsOfCause('The plan is not valid (2 problems): plan.waves[0]: a; plan.waves[1]: b')).toEqual([
      'plan.waves[0]: a',
      'plan.waves[1]: b',
    ]);
    expect(problemsOfCause('DRS is not ready to run the plan (1 problem): wave 1: STALLED')).toEqual([
      'wave 1: STALLED',
    ]);
  });

  it('returns the whole cause when a problem holds "; " and the split does not give the counted problems', () => {
    const cause = "The plan is not valid (1 problem): plan.name: 'a; b' has characters other than letters";

    expect(problemsOfCause(cause)).toEqual([cause]);
  });

  it('returns a cause of another form whole', () => {
    expect(problemsOfCause('Lambda.Unknown')).toEqual(['Lambda.Unknown']);
  });
});

describe('summaryText', () => {
  const wave = (index: number, name: string, jobId?: string): WaveResult => ({
    index,
    name,
    status: jobId ? 'COMPLETED' : 'NOT_STARTED',
    dependsOn: [],
    failedServers: [],
    optionalFailedServers: [],
    targetMinutes: null,
    targetMet: null,
    ...(jobId
      ? {
          jobId,
          startedAt: '2026-01-01T00:00:00.000Z',
          endedAt: '2026-01-01T00:08:30.000Z',
          servers: [{ sourceServerID: 's-0db00000000000001', launchStatus: 'LAUNCHED' }],
        }
      : {}),
  });
  const result: ExecutionResult = {
    executionId: 'three-tier-drill-1',
    planId: 'three-tier',
    executionType: 'DRILL',
    status: 'FAILED',
    error: 'WaveFailed',
    rto: { targetMinutes: null, actualSeconds: 0, met: null },
    rpo: { maxDataAgeSeconds: 0, servers: [] },
    warnings: [],
    waves: [
      wave(0, 'Databases', 'drsjob-227735a59c0496ec9'),
      wave(1, 'Application servers of the order system', 'drsjob-a1feef7ac8cea2d4e'),
      wave(2, 'Web front end'),
    ],
  };
  const elapsed = { seconds: 1160, simulated: true };
  const tableLines = (text: string) => text.split('\n').slice(0, text.split('\n').indexOf(''));

  it('keeps one row per wave with its DRS job when no terminal width is given (a pipe)', () => {
    const lines = tableLines(summaryText(result, elapsed));

    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain('drsjob-a1feef7ac8cea2d4e');
  });

  it('fits an 80-column terminal: no table line is wider, every wave and every DRS job is still named', () => {
    const text = summaryText(result, elapsed, undefined, 80);
    const lines = text.split('\n');
    const table = lines.slice(0, lines.indexOf('DRS jobs:'));

    expect(Math.max(...table.map((line) => line.length))).toBeLessThanOrEqual(80);
    expect(table).toHaveLength(4);
    expect(table[1]).toMatch(/^1\s+Databases\s+COMPLETED/);
    expect(table[3]).toMatch(/^3\s+Web front end\s+NOT_STARTED/);
    expect(lines.slice(lines.indexOf('DRS jobs:') + 1, lines.indexOf('DRS jobs:') + 4)).toEqual([
      '  wave 1: drsjob-227735a59c0496ec9',
      '  wave 2: drsjob-a1feef7ac8cea2d4e',
      '  wave 3: -',
    ]);
  });

  it('shortens long wave names only when the table without the job column is still too wide', () => {
    const text = summaryText(result, elapsed, undefined, 60);
    const table = text.split('\n').slice(0, text.split('\n').indexOf('DRS jobs:'));

    expect(Math.max(...table.map((line) => line.length))).toBeLessThanOrEqual(60);
    expect(table[2]).toMatch(/^2\s+Applica\S*…\s+COMPLETED/);
  });
});

describe('summaryText with optional servers', () => {
  const A = 's-aaaaaaaaaaaaaaaaa';
  const B = 's-bbbbbbbbbbbbbbbbb';
  const result: ExecutionResult = {
    executionId: 'shop-drill-1',
    planId: 'shop',
    executionType: 'DRILL',
    status: 'COMPLETED',
    rto: { targetMinutes: null, actualSeconds: 0, met: null },
    rpo: { maxDataAgeSeconds: 0, servers: [] },
    warnings: [
      `wave 1 'App': optional server ${B} (FAILED) did not launch; the wave's verdict ignores optional servers`,
    ],
    waves: [
      {
        index: 0,
        name: 'App',
        status: 'COMPLETED',
        dependsOn: [],
        targetMinutes: null,
        targetMet: null,
        failedServers: [],
        optionalFailedServers: [B],
        servers: [
          { sourceServerID: A, launchStatus: 'LAUNCHED' },
          { sourceServerID: B, launchStatus: 'FAILED' },
        ],
      },
    ],
  };

  it('names an optional server that did not launch, marked optional, and shows the warning', () => {
    const text = summaryText(result, { seconds: 600, simulated: true });

    expect(text).toContain(`  ${B} in wave 'App' (optional): FAILED`);
    expect(text).toContain(`  ! wave 1 'App': optional server ${B} (FAILED) did not launch`);
  });
});
