import type { ProgressEvent } from '../functions/shared/progress-event';
import type { WaveResult } from '../functions/shared/types';

/**
 * The gate lines of a deployed execution, from two readings of the records (the AWS follower has no
 * engine to hear the gate open or close): a gate opened since the last reading, and a decision (or
 * its timeout) recorded since. A local run gets the same events from its engine (`local/approvals.ts`).
 */
export function gateEventsBetween(
  previous: Pick<WaveResult, 'approval'> | undefined,
  wave: Pick<WaveResult, 'index' | 'name' | 'approval'>,
  at: Date,
): ProgressEvent[] {
  const gate = wave.approval;
  if (!gate) return [];
  const events: ProgressEvent[] = [];
  const base = { index: wave.index, name: wave.name };
  if (!previous?.approval) {
    events.push({
      type: 'gate-opened',
      ...base,
      ...(gate.message ? { message: gate.message } : {}),
      timeoutAt: new Date(gate.timeoutAt),
      at: new Date(gate.requestedAt),
    });
  }
  if (gate.decision && previous?.approval?.decision !== gate.decision) {
    events.push({
      type: 'gate-closed',
      ...base,
      decision: gate.decision,
      ...(gate.by ? { by: gate.by } : {}),
      ...(gate.comment ? { comment: gate.comment } : {}),
      at: gate.at ? new Date(gate.at) : at,
    });
  }
  return events;
}
