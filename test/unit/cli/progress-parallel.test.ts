import { summaryText } from '../../../cli/format';
import { ProgressDisplay } from '../../../cli/progress';
import { renderFrame } from '../../../cli/progress-frame';
import { ProgressModel } from '../../../cli/progress-model';
import type { ProgressEvent } from '../../../functions/shared/progress-event';
import type { ExecutionResult, WaveResult } from '../../../functions/shared/types';
import { at, jobOf, T0 } from '../../fixtures/progress-events';
import { VirtualTerminal } from '../../fixtures/virtual-terminal';

/** Databases first; App and Reporting both need it (they run at the same time); Web needs App. */
const BRANCHING: ProgressEvent = {
  type: 'execution-started',
  executionId: 'estate-drill-20260101T000000-000001',
  at: T0,
  waves: [
    { index: 0, name: 'Databases', servers: 2, dependsOn: [] },
    { index: 1, name: 'App', servers: 2, dependsOn: ['Databases'] },
    { index: 2, name: 'Reporting', servers: 1, dependsOn: ['Databases'] },
    { index: 3, name: 'Web', servers: 1, dependsOn: ['App'] },
  ],
};
const NAMES = ['Databases', 'App', 'Reporting', 'Web'];

const started = (index: number, seconds: number): ProgressEvent => ({
  type: 'wave-started',
  index,
  name: NAMES[index] ?? '',
  jobId: jobOf(index),
  at: at(seconds),
});
const polled = (index: number, status: string, counts: Record<string, number>, seconds: number): ProgressEvent => ({
  type: 'wave-polled',
  index,
  name: NAMES[index] ?? '',
  status,
  counts,
  at: at(seconds),
});

/** Databases COMPLETED, then App and Reporting LAUNCHING at the same time. */
const twoRunning: ProgressEvent[] = [
  BRANCHING,
  started(0, 0),
  polled(0, 'COMPLETED', { LAUNCHED: 2 }, 600),
  started(1, 601),
  started(2, 601),
  polled(1, 'LAUNCHING', { IN_PROGRESS: 2 }, 660),
  polled(2, 'LAUNCHING', { IN_PROGRESS: 1 }, 660),
];

const rowOf = (frame: string[], name: string) =>
  frame.find((line) => new RegExp(`^ {2}wave \\d/4 {2}${name} `).test(line));

describe('ProgressDisplay with waves that run at the same time', () => {
  it('shows both waves LAUNCHING at once, in plan order, each with its job', async () => {
    const terminal = new VirtualTerminal(120, 24);
    const display = new ProgressDisplay(terminal);

    for (const event of twoRunning) display.onEvent(event);
    await terminal.settle();

    const waves = terminal.lines().filter((line) => /^ {2}wave \d\/4/.test(line));
    expect(waves).toEqual([
      expect.stringMatching(/^ {2}wave 1\/4 {2}Databases +COMPLETED +2 LAUNCHED +drsjob-0+0 /),
      expect.stringMatching(/^ {2}wave 2\/4 {2}App +LAUNCHING +2 IN_PROGRESS +drsjob-0+1 /),
      expect.stringMatching(/^ {2}wave 3\/4 {2}Reporting +LAUNCHING +1 IN_PROGRESS +drsjob-0+2 /),
      expect.stringMatching(/^ {2}wave 4\/4 {2}Web +NOT_STARTED +1 server +waits for App$/),
    ]);
    expect(terminal.lines()[1]).toMatch(/^Progress: 1\/4 waves COMPLETED, 2 LAUNCHING/);
  });

  it('keeps both running waves on a terminal too short for every wave', () => {
    const model = new ProgressModel();
    for (const event of twoRunning) model.apply(event);

    // One row for the progress line, two for the waves: the running ones win.
    const frame = renderFrame(model, { columns: 120, rows: 4 });

    expect(rowOf(frame, 'App')).toMatch(/LAUNCHING/);
    expect(rowOf(frame, 'Reporting')).toMatch(/LAUNCHING/);
  });

  it('says what a wave not started waits for: its dependencies not COMPLETED, or room under the quotas', () => {
    const model = new ProgressModel();
    model.apply(BRANCHING);
    model.apply(started(0, 0));
    const before = renderFrame(model, { columns: 120, rows: 24 });
    expect(rowOf(before, 'App')).toMatch(/NOT_STARTED +2 servers +waits for Databases$/);
    expect(rowOf(before, 'Web')).toMatch(/waits for App$/);

    model.apply(polled(0, 'COMPLETED', { LAUNCHED: 2 }, 600));
    model.apply(started(1, 601));
    model.apply(polled(2, 'WAITING_FOR_CAPACITY', {}, 601));
    const after = renderFrame(model, { columns: 120, rows: 24 });
    expect(rowOf(after, 'Reporting')).toMatch(/WAITING_FOR_CAPACITY +1 server +waits for room under the DRS quotas$/);
    expect(rowOf(after, 'App')).not.toMatch(/waits/);
  });

  it('names a dependency that ended without COMPLETED with its status, and drops the notes once the run ended', async () => {
    const terminal = new VirtualTerminal(120, 24);
    const display = new ProgressDisplay(terminal);
    for (const event of [...twoRunning, polled(1, 'FAILED', { LAUNCHED: 1, FAILED: 1 }, 900)]) display.onEvent(event);
    await terminal.settle();
    expect(rowOf(terminal.lines(), 'Web')).toMatch(/waits for App \(FAILED\)$/);

    display.finish();
    await terminal.settle();
    expect(rowOf(terminal.lines(), 'Web')).toMatch(/NOT_STARTED +1 server$/);
  });

  it('lines the columns up after a WAITING_FOR_CAPACITY status, the longest one', () => {
    const model = new ProgressModel();
    for (const event of [...twoRunning.slice(0, 4), polled(2, 'WAITING_FOR_CAPACITY', {}, 601)]) model.apply(event);

    const frame = renderFrame(model, { columns: 120, rows: 24 });

    const detailAt = (name: string) => /^( {2}wave \d\/4 {2}\S+ +\S+ +)/.exec(rowOf(frame, name) ?? '')?.[1]?.length;
    expect(detailAt('Databases')).toBe(detailAt('Reporting'));
    expect(detailAt('App')).toBe(detailAt('Reporting'));
  });
});

describe('the final summary', () => {
  const wave = (index: number, status: WaveResult['status'], endedAt?: string): WaveResult => ({
    index,
    name: NAMES[index] ?? '',
    status,
    dependsOn: [],
    failedServers: [],
    optionalFailedServers: [],
    targetMinutes: null,
    targetMet: null,
    ...(endedAt ? { startedAt: '2026-01-01T00:10:00.000Z', endedAt } : {}),
  });

  it('lists the waves in plan order when wave 3 ended before wave 2', () => {
    const result: ExecutionResult = {
      executionId: 'estate-drill-20260101T000000-000001',
      planId: 'estate',
      executionType: 'DRILL',
      status: 'COMPLETED',
      rto: { targetMinutes: null, actualSeconds: 0, met: null },
      rpo: { maxDataAgeSeconds: 0, servers: [] },
      warnings: [],
      // As the waves ended: Databases, Reporting (wave 3), App (wave 2), Web.
      waves: [
        wave(0, 'COMPLETED', '2026-01-01T00:10:00.000Z'),
        wave(2, 'COMPLETED', '2026-01-01T00:15:00.000Z'),
        wave(1, 'COMPLETED', '2026-01-01T00:20:00.000Z'),
        wave(3, 'COMPLETED', '2026-01-01T00:30:00.000Z'),
      ],
    };

    const rows = summaryText(result, { seconds: 1800, simulated: true }).split('\n');

    const order = rows.map((row) => /^\s*(\d)\s+(\S+)/.exec(row)).filter((m) => m !== null);
    expect(order.map((m) => `${m[1]} ${m[2]}`)).toEqual(['1 Databases', '2 App', '3 Reporting', '4 Web']);
  });
});
