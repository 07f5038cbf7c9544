import { minutesText } from '../targets';
import { escapeHtml as e } from './escape';
import type { ReportFacts, WaveFacts } from './report-facts';
import { timelineSvg } from './report-timeline';

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no external URL, so
 * it opens from a mail attachment or an audit archive with no network. Every value from the
 * records is escaped (`escape.ts`).
 */
export function reportHtml(report: ReportFacts): string {
  const x = report.execution;
  const title = `${x.executionType} of ${x.planName}: ${x.status}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${e(x.planName)} <span class="type">${e(x.executionType)}</span></h1>
<p class="verdict ${verdictClass(x.status)}" id="verdict">${e(x.status)}${x.error ? ` <span class="error">(${e(x.error)})</span>` : ''}</p>
${x.cause ? `<p class="cause">${e(x.cause)}</p>` : ''}
${missed(report)}
<table class="facts">
<tr><th>Plan</th><td>${e(x.planName)} (<code>${e(x.planId)}</code>)</td></tr>
<tr><th>Execution</th><td><code>${e(x.executionId)}</code>${x.executionArn ? `<br><code class="small">${e(x.executionArn)}</code>` : ''}</td></tr>
<tr><th>Started by</th><td>${x.startedBy ? e(x.startedBy) : '<span class="muted">not recorded (started outside the API; see CloudTrail StartExecution)</span>'}</td></tr>
<tr><th>Started</th><td>${e(x.startedAt)}</td></tr>
<tr><th>Ended</th><td>${x.endedAt ? e(x.endedAt) : '<span class="muted">still running</span>'}</td></tr>
<tr><th>RTO</th><td>${rtoText(report)}</td></tr>
<tr><th>RPO</th><td>${rpoText(report)}</td></tr>
<tr><th>DRS jobs</th><td>${report.jobIds.length ? report.jobIds.map((j) => `<code>${e(j)}</code>`).join(' ') : '<span class="muted">none</span>'}</td></tr>
</table>
</header>
<main>
${failedServers(report)}
<section><h2>Timeline</h2>
<p class="legend"><span class="key bar-ok"></span>wave (start to verdict) <span class="key bar-failed"></span>failed or timed out <span class="key key-wait"></span>approval wait <span class="key key-action"></span>wave action <span class="dot"></span>server first seen LAUNCHED <span class="cross">✕</span>server that failed <span class="key key-target"></span>wave target <span class="key key-rto"></span>RTO target</p>
${timelineSvg(report)}
</section>
${report.warnings.length ? `<section><h2>Warnings</h2><ul class="warnings">${report.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul></section>` : ''}
<section><h2>Waves</h2>
${report.waves.map((w) => waveSection(w)).join('\n')}
</section>
<section><h2>Cleanup</h2>${cleanupText(report)}</section>
</main>
<footer>Report ${report.reportVersion} generated ${e(report.generatedAt)} by drs-orchestrator from the execution's records. Times are UTC.</footer>
</body>
</html>
`;
}

/** `6m 40s (400 s)`, as the CLI's RPO line writes a data age (not imported from recovery-point.ts, which brings a DRS client). */
const dataAgeText = (seconds: number) => `${minutesText(seconds)} (${Math.round(seconds)} s)`;

const verdictClass = (status: string) =>
  status === 'COMPLETED'
    ? 'ok'
    : status === 'POLLING' || status === 'PENDING'
      ? 'live'
      : status === 'NOT_STARTED'
        ? 'muted'
        : 'bad';

const targetWord = (met: boolean | null) =>
  met === true
    ? '<span class="met">met</span>'
    : met === false
      ? '<span class="missed">MISSED</span>'
      : '<span class="muted">open</span>';

function missed(report: ReportFacts): string {
  if (report.missedTargets.length === 0) return '';
  return `<div class="missed-box" id="missed-targets"><strong>Targets missed</strong><ul>${report.missedTargets.map((m) => `<li>${e(m)}</li>`).join('')}</ul></div>`;
}

function rtoText(report: ReportFacts): string {
  const { rto } = report;
  const took = minutesText(rto.actualSeconds);
  if (rto.targetMinutes === null)
    return `${e(took)} <span class="muted">(no target: set rtoMinutes in the plan)</span>`;
  return `${e(took)} against a target of ${rto.targetMinutes} min: ${targetWord(rto.met)}`;
}

function rpoText(report: ReportFacts): string {
  const { rpo } = report;
  const age = `oldest data ${dataAgeText(rpo.maxDataAgeSeconds)}${rpo.oldestServer ? ` (${rpo.oldestServer})` : ''}`;
  if (rpo.targetMinutes === null) return `${e(age)} <span class="muted">(no target: set rpoMinutes in the plan)</span>`;
  return `${e(age)} against a target of ${rpo.targetMinutes} min: ${targetWord(rpo.met)}`;
}

function failedServers(report: ReportFacts): string {
  if (report.failedServers.length === 0) return '';
  const rows = report.failedServers
    .map(
      (f) =>
        `<li><code>${e(f.sourceServerID)}</code> in wave <strong>${e(f.wave)}</strong>: ${e(f.launchStatus)}${f.reason ? ` <span class="reason">${e(f.reason)}</span>` : ''}</li>`,
    )
    .join('');
  return `<section class="failed-box" id="failed-servers"><h2>Servers that did not launch</h2><ul>${rows}</ul></section>`;
}

function waveSection(wave: WaveFacts): string {
  const took = wave.durationSeconds === null ? '' : ` in ${minutesText(wave.durationSeconds)}`;
  const target =
    wave.targetMinutes === null ? '' : ` · target ${wave.targetMinutes} min: ${targetWord(wave.targetMet)}`;
  const rows = wave.servers
    .map(
      (s) => `<tr class="${s.failed ? 'failed' : ''}">
<td><code>${e(s.sourceServerID)}</code>${s.optional ? ' <span class="muted">optional</span>' : ''}</td>
<td>${e(s.launchStatus)}${s.reason ? `<div class="reason">${e(s.reason)}</div>` : ''}</td>
<td>${s.recoveryInstanceID ? `<code>${e(s.recoveryInstanceID)}</code>` : '-'}</td>
<td>${s.launchedAt ? e(s.launchedAt) : '-'}</td>
<td>${s.secondsToLaunch === null ? '-' : e(minutesText(s.secondsToLaunch))}</td>
<td>${s.dataAgeSeconds === null ? '-' : e(dataAgeText(s.dataAgeSeconds))}</td>
</tr>`,
    )
    .join('');
  const approval = wave.approval
    ? `<p>Approval: requested ${e(wave.approval.requestedAt)}; ${wave.approval.decision ? `${e(wave.approval.decision)}${wave.approval.by ? ` by ${e(wave.approval.by)}` : ''}${wave.approval.at ? ` at ${e(wave.approval.at)}` : ''}` : 'no decision'}${wave.approval.comment ? `: “${e(wave.approval.comment)}”` : ''}</p>`
    : '';
  const actions = wave.actions.length
    ? `<ul class="actions">${wave.actions.map((a) => `<li>${e(a.phase)} action <strong>${e(a.name)}</strong>: ${e(a.status)}${a.startedAt ? ` (${e(a.startedAt)} → ${e(a.endedAt ?? '…')})` : ''}${a.message ? ` - ${e(a.message)}` : ''}</li>`).join('')}</ul>`
    : '';
  const outages = wave.outages
    .map(
      (o) =>
        `<li>DRS did not answer ${e(o.operation)} from ${e(o.since)} to ${e(o.until ?? 'the end')} (${o.attempts} failed polls): ${e(o.lastError)}</li>`,
    )
    .join('');
  return `<article class="wave" id="wave-${wave.index + 1}">
<h3>${wave.index + 1}. ${e(wave.name)} <span class="status ${verdictClass(wave.status === 'LAUNCHING' ? 'POLLING' : wave.status)}">${e(wave.status)}</span></h3>
<p>${wave.jobId ? `DRS job <code>${e(wave.jobId)}</code>` : 'No DRS job'}${wave.startedAt ? ` · started ${e(wave.startedAt)}` : ''}${e(took)}${target}</p>
${wave.reason && wave.status !== 'COMPLETED' ? `<p class="reason">${e(wave.reason)}</p>` : ''}
${approval}${actions}${outages ? `<ul class="warnings">${outages}</ul>` : ''}
<table class="servers"><thead><tr><th>Source server</th><th>Launch status</th><th>Recovery instance</th><th>First seen LAUNCHED</th><th>Time to launch</th><th>Data age</th></tr></thead>
<tbody>${rows}</tbody></table>
</article>`;
}

function cleanupText(report: ReportFacts): string {
  const c = report.cleanup;
  if (!c) {
    return report.execution.executionType === 'DRILL'
      ? '<p class="muted">The records hold no cleanup for this drill: its recovery instances were not terminated by drs-orchestrator.</p>'
      : '<p class="muted">Not applicable: a RECOVERY keeps its recovery instances.</p>';
  }
  const terminated = c.terminatedInstanceIDs ?? [];
  const failed = c.failed ?? [];
  return `<p>Status: <strong>${e(c.status)}</strong>${c.scheduledFor ? ` · scheduled for ${e(c.scheduledFor)}` : ''}</p>
<p>Terminated: ${terminated.length ? terminated.map((id) => `<code>${e(id)}</code>`).join(' ') : '<span class="muted">none</span>'}</p>
${failed.length ? `<ul class="failed-list">${failed.map((f) => `<li><code>${e(f.recoveryInstanceID)}</code>: ${e(f.reason)}</li>`).join('')}</ul>` : ''}`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:24px 32px;color:#16191f;background:#fff;max-width:1040px}
h1{margin:0 0 4px;font-size:24px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:16px;margin:20px 0 4px}
.type{font-size:14px;background:#eaeded;border-radius:4px;padding:2px 8px;vertical-align:middle}
.verdict{font-size:22px;font-weight:700;margin:6px 0}.ok{color:#1d8102}.bad{color:#d13212}.live{color:#0073bb}
.error{font-weight:400;font-size:16px}.cause{margin:4px 0 12px;color:#d13212}
.missed-box{border:2px solid #d13212;background:#fdf3f1;padding:8px 12px;margin:8px 0;border-radius:4px}
.failed-box{border-left:4px solid #d13212;padding:0 12px;background:#fdf3f1}
table{border-collapse:collapse}th,td{text-align:left;padding:4px 10px 4px 0;vertical-align:top;font-size:14px}
.facts th{color:#545b64;font-weight:600;width:110px}
.servers{width:100%;margin-top:6px}.servers th{border-bottom:1px solid #aab7b8;font-size:13px;color:#545b64}
.servers td{border-bottom:1px solid #eaeded}tr.failed td{background:#fdf3f1;color:#b0240f;font-weight:600}
.reason{color:#b0240f;font-size:13px;font-weight:400}.met{color:#1d8102;font-weight:700}.missed{color:#d13212;font-weight:700}
.muted{color:#687078}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}.small{font-size:11px}
.status{font-size:13px}.warnings li{color:#8a6d00}
svg.timeline{display:block;margin:8px 0;border:1px solid #eaeded;background:#fafafa}
svg .grid{stroke:#d5dbdb;stroke-width:1}svg .tick{font-size:11px;fill:#545b64}svg .wave-label{font-size:13px;fill:#16191f}
svg .not-started{font-size:12px;fill:#687078}svg .launch-mark{fill:#fff;stroke:#16191f;stroke-width:1.5}
svg .failed-mark path{stroke:#d13212;stroke-width:3}svg .rto-target line{stroke:#d13212;stroke-width:1.5;stroke-dasharray:6 3}svg .rto-target text{font-size:11px;fill:#d13212}svg .target{stroke:#16191f;stroke-width:2;stroke-dasharray:3 2}svg .target.missed{stroke:#d13212}
.legend{font-size:12px;color:#545b64}.key{display:inline-block;width:18px;height:10px;margin:0 4px 0 12px;vertical-align:middle}
.bar-ok{background:#1d8102}.bar-failed{background:#d13212}.key-wait{background:repeating-linear-gradient(45deg,#f89256 0 3px,transparent 3px 6px)}
.key-action{background:#0073bb;height:5px}.key-target{border-left:2px dashed #16191f;width:2px}.dot{display:inline-block;width:8px;height:8px;border:1.5px solid #16191f;border-radius:50%;margin:0 4px 0 12px}
.cross{color:#d13212;font-weight:700;margin:0 4px 0 12px}.key-rto{border-left:2px dashed #d13212;width:2px}
footer{margin-top:32px;font-size:12px;color:#687078}
`;
