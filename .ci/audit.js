#!/usr/bin/env node
/**
 * CI's dependency audit: `npm audit --omit=dev --audit-level=high` on the production dependencies
 * (what the Lambda bundles and the CLI ship). Exit 1 on a high or critical advisory. When the
 * advisory service cannot be asked (no network, or the registry refuses the audit endpoint, as a
 * mirror answering `405 Method Not Allowed` does), it says so and exits 0: a gate that cannot look
 * must not pretend it looked, nor stop every build. Any other answer it cannot read fails.
 *
 * npm exits 1 both for "advisories found" and for "could not ask", so the JSON decides: a report
 * has `metadata.vulnerabilities`; an error has `error` (npm's own) or a `statusCode` (the registry's).
 */

const { spawnSync } = require('node:child_process');

const BLOCKING = ['high', 'critical'];
/** npm's error codes for a registry it could not reach or that would not answer (E405 and the like: an HTTP status). */
const UNREACHABLE =
  /^(E\d{3}|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ECONNABORTED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENETDOWN|ERR_SOCKET_TIMEOUT)$/;

function audit() {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) return unreadable(`npm could not be run: ${run.error.message}`);
  let answer;
  try {
    answer = JSON.parse(run.stdout);
  } catch {
    return unreadable(`npm audit exited ${run.status} without a JSON answer: ${(run.stderr || run.stdout).trim()}`);
  }
  const counts = answer?.metadata?.vulnerabilities;
  if (counts) return report(answer, counts);
  if (couldNotAsk(answer)) {
    const why = answer.message || answer.error?.summary || answer.error?.code || `status ${answer.statusCode}`;
    console.log(`npm audit: NOT CHECKED - the advisory service could not be asked (${why}); not failing the build`);
    return 0;
  }
  const what = answer?.error
    ? `${answer.error.code ?? ''} ${answer.error.summary ?? ''}`.trim()
    : 'neither a report nor an error';
  return unreadable(`npm audit exited ${run.status}: ${what}`);
}

/** The registry answered the audit request with an HTTP error, or could not be reached at all (not: a broken lockfile). */
function couldNotAsk(answer) {
  if (!answer || typeof answer !== 'object') return false;
  if (typeof answer.statusCode === 'number') return true;
  return typeof answer.error?.code === 'string' && UNREACHABLE.test(answer.error.code);
}

function report(answer, counts) {
  const summary = Object.entries(counts)
    .filter(([severity, n]) => severity !== 'total' && n > 0)
    .map(([severity, n]) => `${n} ${severity}`)
    .join(', ');
  const blocking = Object.entries(answer.vulnerabilities ?? {}).filter(([, v]) => BLOCKING.includes(v.severity));
  if (blocking.length === 0) {
    console.log(`npm audit: no high or critical advisory in production dependencies${summary ? ` (${summary})` : ''}`);
    return 0;
  }
  console.log(`npm audit: FAILED - ${blocking.length} production dependencies with a high or critical advisory:`);
  for (const [name, v] of blocking) {
    const via = (v.via ?? []).map((item) =>
      typeof item === 'string' ? `through ${item}` : [item.title, item.url].filter(Boolean).join(' '),
    );
    const fix = v.fixAvailable ? '' : ' - no fix available';
    console.log(`  ${[name, v.range].filter(Boolean).join(' ')} (${v.severity}): ${via.join('; ')}${fix}`);
  }
  return 1;
}

function unreadable(message) {
  console.log(`npm audit: FAILED - ${message}`);
  return 1;
}

process.exitCode = audit();
