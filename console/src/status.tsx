import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';

/** How each status word of the API reads at a glance: the word itself is always shown, exactly. */
const TYPES: Record<string, StatusIndicatorProps.Type> = {
  COMPLETED: 'success',
  LAUNCHED: 'success',
  SUCCEEDED: 'success',
  FAILED: 'error',
  TIMED_OUT: 'error',
  CANCELLED: 'stopped',
  TERMINATED: 'stopped',
  NOT_STARTED: 'pending',
  PENDING: 'pending',
  WAITING_FOR_CAPACITY: 'pending',
  AWAITING_APPROVAL: 'warning',
  POLLING: 'in-progress',
  LAUNCHING: 'in-progress',
  IN_PROGRESS: 'in-progress',
  NOT_IN_JOB: 'error',
  RUNNING: 'in-progress',
  SKIPPED: 'stopped',
  SCHEDULED: 'pending',
  DONE: 'success',
  NOT_APPLICABLE: 'info',
  APPROVE: 'success',
  REJECT: 'error',
};

export function Status({ status }: { status: string | undefined }) {
  const word = status ?? 'UNKNOWN';
  return <StatusIndicator type={TYPES[word] ?? 'info'}>{word}</StatusIndicator>;
}

/** `3m 20s`, `1h 02m`: how long between two times (or until now). */
export function duration(from: string | undefined, to: string | undefined, now: Date = new Date()): string {
  if (!from) return '-';
  const seconds = Math.max(0, Math.round(((to ? Date.parse(to) : now.getTime()) - Date.parse(from)) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m ${String(s).padStart(2, '0')}s` : `${s}s`;
}

export function time(value: string | undefined): string {
  return value ? new Date(value).toLocaleString() : '-';
}

/** `12m 05s` from a count of seconds. */
export function seconds(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return duration(new Date(0).toISOString(), new Date(value * 1000).toISOString());
}

/**
 * A target against what happened: met, or MISSED as a warning (never hidden: a missed RTO does not
 * fail the execution, so this is where an operator learns of it), or no target set.
 */
export function Target({ met, target }: { met: boolean | null | undefined; target: string | null }) {
  if (target === null) return <StatusIndicator type="info">No target</StatusIndicator>;
  if (met === true) return <StatusIndicator type="success">Met (target {target})</StatusIndicator>;
  if (met === false) return <StatusIndicator type="warning">MISSED (target {target})</StatusIndicator>;
  return <StatusIndicator type="pending">Not decided yet (target {target})</StatusIndicator>;
}
