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
