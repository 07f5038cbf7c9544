import type { ProgressEvent } from '../functions/shared/progress-event';
import type { AslState } from '../statemachine/definition';

/** The fields of the wave iteration's state that the action states leave, as their StateExited output carries them. */
interface ActionStateOutput {
  wave: { index: number; name: string; postWaveActions?: number };
  progress?: { counts?: Record<string, number> };
  Payload?: { next?: string; action?: { name: string }; cause?: string };
  actionEnded?: { name: string; phase: 'PRE' | 'POST'; status: string; message?: string };
}

/**
 * The progress events of the wave actions' task states (their state output, as the local engine
 * reports it): an action RUNNING when "Begin ... action" started it, its end when "Record ...
 * action" recorded it, and the wave's own end when the actions ended it (a failed pre-wave action
 * fails a wave that never got a job; post-wave actions hold a launched wave until they end).
 */
export function waveActionProgress(state: AslState, output: unknown, at: Date): ProgressEvent[] {
  const step = (state as { Parameters?: { step?: unknown; phase?: unknown } }).Parameters;
  const out = output as ActionStateOutput;
  const phase: 'PRE' | 'POST' = step?.phase === 'POST' ? 'POST' : 'PRE';
  const base = { type: 'wave-action' as const, index: out.wave.index, wave: out.wave.name, phase, at };
  if (step?.step === 'RECORD' && out.actionEnded) {
    const ended = out.actionEnded;
    const status = ended.status === 'SUCCEEDED' || ended.status === 'SKIPPED' ? ended.status : 'FAILED';
    return [{ ...base, name: ended.name, status, ...(ended.message ? { message: ended.message } : {}) }];
  }
  if (step?.step !== 'BEGIN') return [];
  const next = out.Payload?.next;
  if (next === 'RUN' && out.Payload?.action) return [{ ...base, name: out.Payload.action.name, status: 'RUNNING' }];
  const counts = out.progress?.counts ?? {};
  const wave = { type: 'wave-polled' as const, index: out.wave.index, name: out.wave.name, counts, at };
  if (next === 'FAILED') return [{ ...wave, status: 'FAILED' }];
  if (next === 'DONE' && phase === 'POST') return [{ ...wave, status: 'COMPLETED' }];
  return [];
}

/**
 * "Check the wave" says COMPLETED when every required server LAUNCHED, but a wave with post-wave
 * actions is recorded LAUNCHING until they end: the progress line says what the records say.
 */
export function recordedVerdict(output: { wave: { postWaveActions?: number }; progress: { status: string } }): string {
  return output.progress.status === 'COMPLETED' && output.wave.postWaveActions ? 'LAUNCHING' : output.progress.status;
}
