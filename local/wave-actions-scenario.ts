import { z } from 'zod';

/**
 * The scenario's `waveActions`: how each simulated wave action answers, by action name. The local
 * runner has no operator functions to call; it answers `arn:aws:states:::lambda:invoke` states
 * itself (`wave-action-runner.ts`), as these entries say. An action with no entry succeeds after
 * {@link DEFAULT_ACTION_AFTER_SECONDS} simulated seconds.
 */
export const WAVE_ACTION_RESULTS = ['SUCCEEDED', 'FAILED', 'THROWS', 'HANGS'] as const;
export const DEFAULT_ACTION_AFTER_SECONDS = 5;

export const waveActionScriptSchema = z.strictObject({
  /** SUCCEEDED answers `{ ok: true }`, FAILED `{ ok: false }`, THROWS throws, HANGS never answers (the state's timeout ends it). */
  result: z.enum(WAVE_ACTION_RESULTS).default('SUCCEEDED'),
  /** Simulated seconds until it answers or throws (past the state's timeout: a timeout). */
  afterSeconds: z.number().min(0).max(86_400).default(DEFAULT_ACTION_AFTER_SECONDS),
  message: z.string().max(1000).optional(),
  /** The function's return value verbatim, in place of `{ ok, message }`: to drill a malformed answer. */
  answer: z.unknown().optional(),
});

export const waveActionsScenarioSchema = z.record(z.string().min(1), waveActionScriptSchema);

export type WaveActionScript = z.output<typeof waveActionScriptSchema>;
export type WaveActionsScenario = z.output<typeof waveActionsScenarioSchema>;

/** Every action name of a plan as given (valid or not): what the scenario's `waveActions` keys must name. */
export function actionNamesInPlan(plan: unknown): string[] {
  const waves = (plan as { waves?: unknown } | null)?.waves;
  if (!Array.isArray(waves)) return [];
  return waves.flatMap((wave) => {
    const { preWaveActions, postWaveActions } = (wave ?? {}) as Record<string, unknown>;
    return [preWaveActions, postWaveActions].flatMap((list) =>
      Array.isArray(list)
        ? list.map((a) => (a as { name?: unknown } | null)?.name).filter((n): n is string => typeof n === 'string')
        : [],
    );
  });
}
