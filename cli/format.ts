import { dataAgeText } from '../functions/shared/recovery-point';
import type { ExecutionResult } from '../functions/shared/types';
import type { DrsCounts } from '../local/drs-simulator';
import { cleanupLines } from './cleanup-text';
import { missedTargetLines, rpoTargetSuffix, rtoLine } from './targets-text';
import { cellWidth, padCells, truncateCells } from './terminal-text';

/** Pure text for the CLI: times, counts and the summary table (the progress view is in progress-frame.ts). */

export function clockTime(from: Date, at: Date): string {
  const total = Math.max(0, Math.round((at.getTime() - from.getTime()) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
}

export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(s % 60).padStart(2, '0')}s`;
}

/** `2 LAUNCHED · 1 IN_PROGRESS`, most advanced statuses first. */
export function countsText(counts: Record<string, number>): string {
  const order = ['LAUNCHED', 'FAILED', 'TERMINATED', 'IN_PROGRESS', 'PENDING', 'NOT_IN_JOB'];
  const keys = Object.keys(counts).sort((a, b) => rank(order, a) - rank(order, b));
  return keys.map((key) => `${counts[key]} ${key}`).join(' · ');
}

const rank = (order: string[], key: string) => (order.includes(key) ? order.indexOf(key) : order.length);

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => cellWidth(row[col] ?? '')))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, col) => padCells(cell, widths[col] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The width of the terminal stdout writes to, or undefined in a pipe (a file keeps whole lines). */
export const terminalColumns = (): number | undefined =>
  process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : undefined;

const tableWidth = (rows: string[][]) => Math.max(...table(rows).split('\n').map(cellWidth));

/**
 * The summary table, fitted to a terminal `columns` wide when one is given: first the DRS job
 * column moves to a list under the table (the job IDs are evidence: never dropped), then wave
 * names are shortened, so no row wraps on an 80-column terminal.
 */
function fittedTable(rows: string[][], columns: number | undefined): string[] {
  if (columns === undefined || tableWidth(rows) <= columns) return [table(rows)];
  const JOB = 6;
  const jobs = rows.slice(1).map((row) => `  wave ${row[0]}: ${row[JOB]}`);
  const narrow = rows.map((row) => row.filter((_, col) => col !== JOB));
  const over = tableWidth(narrow) - columns;
  const nameWidth = Math.max(...narrow.map((row) => cellWidth(row[1] ?? '')));
  const fitted =
    over > 0
      ? narrow.map((row) =>
          row.map((cell, col) => (col === 1 ? truncateCells(cell, Math.max(8, nameWidth - over)) : cell)),
        )
      : narrow;
  return [table(fitted), 'DRS jobs:', ...jobs];
}

/**
 * The summary table and verdict; `elapsed` says whose time it was (simulated locally, real on AWS);
 * `columns`, on a terminal, the width the table must fit.
 */
export function summaryText(
  result: ExecutionResult,
  elapsed: { seconds: number; simulated: boolean },
  drs?: DrsCounts,
  columns?: number,
): string {
  const rows = [['#', 'Wave', 'Status', 'Servers', 'Launched', 'Failed', 'DRS job', 'Took']];
  // Plan order, whatever order the waves ended in (the result from the records is already in it; a reading may not be).
  const waves = [...result.waves].sort((a, b) => a.index - b.index);
  for (const wave of waves) {
    const servers = wave.servers ?? [];
    const launched = servers.filter((s) => s.launchStatus === 'LAUNCHED').length;
    const took =
      wave.startedAt && wave.endedAt
        ? duration((new Date(wave.endedAt).getTime() - new Date(wave.startedAt).getTime()) / 1000)
        : '-';
    rows.push([
      String(wave.index + 1),
      wave.name,
      wave.status,
      String(servers.length),
      String(launched),
      String(wave.failedServers.length),
      wave.jobId ?? '-',
      took,
    ]);
  }
  const lines = [...fittedTable(rows, columns), ''];
  const verdict = result.error ? `${result.status} (${result.error})` : result.status;
  lines.push(`Result: ${verdict} after ${duration(elapsed.seconds)}${elapsed.simulated ? ' of simulated time' : ''}`);
  if (result.cause) lines.push(`Cause:  ${result.cause}`);
  for (const wave of waves) {
    for (const id of wave.failedServers) {
      const server = wave.servers?.find((s) => s.sourceServerID === id);
      lines.push(`  ${id} in wave '${wave.name}': ${server?.launchStatus ?? 'unknown'}`);
    }
    // Optional servers that did not launch: shown beside the failures, marked so, never hidden.
    for (const id of wave.optionalFailedServers ?? []) {
      const server = wave.servers?.find((s) => s.sourceServerID === id);
      lines.push(`  ${id} in wave '${wave.name}' (optional): ${server?.launchStatus ?? 'unknown'}`);
    }
  }
  // On a terminal (columns known) a missed target is red as well as named.
  const colour = columns !== undefined;
  lines.push(rtoLine(result, colour), `${rpoText(result)}${rpoTargetSuffix(result, colour)}`);
  lines.push(...missedTargetLines(result, colour));
  lines.push(...cleanupLines(result));
  if (result.warnings.length > 0) {
    lines.push(`Warnings (${result.warnings.length}):`);
    for (const warning of result.warnings) lines.push(`  ! ${warning}`);
  }
  if (drs) {
    lines.push(
      `DRS (simulator): ${drs.startRecoveryCalls} StartRecovery call(s), ${drs.jobsCreated} job(s) created, ${drs.describeJobsCalls} DescribeJobs call(s)${drs.terminateRecoveryInstancesCalls > 0 ? `, ${drs.terminateRecoveryInstancesCalls} TerminateRecoveryInstances call(s)` : ''}`,
    );
  }
  return lines.join('\n');
}

/** `RPO:    data up to 5m 00s (300 s) old (oldest: s-0db00000000000001; 7 servers)`: the recovery point in one line. */
export function rpoText(result: Pick<ExecutionResult, 'rpo'>): string {
  const servers = result.rpo.servers ?? [];
  if (servers.length === 0) return 'RPO:    not known (no server was checked against DRS)';
  const count = `${servers.length} server${servers.length === 1 ? '' : 's'}`;
  if (result.rpo.maxDataAgeSeconds === 0) return `RPO:    data up to 0s old (${count})`;
  const oldest = servers.reduce((a, b) => (b.dataAgeSeconds > a.dataAgeSeconds ? b : a));
  return `RPO:    data up to ${dataAgeText(result.rpo.maxDataAgeSeconds)} old (oldest: ${oldest.sourceServerID}; ${count})`;
}

/**
 * The problems of a plan rejection's cause (`The plan is not valid (2 problems): a; b`), one
 * per item. A problem's own text may hold `; `, so the split is trusted only when it gives as
 * many problems as the cause counts; otherwise the whole cause is the one item.
 */
export function problemsOfCause(cause: string): string[] {
  const match = /^[^(]*\((\d+) problems?\): ([\s\S]*)$/.exec(cause);
  if (!match) return [cause];
  const parts = (match[2] as string).split('; ');
  return parts.length === Number(match[1]) ? parts : [cause];
}

/** A plan the workflow rejected before launching anything, as `check` shows one: its error, then each problem. */
export function rejectionText(result: ExecutionResult): string {
  const problems = problemsOfCause(result.cause ?? '(no cause recorded)');
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return [
    `Plan ${result.planId} cannot run: ${result.error} (${count}); nothing was launched`,
    ...problems.map((problem) => `  - ${problem}`),
  ].join('\n');
}
