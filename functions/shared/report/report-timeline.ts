import { minutesText } from '../targets';
import { escapeHtml } from './escape';
import type { ReportFacts, WaveFacts } from './report-facts';

/**
 * The report's timeline (a Gantt chart) as inline SVG: one row per wave, its bar from its start to
 * its verdict, the approval wait before it and its actions under it when the records hold them,
 * each server's launch (first seen LAUNCHED) as a mark on the bar, and each failed server as a
 * red cross at the wave's verdict. Every text is escaped; nothing refers outside the page.
 */
const LAYOUT = { width: 960, label: 220, right: 24, top: 28, row: 46, bar: 16 } as const;

const STATUS_COLOUR: Record<string, string> = {
  COMPLETED: '#1d8102',
  FAILED: '#d13212',
  TIMED_OUT: '#d13212',
  LAUNCHING: '#0073bb',
  NOT_STARTED: '#aab7b8',
};

const ACTION_COLOUR: Record<string, string> = { SUCCEEDED: '#1d8102', FAILED: '#d13212' };

export function timelineSvg(report: ReportFacts): string {
  const start = Date.parse(report.execution.startedAt);
  const end = Math.max(start + 60_000, ...allTimes(report).map((t) => Date.parse(t)));
  const span = end - start;
  const plot = LAYOUT.width - LAYOUT.label - LAYOUT.right;
  const x = (iso: string) => LAYOUT.label + ((Date.parse(iso) - start) / span) * plot;
  const height = LAYOUT.top + report.waves.length * LAYOUT.row + 12;
  const rows = report.waves.map((wave, i) => waveRow(wave, LAYOUT.top + i * LAYOUT.row, x, report.generatedAt));
  const rto =
    report.rto.targetMinutes === null
      ? ''
      : rtoMarker(
          x(targetTime(report.execution.startedAt, report.rto.targetMinutes)),
          height,
          report.rto.targetMinutes,
        );
  return [
    `<svg role="img" class="timeline" viewBox="0 0 ${LAYOUT.width} ${height}" width="${LAYOUT.width}" height="${height}" aria-labelledby="timeline-title">`,
    `<title id="timeline-title">Timeline of execution ${escapeHtml(report.execution.executionId)}</title>`,
    '<defs><pattern id="wait" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6" fill="#f89256"/></pattern></defs>',
    axis(span, plot, height),
    rto,
    ...rows,
    '</svg>',
  ].join('\n');
}

const targetTime = (from: string, minutes: number) => new Date(Date.parse(from) + minutes * 60_000).toISOString();

/** The execution's RTO target as a line across every row: what the waves had to finish before. */
function rtoMarker(x: number, height: number, minutes: number): string {
  return `<g class="rto-target"><line x1="${x.toFixed(1)}" y1="${LAYOUT.top - 6}" x2="${x.toFixed(1)}" y2="${height - 8}"/><text x="${(x - 4).toFixed(1)}" y="${height - 12}" text-anchor="end">RTO target ${minutes} min</text></g>`;
}

/** Every time the chart must reach: the waves, their waits, actions and launches, and the targets. */
function allTimes(report: ReportFacts): string[] {
  const { startedAt } = report.execution;
  return [
    report.execution.endedAt,
    report.rto.targetMinutes === null ? null : targetTime(startedAt, report.rto.targetMinutes),
    ...report.waves.map((w) =>
      w.startedAt && w.targetMinutes !== null ? targetTime(w.startedAt, w.targetMinutes) : null,
    ),
    ...report.waves.flatMap((w) => [
      w.startedAt,
      w.endedAt,
      w.approval?.requestedAt,
      w.approval?.at,
      ...w.actions.flatMap((a) => [a.startedAt, a.endedAt]),
      ...w.servers.map((s) => s.launchedAt),
    ]),
  ].filter((t): t is string => typeof t === 'string' && !Number.isNaN(Date.parse(t)));
}

/** Minute ticks along the top, about eight of them, at round steps. */
function axis(span: number, plot: number, height: number): string {
  const minutes = span / 60_000;
  const step = [1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 1440].find((s) => minutes / s <= 8) ?? 2880;
  const ticks: string[] = [];
  for (let m = 0; m <= minutes; m += step) {
    const x = LAYOUT.label + ((m * 60_000) / span) * plot;
    ticks.push(
      `<line x1="${x.toFixed(1)}" y1="${LAYOUT.top - 6}" x2="${x.toFixed(1)}" y2="${height - 8}" class="grid"/>`,
      `<text x="${x.toFixed(1)}" y="${LAYOUT.top - 10}" class="tick" text-anchor="middle">t+${minutesText(m * 60)}</text>`,
    );
  }
  return `<g class="axis">${ticks.join('')}</g>`;
}

function waveRow(wave: WaveFacts, top: number, x: (iso: string) => number, now: string): string {
  const y = top + 8;
  const parts: string[] = [
    `<text x="8" y="${y + LAYOUT.bar - 3}" class="wave-label">${escapeHtml(`${wave.index + 1}. ${clip(wave.name, 30)}`)}</text>`,
  ];
  const approval = wave.approval;
  if (approval?.requestedAt) {
    const until = approval.at ?? wave.startedAt ?? now;
    parts.push(
      rect(x(approval.requestedAt), y, x(until), 'url(#wait)', 'approval-wait', [
        `Approval wait: requested ${approval.requestedAt}`,
        approval.decision
          ? `${approval.decision}${approval.by ? ` by ${approval.by}` : ''} at ${approval.at ?? '?'}`
          : 'no decision',
        approval.comment ?? '',
      ]),
    );
  }
  if (wave.startedAt) {
    const until = wave.endedAt ?? now;
    const colour = STATUS_COLOUR[wave.status] ?? '#545b64';
    const took = wave.durationSeconds === null ? 'still running' : minutesText(wave.durationSeconds);
    const target =
      wave.targetMinutes === null
        ? ''
        : `target ${wave.targetMinutes} min: ${wave.targetMet === false ? 'MISSED' : wave.targetMet ? 'met' : 'open'}`;
    parts.push(
      rect(x(wave.startedAt), y, x(until), colour, 'wave-bar', [
        `Wave ${wave.index + 1} '${wave.name}': ${wave.status}`,
        `${wave.startedAt} → ${wave.endedAt ?? 'now'} (${took})`,
        wave.jobId ? `DRS job ${wave.jobId}` : '',
        target,
      ]),
    );
    if (wave.targetMinutes !== null) {
      const tx = x(targetTime(wave.startedAt, wave.targetMinutes));
      parts.push(
        `<line x1="${tx.toFixed(1)}" y1="${y - 4}" x2="${tx.toFixed(1)}" y2="${y + LAYOUT.bar + 4}" class="target${wave.targetMet === false ? ' missed' : ''}"><title>${escapeHtml(`target: ${wave.targetMinutes} min after the wave's start`)}</title></line>`,
      );
    }
  } else {
    parts.push(
      `<text x="${LAYOUT.label + 4}" y="${y + LAYOUT.bar - 3}" class="not-started">${escapeHtml(wave.status)}</text>`,
    );
  }
  for (const server of wave.servers) {
    if (!server.launchedAt) continue;
    const sx = x(server.launchedAt);
    parts.push(
      `<circle cx="${sx.toFixed(1)}" cy="${y + LAYOUT.bar / 2}" r="4" class="launch-mark"><title>${escapeHtml(`${server.sourceServerID} LAUNCHED at ${server.launchedAt}${server.recoveryInstanceID ? ` (${server.recoveryInstanceID})` : ''}`)}</title></circle>`,
    );
  }
  const failedAt = wave.endedAt ?? now;
  wave.servers
    .filter((s) => s.failed)
    .forEach((server, k) => {
      const fx = x(failedAt) + 6 + k * 12;
      parts.push(
        `<g class="failed-mark"><title>${escapeHtml(`${server.sourceServerID} ${server.launchStatus}${server.reason ? `: ${server.reason}` : ''}`)}</title><path d="M${(fx - 4).toFixed(1)} ${y + 4} l8 8 m0 -8 l-8 8"/></g>`,
      );
    });
  wave.actions.forEach((action, k) => {
    if (!action.startedAt) return;
    const ay = y + LAYOUT.bar + 3 + (k % 2) * 6;
    parts.push(
      `<rect x="${x(action.startedAt).toFixed(1)}" y="${ay}" width="${Math.max(2, x(action.endedAt ?? now) - x(action.startedAt)).toFixed(1)}" height="5" fill="${ACTION_COLOUR[action.status] ?? '#0073bb'}" class="action-bar"><title>${escapeHtml(`${action.phase} action '${action.name}': ${action.status}${action.message ? ` - ${action.message}` : ''}`)}</title></rect>`,
    );
  });
  return `<g class="wave-row" data-wave="${wave.index}">${parts.join('')}</g>`;
}

function rect(x1: number, y: number, x2: number, fill: string, cls: string, title: string[]): string {
  const width = Math.max(2, x2 - x1);
  const text = title.filter((t) => t !== '').join('\n');
  return `<rect x="${x1.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${LAYOUT.bar}" rx="2" fill="${fill}" class="${cls}"><title>${escapeHtml(text)}</title></rect>`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
