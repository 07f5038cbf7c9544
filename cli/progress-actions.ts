import type { ProgressEvent } from '../functions/shared/progress-event';
import type { WaveResult } from '../functions/shared/types';
import { clockTime } from './format';

type ActionEvent = Extract<ProgressEvent, { type: 'wave-action' }>;

/** One wave action as the progress view shows it: a line of its own under its wave. */
export interface ActionLine {
  name: string;
  phase: 'PRE' | 'POST';
  status: ActionEvent['status'];
  message?: string;
  at: Date;
}

/** Keeps the latest state of each action of a wave, in the order they first appeared (the order they ran). */
export function applyAction(actions: ActionLine[] | undefined, event: ActionEvent): ActionLine[] {
  const list = actions ?? [];
  const line: ActionLine = {
    name: event.name,
    phase: event.phase,
    status: event.status,
    ...(event.message ? { message: event.message } : {}),
    at: event.at,
  };
  const at = list.findIndex((a) => a.name === event.name && a.phase === event.phase);
  if (at >= 0) list[at] = line;
  else list.push(line);
  return list;
}

const WORDS: Record<ActionLine['status'], string> = {
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  SKIPPED: 'skipped',
};

/**
 * `      post-wave action  Smoke test  failed: HTTP 503 from /health  t+00:19:25`: running, succeeded,
 * failed or skipped, with the function's message (never hidden: a failure says why).
 */
export function actionRow(action: ActionLine, start?: Date): string {
  const what = `${action.phase === 'PRE' ? 'pre' : 'post'}-wave action`;
  const outcome =
    action.message && action.status !== 'RUNNING' ? `${WORDS[action.status]}: ${action.message}` : WORDS[action.status];
  const time = start ? `  t+${clockTime(start, action.at)}` : '';
  return `        ${what}  ${action.name}  ${outcome}${time}`;
}

/** The actions of a wave whose status changed between two readings of the records (the AWS follower's lines). */
export function actionEventsBetween(
  previous: Pick<WaveResult, 'actions'> | undefined,
  wave: Pick<WaveResult, 'index' | 'name' | 'actions'>,
  at: Date,
): ProgressEvent[] {
  return (wave.actions ?? [])
    .filter((a) => previous?.actions?.find((p) => p.name === a.name && p.phase === a.phase)?.status !== a.status)
    .map((a) => ({
      type: 'wave-action' as const,
      index: wave.index,
      wave: wave.name,
      name: a.name,
      phase: a.phase,
      status: a.status,
      ...(a.message ? { message: a.message } : {}),
      at,
    }));
}
