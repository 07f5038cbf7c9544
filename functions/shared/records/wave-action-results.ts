import { isLive, type WaveActionResult } from '../types';
import type { WaveAction, WaveActionPhase } from '../wave-actions-schema';
import type { ExecutionRecord } from './execution-records';
import { runKey } from './wave-action-fields';
import type { WaveRecord } from './wave-records';

/**
 * A wave's actions as the result reports them, pre-wave first, each in plan order: those that ran,
 * run or were skipped (an action the wave never got to is left out). An action started but never
 * ended is RUNNING while the execution is live; once it has ended, its outcome is unknown, which is
 * never a success: FAILED.
 */
export function actionResultsOf(execution: ExecutionRecord, wave: WaveRecord): WaveActionResult[] | undefined {
  if (!wave.preWaveActions?.length && !wave.postWaveActions?.length) return undefined;
  const results: WaveActionResult[] = [];
  const add = (phase: WaveActionPhase, actions: readonly WaveAction[]) =>
    actions.forEach((action, position) => {
      const run = wave.actionRuns?.[runKey(phase, position)];
      if (!run) return;
      const status = run.status ?? (isLive(execution.status) ? 'RUNNING' : 'FAILED');
      const message =
        run.message ??
        (run.status
          ? undefined
          : status === 'FAILED'
            ? 'outcome unknown: the execution ended while it ran'
            : undefined);
      results.push({
        name: run.name,
        phase,
        status,
        ...(message ? { message } : {}),
        ...(run.startedAt ? { startedAt: run.startedAt } : {}),
        ...(run.endedAt ? { endedAt: run.endedAt } : {}),
        ...(action.continueOnFailure ? { continueOnFailure: true } : {}),
      });
    });
  add('PRE', wave.preWaveActions ?? []);
  add('POST', wave.postWaveActions ?? []);
  return results;
}

/** A failed action the plan let the wave go on after (`continueOnFailure`) is a warning: shown, never hidden. */
export function actionWarnings(execution: ExecutionRecord, wave: WaveRecord): string[] {
  return (actionResultsOf(execution, wave) ?? [])
    .filter((a) => a.status === 'FAILED' && a.continueOnFailure)
    .map(
      (a) =>
        `wave ${wave.index + 1} '${wave.name}': ${a.phase === 'PRE' ? 'pre' : 'post'}-wave action '${a.name}' FAILED (${a.message ?? 'no message'}); the wave went on (continueOnFailure)`,
    );
}
