import { clockTime, countsText } from './format';
import { actionRow } from './progress-actions';
import { type ProgressModel, type WaveLine, waveFailed, waveRunning } from './progress-model';
import { cellWidth, padCells, truncateCells } from './terminal-text';

/**
 * The progress view as text, pure: what `ProgressDisplay` writes. On a terminal, one frame that
 * fits the terminal (no line wraps, no more lines than rows), so redrawing it in place can never
 * leave stale copies behind; in a pipe, one line per change with the same, fixed columns.
 */

export interface TerminalSize {
  columns: number;
  rows: number;
}

export interface FrameOptions {
  /** Local runs: the clock is the simulator's, and the progress line says so. */
  simulatedTime?: boolean;
}

/** The widths shared by every wave row of one frame (or of a whole piped run), so columns line up. */
interface RowLayout {
  indexDigits: number;
  statusWidth: number;
  nameWidth: number;
  detailWidth: number;
  jobWidth: number;
  time: boolean;
}

const INDENT = '  ';
const GAP = '  ';
const JOB_ID_WIDTH = 24; // drsjob- and 17 characters
const NAME_WIDTH = 24;
const DETAIL_WIDTH = 32;
const MIN_NAME_WIDTH = 8;
const TIME_WIDTH = 'T+00:00:00'.length;

/** `2 LAUNCHED · 1 IN_PROGRESS` once polled; `3 servers` before. */
function detailOf(line: WaveLine): string {
  return line.counts && Object.keys(line.counts).length > 0
    ? countsText(line.counts)
    : `${line.servers} server${line.servers === 1 ? '' : 's'}`;
}

function timeOf(model: ProgressModel, line: WaveLine): string {
  return model.start && line.at ? `t+${clockTime(model.start, line.at)}` : '';
}

function waveRow(model: ProgressModel, line: WaveLine, layout: RowLayout): string {
  const total = model.lines.length;
  const cells = [
    `wave ${String(line.index + 1).padStart(layout.indexDigits)}/${total}`,
    padCells(line.name, layout.nameWidth),
    line.status.padEnd(layout.statusWidth),
    padCells(detailOf(line), layout.detailWidth),
  ];
  // A wave that waits has no job yet: what it waits for takes the job's place (cut to fit on a terminal).
  const waiting = model.waitingFor(line);
  if (waiting) cells.push(waiting);
  else {
    if (layout.jobWidth > 0) cells.push((line.jobId ?? '').padEnd(layout.jobWidth));
    if (layout.time) cells.push(timeOf(model, line));
  }
  return `${INDENT}${cells.join(GAP)}`.trimEnd();
}

/** The gate's own line under its wave: awaiting (until when, its message), approved or rejected by whom, timed out. */
export function gateRow(model: ProgressModel, line: WaveLine): string | undefined {
  const gate = line.gate;
  if (!gate) return undefined;
  const comment = gate.comment ? `: ${gate.comment}` : '';
  const text =
    gate.state === 'AWAITING'
      ? `awaiting approval${gate.timeoutAt && model.start ? ` until t+${clockTime(model.start, gate.timeoutAt)}` : ''}${gate.message ? ` - ${gate.message}` : ''}`
      : gate.state === 'APPROVE'
        ? `approved by ${gate.by ?? 'unknown'}${comment}`
        : gate.state === 'REJECT'
          ? `rejected by ${gate.by ?? 'unknown'}${comment}`
          : 'timed out: no decision came in time';
  return `${INDENT}${INDENT}gate: ${text}`;
}

const digitsOf = (n: number) => String(Math.max(1, n)).length;

/** The fixed layout of piped lines: wave 1 and wave 10 of 40 start their columns at the same place. */
function pipeLayout(model: ProgressModel): RowLayout {
  return {
    indexDigits: digitsOf(model.lines.length),
    statusWidth: model.statusWidth,
    nameWidth: NAME_WIDTH,
    detailWidth: DETAIL_WIDTH,
    jobWidth: JOB_ID_WIDTH,
    time: true,
  };
}

/** One plain line for a pipe or a CI log: every column, at fixed widths (long names and details are cut). */
export function plainLine(model: ProgressModel, line: WaveLine): string {
  return waveRow(model, line, pipeLayout(model));
}

/**
 * The richest layout that fits `columns`: the DRS job ID goes first, then the time; then the name
 * and the counts shrink. What still does not fit is cut by `fitLine`.
 */
function frameLayout(model: ProgressModel, columns: number): RowLayout {
  const indexDigits = digitsOf(model.lines.length);
  const indexWidth = 'wave '.length + indexDigits * 2 + 1;
  const longestName = Math.max(0, ...model.lines.map((line) => cellWidth(line.name)));
  const longestDetail = Math.max(0, ...model.lines.map((line) => cellWidth(detailOf(line))));
  const nameWidth = Math.min(NAME_WIDTH, longestName);
  const statusWidth = model.statusWidth;
  const base = INDENT.length + indexWidth + GAP.length + nameWidth + GAP.length + statusWidth + GAP.length;
  const optional = [
    { jobWidth: JOB_ID_WIDTH, time: true },
    { jobWidth: 0, time: true },
    { jobWidth: 0, time: false },
  ];
  for (const extra of optional) {
    const extraWidth =
      (extra.jobWidth > 0 ? GAP.length + extra.jobWidth : 0) + (extra.time ? GAP.length + TIME_WIDTH : 0);
    // The counts column at its usual width, so the columns after it stay put as counts change; else as wide as needed.
    for (const detailWidth of [Math.max(longestDetail, DETAIL_WIDTH), longestDetail]) {
      if (base + detailWidth + extraWidth <= columns)
        return { indexDigits, statusWidth, nameWidth, detailWidth, ...extra };
    }
  }
  // Narrow: the name gives up what the counts need, down to a few cells; fitLine cuts the rest.
  const shortName = Math.max(
    Math.min(nameWidth, MIN_NAME_WIDTH),
    Math.min(nameWidth, columns - (base - nameWidth) - longestDetail),
  );
  const room = columns - (base - nameWidth + shortName);
  return {
    indexDigits,
    statusWidth,
    nameWidth: shortName,
    detailWidth: Math.max(0, Math.min(longestDetail, room)),
    jobWidth: 0,
    time: false,
  };
}

function fitLine(line: string, columns: number): string {
  return truncateCells(line, columns).trimEnd();
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Overall progress and elapsed time: one line when it fits,
 * `Progress: 1/3 waves COMPLETED, 1 LAUNCHING · 2/7 servers LAUNCHED, 1 FAILED · 00:08:30 elapsed`,
 * else a line for the waves and the time and one for the servers, so a narrow terminal still
 * shows the elapsed time and every failure count.
 */
export function progressLines(model: ProgressModel, columns: number, options: FrameOptions = {}): string[] {
  const overall = model.overall();
  const others = (counts: Record<string, number>, done: string) =>
    Object.entries(counts)
      .filter(([status]) => status !== done)
      .map(([status, n]) => `, ${n} ${status}`)
      .join('');
  const waves = `${overall.waveCounts.COMPLETED ?? 0}/${overall.waves}`;
  const waveRest = `COMPLETED${others(overall.waveCounts, 'COMPLETED')}`;
  const servers = `${overall.serverCounts.LAUNCHED ?? 0}/${overall.servers}`;
  const serverRest = `LAUNCHED${others(overall.serverCounts, 'LAUNCHED')}`;
  const elapsed = `${clockTime(new Date(0), new Date(overall.elapsedSeconds * 1000))} elapsed${options.simulatedTime ? ' (simulated)' : ''}`;
  const oneLine = `Progress: ${waves} ${overall.waves === 1 ? 'wave' : 'waves'} ${waveRest} · ${servers} ${overall.servers === 1 ? 'server' : 'servers'} ${serverRest} · ${elapsed}`;
  if (cellWidth(oneLine) <= columns) return [oneLine];
  return [`Waves: ${waves} ${waveRest} · ${elapsed}`, `Servers: ${servers} ${serverRest}`];
}

/**
 * Which hidden waves share a fold line: finished, not started, or (when even those do not fit) the
 * rest; 'none' when the running and failed waves take every row (the progress line still counts all).
 */
type FoldKey = 'completed' | 'not-started' | 'more' | 'none';

/**
 * Chooses the waves shown one per row when they do not all fit: running and failed waves always
 * (as many as the height allows), then the next waves to start, then the latest finished ones;
 * every other wave is counted on a fold line.
 */
function visibleWaves(lines: WaveLine[], budget: number): { shown: Set<number>; foldOf: (line: WaveLine) => FoldKey } {
  const all = new Set(lines.map((line) => line.index));
  if (lines.length <= budget) return { shown: all, foldOf: () => 'more' };
  const must = lines.filter((line) => waveRunning(line) || waveFailed(line));
  const completed = lines.filter((line) => line.status === 'COMPLETED');
  const notStarted = lines.filter((line) => line.status === 'NOT_STARTED');
  const completedFold = completed.length > 0 ? 1 : 0;
  const notStartedFold = notStarted.length > 0 ? 1 : 0;
  if (must.length + completedFold + notStartedFold > budget) {
    // Every running and failed wave first (parallel waves run at once: each is shown), one line
    // counting the rest when there is room for it; else as many as fit and a line counting the rest.
    if (must.length === budget) return { shown: new Set(must.map((line) => line.index)), foldOf: () => 'none' };
    const shown = new Set(must.slice(0, must.length < budget ? must.length : budget - 1).map((line) => line.index));
    return { shown, foldOf: () => 'more' };
  }
  const shown = new Set(must.map((line) => line.index));
  let room = budget - must.length - completedFold;
  if (notStarted.length <= room) {
    for (const line of notStarted) shown.add(line.index);
    room -= notStarted.length;
    // Some finished wave stays hidden (else everything would fit): show the latest ones.
    for (const line of completed.slice(completed.length - room)) shown.add(line.index);
  } else {
    for (const line of notStarted.slice(0, room - 1)) shown.add(line.index);
  }
  return { shown, foldOf: (line) => (line.status === 'COMPLETED' ? 'completed' : 'not-started') };
}

function foldLine(hidden: WaveLine[]): string {
  const counts: Record<string, number> = {};
  for (const line of hidden) counts[line.status] = (counts[line.status] ?? 0) + 1;
  const statuses = Object.entries(counts);
  const [only] = statuses;
  if (statuses.length === 1 && only) return `${INDENT}… ${plural(only[1], 'more wave')} ${only[0]}`;
  return `${INDENT}… ${plural(hidden.length, 'more wave')}: ${statuses.map(([s, n]) => `${n} ${s}`).join(', ')}`;
}

/**
 * The live view for a terminal of `size`: the progress lines, then the waves in plan order, at
 * most `rows - 1` lines (the cursor's line after the frame must not scroll it), none wider than
 * `columns`.
 */
export function renderFrame(model: ProgressModel, size: TerminalSize, options: FrameOptions = {}): string[] {
  const height = Math.max(0, Math.floor(size.rows) - 1);
  const columns = Math.max(1, Math.floor(size.columns));
  if (height === 0) return [];
  const frame = progressLines(model, columns, options).slice(0, height);
  // A gate's line counts against the height like a wave's; when even the waves do not fit, gates give way.
  const gates = model.lines.filter((line) => line.gate).length;
  const withGates = height - frame.length - gates >= Math.min(model.lines.length, 1) && gates > 0;
  const budget = height - frame.length - (withGates ? gates : 0);
  if (budget > 0 && model.lines.length > 0) {
    const layout = frameLayout(model, columns);
    // A running or failed wave's actions are lines of their own under it; they take rows from the waves' budget.
    const actionsOf = (line: WaveLine) => (waveRunning(line) || waveFailed(line) ? (line.actions ?? []) : []);
    const actionRows = model.lines.reduce((n, line) => n + actionsOf(line).length, 0);
    const { shown, foldOf } = visibleWaves(model.lines, Math.max(1, budget - actionRows));
    const folded = new Set<FoldKey>();
    for (const line of model.lines) {
      if (shown.has(line.index)) {
        frame.push(waveRow(model, line, layout));
        const gate = withGates ? gateRow(model, line) : undefined;
        if (gate) frame.push(gate);
        for (const action of actionsOf(line)) frame.push(actionRow(action, layout.time ? model.start : undefined));
        continue;
      }
      const key = foldOf(line);
      if (key === 'none' || folded.has(key)) continue;
      folded.add(key);
      frame.push(foldLine(model.lines.filter((other) => !shown.has(other.index) && foldOf(other) === key)));
    }
  }
  return frame.slice(0, height).map((line) => fitLine(line, columns));
}
