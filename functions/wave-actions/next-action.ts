import type { TaskDeps } from '../shared/clients';
import type { WaveRecord } from '../shared/execution-store';
import { logger } from '../shared/observability';
import type { ActionRun } from '../shared/records/wave-action-fields';
import { runKey } from '../shared/records/wave-action-fields';
import type { ActionRef } from '../shared/records/wave-actions';
import type { ExecutionType } from '../shared/types';
import type { WaveAction, WaveActionPhase } from '../shared/wave-actions-schema';

/** What an action function is invoked with. */
export interface ActionRequest {
  executionId: string;
  planName: string;
  executionType: ExecutionType;
  wave: { index: number; name: string };
  phase: WaveActionPhase;
  /** Which action of the wave this is (a function may serve several), and how long it has. */
  action: { name: string; position: number; timeoutSeconds: number };
  /** POST only: each LAUNCHED server's recovery instance, by source server ID. */
  recoveredInstances?: Record<string, string>;
}

/**
 * "Begin ... action": the next action to invoke (`RUN`, its start recorded), or the phase's end:
 * `DONE` (every action SUCCEEDED, or failed with `continueOnFailure`) or `FAILED` (the wave failed:
 * recorded, the rest of its actions SKIPPED). The workflow puts this at `$.Payload`, where both the
 * state's input and the invoke's parameters carry `Payload.action.timeoutSeconds` for
 * TimeoutSecondsPath.
 */
export type BeginResult =
  | { next: 'RUN'; functionArn: string; action: ActionRequest['action']; request: ActionRequest }
  | { next: 'DONE' }
  | { next: 'FAILED'; cause: string };

/** An action started but never ended: its function may or may not have run, so it is never invoked again. */
export const OUTCOME_UNKNOWN =
  'outcome unknown: the action was started but its result was never recorded (a task crashed or its answer was lost); it is not invoked again';

export async function nextAction(
  deps: Pick<TaskDeps, 'store' | 'clock'>,
  event: {
    executionId: string;
    executionType: ExecutionType;
    phase: WaveActionPhase;
    wave: { index: number; name: string };
  },
): Promise<BeginResult> {
  const { executionId, phase } = event;
  const wave = await deps.store.getWave(executionId, event.wave.index);
  const actions = (phase === 'PRE' ? wave.preWaveActions : wave.postWaveActions) ?? [];
  const runs = { ...(wave.actionRuns ?? {}) };
  const refOf = (position: number): ActionRef => ({
    executionId,
    index: wave.index,
    phase,
    position,
    name: (actions[position] as WaveAction).name,
  });

  for (let position = 0; position < actions.length; position++) {
    const action = actions[position] as WaveAction;
    const ref = refOf(position);
    let run: ActionRun | undefined = runs[runKey(phase, position)];
    if (!run) {
      const begun = await deps.store.beginWaveAction(ref, deps.clock.now());
      if (begun.started) return await runAction(deps, event, wave, action, position);
      run = begun.run;
    }
    if (!run.status) {
      // Started by an earlier attempt, never ended: whether the function ran is unknown.
      run = await deps.store.endWaveAction(ref, { status: 'FAILED', message: OUTCOME_UNKNOWN }, deps.clock.now());
    }
    if (run.status === 'FAILED' && !action.continueOnFailure) return failPhase(deps, wave, phase, position, run);
    if (run.status === 'FAILED') {
      logger.warn(`Wave ${wave.name} ${phase} action ${action.name} FAILED; the wave goes on (continueOnFailure)`, {
        executionId,
        waveIndex: wave.index,
      });
    }
  }
  if (phase === 'POST') await completeHeldWave(deps, wave);
  return { next: 'DONE' };
}

async function runAction(
  deps: Pick<TaskDeps, 'store'>,
  event: { executionId: string; executionType: ExecutionType; phase: WaveActionPhase },
  wave: WaveRecord,
  action: WaveAction,
  position: number,
): Promise<BeginResult> {
  const execution = await deps.store.getExecution(event.executionId);
  const recovered = Object.fromEntries(
    (wave.servers ?? [])
      .filter((s) => s.launchStatus === 'LAUNCHED' && s.recoveryInstanceID)
      .map((s) => [s.sourceServerID, s.recoveryInstanceID as string]),
  );
  const which = { name: action.name, position, timeoutSeconds: action.timeoutSeconds };
  logger.info(`Wave ${wave.name} ${event.phase} action ${action.name} started`, {
    executionId: event.executionId,
    waveIndex: wave.index,
    functionArn: action.lambdaFunctionArn,
  });
  return {
    next: 'RUN',
    functionArn: action.lambdaFunctionArn,
    action: which,
    request: {
      executionId: event.executionId,
      planName: execution?.planName ?? execution?.planId ?? '',
      executionType: event.executionType,
      wave: { index: wave.index, name: wave.name },
      phase: event.phase,
      action: which,
      ...(event.phase === 'POST' ? { recoveredInstances: recovered } : {}),
    },
  };
}

/**
 * A failed action that may not be tolerated fails the wave: every later action of the wave (the
 * rest of this phase and, before the wave, all its post-wave actions) is SKIPPED, then the wave
 * ends FAILED: before its start with nothing launched, or after its launch with its servers as
 * they are (LAUNCHED: the result says so).
 */
async function failPhase(
  deps: Pick<TaskDeps, 'store' | 'clock'>,
  wave: WaveRecord,
  phase: WaveActionPhase,
  position: number,
  run: ActionRun,
): Promise<BeginResult> {
  const now = deps.clock.now();
  const label = `Wave ${wave.index + 1} '${wave.name}'`;
  const laterRefs = [
    ...(phase === 'PRE' ? (wave.preWaveActions ?? []) : (wave.postWaveActions ?? []))
      .map((a, p) => ({ name: a.name, phase, position: p }))
      .filter((a) => a.position > position),
    ...(phase === 'PRE'
      ? (wave.postWaveActions ?? []).map((a, p) => ({ name: a.name, phase: 'POST' as const, position: p }))
      : []),
  ].map((a) => ({ ...a, executionId: wave.executionId, index: wave.index }));
  await deps.store.skipWaveActions(
    laterRefs,
    `skipped: ${phase === 'PRE' ? 'pre' : 'post'}-wave action '${run.name}' failed`,
    now,
  );
  const what = `${phase === 'PRE' ? 'pre' : 'post'}-wave action '${run.name}' FAILED: ${run.message ?? ''}`;
  if (phase === 'PRE') {
    const reason = `${what}; nothing of the wave was launched`;
    await deps.store.failWaveBeforeStart(wave.executionId, wave.index, reason, now);
    return { next: 'FAILED', cause: `${label} FAILED before its start: ${reason}` };
  }
  const servers = wave.servers ?? [];
  const launched = servers.filter((s) => s.launchStatus === 'LAUNCHED').length;
  const reason = `${what}; its servers launched (${launched} of ${servers.length} LAUNCHED)`;
  await deps.store.endWave(
    wave.executionId,
    wave.index,
    {
      status: 'FAILED',
      servers,
      failedServers: [],
      optionalFailedServers: wave.launchVerdict?.optionalFailedServers ?? [],
      reason,
    },
    now,
  );
  return { next: 'FAILED', cause: `${label} FAILED after its launch: ${reason}` };
}

/** Every post-wave action ended acceptably: the held wave is COMPLETED (and counted) with its launch verdict. */
async function completeHeldWave(deps: Pick<TaskDeps, 'store' | 'clock'>, wave: WaveRecord): Promise<void> {
  const verdict = wave.launchVerdict;
  await deps.store.completeWave(
    wave.executionId,
    wave.index,
    wave.servers ?? [],
    deps.clock.now(),
    // The next wave expects to take as long as this one took to launch, not as long as its actions ran.
    wave.startedAt && verdict
      ? new Date(Date.parse(wave.startedAt) + deps.clock.now().getTime() - Date.parse(verdict.launchedAt))
      : undefined,
    {
      ...(verdict ? { reason: verdict.reason, optionalFailedServers: verdict.optionalFailedServers } : {}),
    },
  );
}
