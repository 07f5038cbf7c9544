import fc from 'fast-check';
import { plainLine, renderFrame } from '../../../cli/progress-frame';
import { ProgressModel, waveFailed, waveRunning } from '../../../cli/progress-model';
import { cellWidth } from '../../../cli/terminal-text';
import type { ProgressEvent } from '../../../functions/shared/progress-event';
import { jobOf, runEvents, started, wavePolled, waveStarted } from '../../fixtures/progress-events';

function modelOf(events: ProgressEvent[]): ProgressModel {
  const model = new ProgressModel();
  for (const event of events) model.apply(event);
  return model;
}

/** The wave numbers of the rows shown, in the order shown. */
const waveNumbers = (frame: string[]) =>
  frame.flatMap((line) => {
    const match = /^ {2}wave +(\d+)\//.exec(line);
    return match ? [Number(match[1])] : [];
  });

const THREE_TIER = {
  waves: 3,
  serversPerWave: 3,
  name: (i: number) => ['Databases', 'Application servers', 'Web front end'][i] ?? '',
};

/** The three-tier drill in its second wave: wave 1 COMPLETED, wave 2 LAUNCHING with 1 of 3 launched. */
const midDrill = () => modelOf(runEvents(THREE_TIER).slice(0, 8));

describe('renderFrame', () => {
  it('fits an 80×24 terminal and shows overall progress, elapsed time and every wave in plan order', () => {
    const frame = renderFrame(midDrill(), { columns: 80, rows: 24 }, { simulatedTime: true });

    expect(frame.every((line) => cellWidth(line) <= 80)).toBe(true);
    expect(frame.slice(0, 2)).toEqual([
      'Waves: 1/3 COMPLETED, 1 LAUNCHING · 00:15:00 elapsed (simulated)',
      'Servers: 5/9 LAUNCHED, 1 IN_PROGRESS',
    ]);
    expect(waveNumbers(frame)).toEqual([1, 2, 3]);
    expect(frame[2]).toMatch(/^ {2}wave 1\/3 {2}Databases +COMPLETED +3 LAUNCHED/);
    expect(frame[3]).toMatch(/^ {2}wave 2\/3 {2}Application servers +LAUNCHING +2 LAUNCHED · 1 IN_PROGRESS/);
    expect(frame[4]).toMatch(/^ {2}wave 3\/3 {2}Web front end +NOT_STARTED +3 servers$/);
  });

  it('adds the DRS job IDs and times on a 200×50 terminal', () => {
    const frame = renderFrame(midDrill(), { columns: 200, rows: 50 });

    expect(frame).toHaveLength(4);
    expect(frame[0]).toBe(
      'Progress: 1/3 waves COMPLETED, 1 LAUNCHING · 5/9 servers LAUNCHED, 1 IN_PROGRESS · 00:15:00 elapsed',
    );
    expect(frame[2]).toMatch(
      new RegExp(`Application servers +LAUNCHING +2 LAUNCHED · 1 IN_PROGRESS +${jobOf(1)} +t\\+00:15:00$`),
    );
  });

  it('drops the job IDs, not the statuses, when the same run is resized from 200×50 to 80×24', () => {
    const model = midDrill();
    const wide = renderFrame(model, { columns: 200, rows: 50 });
    const narrow = renderFrame(model, { columns: 80, rows: 24 });

    expect(wide.join('\n')).toContain(jobOf(1));
    expect(narrow.join('\n')).not.toContain(jobOf(1));
    expect(narrow.every((line) => cellWidth(line) <= 80)).toBe(true);
    const statuses = (frame: string[]) =>
      frame
        .filter((line) => line.startsWith('  wave'))
        .map((line) => /COMPLETED|LAUNCHING|NOT_STARTED/.exec(line)?.[0]);
    expect(statuses(narrow)).toEqual(['COMPLETED', 'LAUNCHING', 'NOT_STARTED']);
    expect(statuses(wide)).toEqual(statuses(narrow));
  });

  it('folds finished waves into a count on 24 rows, keeping the running wave and the next ones in plan order', () => {
    // 40 waves: 20 COMPLETED, wave 21 launching.
    const events = runEvents({ waves: 40, serversPerWave: 5 }).slice(0, 1 + 20 * 4 + 2);
    const frame = renderFrame(modelOf(events), { columns: 80, rows: 24 });

    expect(frame).toHaveLength(23);
    expect(frame.slice(0, 2)).toEqual([
      'Waves: 20/40 COMPLETED, 1 LAUNCHING · 03:21:00 elapsed',
      'Servers: 100/200 LAUNCHED, 5 IN_PROGRESS',
    ]);
    expect(frame[2]).toBe('  … 20 more waves COMPLETED');
    expect(frame[3]).toMatch(/^ {2}wave 21\/40 +Wave 21 +LAUNCHING/);
    expect(waveNumbers(frame)).toEqual(Array.from({ length: 20 }, (_, i) => i + 21));
  });

  it('counts the waves not started yet when even they do not fit', () => {
    const events = runEvents({ waves: 40, serversPerWave: 5 }).slice(0, 1 + 4 * 4 + 2);
    const frame = renderFrame(modelOf(events), { columns: 80, rows: 24 });

    expect(frame).toHaveLength(23);
    expect(frame[2]).toBe('  … 4 more waves COMPLETED');
    expect(frame[3]).toMatch(/^ {2}wave {2}5\/40 +Wave 5 +LAUNCHING/);
    expect(waveNumbers(frame)).toEqual(Array.from({ length: 19 }, (_, i) => i + 5));
    expect(frame[22]).toBe('  … 17 more waves NOT_STARTED');
  });

  it('keeps a failed wave on screen however many waves finished before it', () => {
    const events = runEvents({ waves: 40, serversPerWave: 5 }, { failAt: 30 });
    const frame = renderFrame(modelOf(events), { columns: 80, rows: 24 });

    expect(frame.some((line) => /^ {2}wave 31\/40 +Wave 31 +FAILED +4 LAUNCHED · 1 FAILED/.test(line))).toBe(true);
    expect(frame.slice(0, 2)).toEqual([
      'Waves: 30/40 COMPLETED, 1 FAILED · 05:10:00 elapsed',
      'Servers: 154/200 LAUNCHED, 1 FAILED',
    ]);
    expect(frame.length).toBeLessThanOrEqual(23);
  });

  it('fits a CJK wave name by its cells, not its characters', () => {
    const model = modelOf(
      runEvents({ waves: 2, serversPerWave: 2, name: (i) => `データベース層の復旧グループ${i}` }).slice(0, 3),
    );
    const frame = renderFrame(model, { columns: 60, rows: 10 });

    expect(frame.every((line) => cellWidth(line) <= 60)).toBe(true);
    expect(frame[2]).toMatch(/^ {2}wave 1\/2 {2}データベース層の復… +LAUNCHING +2 IN_PROGRESS$/);
  });

  it('draws nothing on a one-row terminal, and only the waves and the time on two rows', () => {
    expect(renderFrame(midDrill(), { columns: 80, rows: 1 })).toEqual([]);
    expect(renderFrame(midDrill(), { columns: 80, rows: 2 })).toEqual([
      'Waves: 1/3 COMPLETED, 1 LAUNCHING · 00:15:00 elapsed',
    ]);
  });

  it('never exceeds the terminal, keeps plan order, and shows running and failed waves whenever they fit', () => {
    const statuses = ['NOT_STARTED', 'LAUNCHING', 'COMPLETED', 'FAILED', 'TIMED_OUT'] as const;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...statuses), { minLength: 1, maxLength: 100 }),
        fc.integer({ min: 1, max: 250 }),
        fc.integer({ min: 1, max: 80 }),
        (waves, columns, rows) => {
          const events: ProgressEvent[] = [started({ waves: waves.length, serversPerWave: 3 })];
          waves.forEach((status, index) => {
            if (status === 'NOT_STARTED') return;
            events.push(waveStarted(index, index));
            if (status !== 'LAUNCHING') events.push(wavePolled(index, status, { LAUNCHED: 3 }, index + 60));
          });
          const model = modelOf(events);
          const frame = renderFrame(model, { columns, rows });

          expect(frame.length).toBeLessThanOrEqual(Math.max(0, rows - 1));
          for (const line of frame) expect(cellWidth(line)).toBeLessThanOrEqual(columns);
          if (columns < 40) return; // too narrow to read the wave numbers back
          const shown = waveNumbers(frame);
          expect(shown).toEqual([...shown].sort((a, b) => a - b));
          const must = model.lines.filter((line) => waveRunning(line) || waveFailed(line)).map((l) => l.index + 1);
          // At most two progress lines, the running and failed waves, and at most two fold lines.
          if (2 + must.length + 2 <= rows - 1) expect(shown).toEqual(expect.arrayContaining(must));
          if (2 + waves.length <= rows - 1) expect(shown).toHaveLength(waves.length);
        },
      ),
    );
  });
});

describe('plainLine', () => {
  it('starts every column at the same place for wave 1 and wave 12 of 12', () => {
    const model = modelOf([
      started({ waves: 12, serversPerWave: 2 }),
      waveStarted(0, 0),
      wavePolled(0, 'COMPLETED', { LAUNCHED: 2 }, 600),
      waveStarted(11, 700),
    ]);
    const first = plainLine(model, model.lines[0] as never);
    const twelfth = plainLine(model, model.lines[11] as never);

    expect(first).toMatch(/^ {2}wave {2}1\/12 {2}Wave 1 /);
    expect(twelfth).toMatch(/^ {2}wave 12\/12 {2}Wave 12 /);
    const columnPairs = [
      ['Wave 1 ', 'Wave 12'],
      ['COMPLETED', 'LAUNCHING'],
      ['2 LAUNCHED', '2 servers'],
      ['drsjob-', 'drsjob-'],
      ['t+', 't+'],
    ];
    for (const [inFirst, inTwelfth] of columnPairs)
      expect(first.indexOf(inFirst as string)).toBe(twelfth.indexOf(inTwelfth as string));
  });
});
