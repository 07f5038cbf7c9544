import { ProgressDisplay } from '../../../cli/progress';
import { cellWidth } from '../../../cli/terminal-text';
import { jobOf, runEvents } from '../../fixtures/progress-events';
import { VirtualTerminal } from '../../fixtures/virtual-terminal';

const THREE_TIER = {
  waves: 3,
  serversPerWave: 3,
  name: (i: number) => ['Databases', 'Application servers', 'Web front end'][i] ?? '',
};

/** How many lines of the whole terminal (scrollback and screen) show wave `n`. */
const copiesOfWave = (terminal: VirtualTerminal, n: number) =>
  terminal.everything().filter((line) => new RegExp(`^ {2}wave +${n}/`).test(line)).length;

describe('ProgressDisplay on a terminal', () => {
  it('leaves exactly one line per wave on an 80×24 terminal after a whole drill', async () => {
    const terminal = new VirtualTerminal(80, 24);
    const display = new ProgressDisplay(terminal);

    for (const event of runEvents(THREE_TIER, { failAt: 1 })) display.onEvent(event);
    display.finish();
    await terminal.settle();

    expect([1, 2, 3].map((n) => copiesOfWave(terminal, n))).toEqual([1, 1, 1]);
    expect(terminal.everything()).toEqual([
      'Execution big-drill-20260101T000000-000001: 3 wave(s)',
      'Waves: 1/3 COMPLETED, 1 FAILED · 00:20:00 elapsed',
      'Servers: 5/9 LAUNCHED, 1 FAILED',
      expect.stringMatching(/^ {2}wave 1\/3 {2}Databases +COMPLETED +3 LAUNCHED +t\+00:10:00$/),
      expect.stringMatching(/^ {2}wave 2\/3 {2}Application servers +FAILED +2 LAUNCHED · 1 FAILED +t\+00:20:00$/),
      expect.stringMatching(/^ {2}wave 3\/3 {2}Web front end +NOT_STARTED +3 servers$/),
    ]);
  });

  it('leaves no copies in the scrollback of a 40-wave plan on 24 rows', async () => {
    const terminal = new VirtualTerminal(80, 24);
    const display = new ProgressDisplay(terminal, { simulatedTime: true });

    for (const event of runEvents({ waves: 40, serversPerWave: 5 })) display.onEvent(event);
    display.finish();
    await terminal.settle();

    // Only the header line scrolled off: the frame took every other row, and was redrawn in place.
    expect(terminal.scrollback()).toEqual(['Execution big-drill-20260101T000000-000001: 40 wave(s)']);
    const screen = terminal.lines();
    expect(screen[0]).toBe('Waves: 40/40 COMPLETED · 06:40:00 elapsed (simulated)');
    expect(screen[1]).toBe('Servers: 200/200 LAUNCHED');
    expect(screen[2]).toBe('  … 20 more waves COMPLETED');
    expect(screen.slice(3, 23).map((line) => /wave +(\d+)\//.exec(line)?.[1])).toEqual(
      Array.from({ length: 20 }, (_, i) => String(i + 21)),
    );
    expect(screen.every((line) => cellWidth(line) <= 80)).toBe(true);
  });

  it('redraws for the new size when the window is resized from 200×50 to 80×24 mid-run', async () => {
    const terminal = new VirtualTerminal(200, 50);
    const display = new ProgressDisplay(terminal);
    const events = runEvents({ waves: 40, serversPerWave: 5 });

    for (const event of events.slice(0, 41)) display.onEvent(event);
    await terminal.settle();
    expect(terminal.lines()[1]).toMatch(/^Progress: 10\/40 waves COMPLETED/);
    expect(terminal.lines().filter((line) => line.includes('drsjob-'))).toHaveLength(10);

    await terminal.resize(80, 24);
    const afterResize = terminal.scrollback();
    expect(terminal.lines()[0]).toBe('Progress: 10/40 waves COMPLETED · 50/200 servers LAUNCHED · 01:40:00 elapsed');
    expect(terminal.lines().every((line) => cellWidth(line) <= 80 && !line.includes('drsjob-'))).toBe(true);
    expect(terminal.lines().filter((line) => /^ {2}wave +11\//.test(line))).toHaveLength(1);

    for (const event of events.slice(41)) display.onEvent(event);
    display.finish();
    await terminal.settle();

    // The rows the shrink itself pushed off stay in the scrollback; no redraw after it added any.
    expect(terminal.scrollback()).toEqual(afterResize);
    expect(terminal.lines()[0]).toBe('Progress: 40/40 waves COMPLETED · 200/200 servers LAUNCHED · 06:40:00 elapsed');
    expect(terminal.lines().filter((line) => /^ {2}wave +40\//.test(line))).toHaveLength(1);
  });

  it('shows the three-tier drill once, whole and in plan order at 200×50, after a shrink to 80×24, and back', async () => {
    const terminal = new VirtualTerminal(200, 50);
    const display = new ProgressDisplay(terminal);
    const events = runEvents(THREE_TIER);
    const midDrill = events.slice(0, 8); // wave 1 COMPLETED, wave 2 LAUNCHING
    for (const event of midDrill) display.onEvent(event);
    await terminal.settle();

    const wide = [
      'Execution big-drill-20260101T000000-000001: 3 wave(s)',
      'Progress: 1/3 waves COMPLETED, 1 LAUNCHING · 5/9 servers LAUNCHED, 1 IN_PROGRESS · 00:15:00 elapsed',
      expect.stringMatching(
        new RegExp(`^ {2}wave 1/3 {2}Databases +COMPLETED +3 LAUNCHED +${jobOf(0)} +t\\+00:10:00$`),
      ),
      expect.stringMatching(
        new RegExp(
          `^ {2}wave 2/3 {2}Application servers +LAUNCHING +2 LAUNCHED · 1 IN_PROGRESS +${jobOf(1)} +t\\+00:15:00$`,
        ),
      ),
      expect.stringMatching(/^ {2}wave 3\/3 {2}Web front end +NOT_STARTED +3 servers$/),
    ];
    const narrow = [
      'Execution big-drill-20260101T000000-000001: 3 wave(s)',
      'Waves: 1/3 COMPLETED, 1 LAUNCHING · 00:15:00 elapsed',
      'Servers: 5/9 LAUNCHED, 1 IN_PROGRESS',
      '  wave 1/3  Databases            COMPLETED    3 LAUNCHED',
      '  wave 2/3  Application servers  LAUNCHING    2 LAUNCHED · 1 IN_PROGRESS',
      '  wave 3/3  Web front end        NOT_STARTED  3 servers',
    ];
    expect(terminal.everything()).toEqual(wide);

    // The terminal rewraps the 100-cell rows into two rows each before the view hears of the resize.
    await terminal.resize(80, 24);
    expect(terminal.everything()).toEqual(narrow);
    expect(terminal.lines().every((line) => cellWidth(line) <= 80)).toBe(true);

    await terminal.resize(200, 50);
    expect(terminal.everything()).toEqual(wide);
  });

  it('keeps a 40-wave run on screen once, in plan order, across 200×50 → 80×24 → 200×50, with no copies piling up', async () => {
    const terminal = new VirtualTerminal(200, 50);
    const display = new ProgressDisplay(terminal);
    const events = runEvents({ waves: 40, serversPerWave: 5 });
    /** The wave numbers on screen, in screen order. */
    const onScreen = () =>
      terminal
        .lines()
        .flatMap((line) => /^ {2}wave +(\d+)\//.exec(line)?.[1] ?? [])
        .map(Number);

    for (const event of events.slice(0, 41)) display.onEvent(event);
    await terminal.settle();
    expect(onScreen()).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    // The terminal's own rewrap pushes the old frame's top into the scrollback; the redraws add nothing to it.
    await terminal.resize(80, 24);
    const pushedByTheResize = terminal.scrollback();
    for (const event of events.slice(41, 81)) display.onEvent(event); // to wave 20 COMPLETED
    await terminal.settle();
    expect(terminal.scrollback()).toEqual(pushedByTheResize);
    expect(terminal.lines()[0]).toBe('Progress: 20/40 waves COMPLETED · 100/200 servers LAUNCHED · 03:20:00 elapsed');
    expect(terminal.lines()[1]).toBe('  … 19 more waves COMPLETED');
    expect(onScreen()).toEqual(Array.from({ length: 21 }, (_, i) => i + 20));
    expect(terminal.lines().every((line) => cellWidth(line) <= 80)).toBe(true);

    await terminal.resize(200, 50);
    for (const event of events.slice(81)) display.onEvent(event);
    display.finish();
    await terminal.settle();

    // Growing, the terminal pulls those rows back onto the screen, and the redraw for the new size erases them.
    expect(terminal.everything()).toEqual([
      'Execution big-drill-20260101T000000-000001: 40 wave(s)',
      'Progress: 40/40 waves COMPLETED · 200/200 servers LAUNCHED · 06:40:00 elapsed',
      ...Array.from({ length: 40 }, (_, i) =>
        expect.stringMatching(
          new RegExp(`^ {2}wave +${i + 1}/40 {2}Wave ${i + 1} +COMPLETED +5 LAUNCHED +${jobOf(i)} `),
        ),
      ),
    ]);
  });

  it('stops following resizes when the run is finished', () => {
    const terminal = new VirtualTerminal(80, 24);
    const display = new ProgressDisplay(terminal);
    for (const event of runEvents(THREE_TIER)) display.onEvent(event);

    display.finish();

    expect(terminal.listenerCount('resize')).toBe(0);
  });
});

describe('ProgressDisplay in a pipe', () => {
  it('writes one plain line per change, without escape sequences, wave 10 aligned with wave 9', () => {
    const written: string[] = [];
    const pipe = { isTTY: false, write: (text: string) => written.push(text) > 0 };
    const display = new ProgressDisplay(pipe);

    for (const event of runEvents({ waves: 12, serversPerWave: 2 }, { failAt: 9 })) display.onEvent(event);
    display.finish();

    const text = written.join('');
    expect(text).not.toContain('\x1b');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 9 * 4 + 3 + 2);
    const ninth = lines.find((line) => line.startsWith('  wave  9/12  Wave 9 ')) ?? '';
    const tenth = lines.find((line) => line.startsWith('  wave 10/12  Wave 10 ')) ?? '';
    expect(ninth.indexOf('drsjob-')).toBeGreaterThan(0);
    expect(tenth.indexOf('drsjob-')).toBe(ninth.indexOf('drsjob-'));
    expect(lines.slice(-2)).toEqual([
      expect.stringMatching(/^ {2}wave 11\/12 {2}Wave 11 +NOT_STARTED +2 servers$/),
      expect.stringMatching(/^ {2}wave 12\/12 {2}Wave 12 +NOT_STARTED +2 servers$/),
    ]);
  });
});
