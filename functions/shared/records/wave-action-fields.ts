import { z } from 'zod';
import { WAVE_ACTION_PHASES, type WaveAction, type WaveActionPhase, waveActionSchema } from '../wave-actions-schema';

/**
 * What a wave item holds about its actions (`wave-actions.ts` writes it): the plan's actions, each
 * action's run, and for a wave with post-wave actions the launch verdict they wait on.
 */

/** One action's run, keyed on the wave item by {@link runKey}. No `status` yet: it was started and runs (or its outcome was lost). */
export interface ActionRun {
  name: string;
  phase: WaveActionPhase;
  status?: 'SUCCEEDED' | 'FAILED' | 'SKIPPED';
  message?: string;
  startedAt?: string;
  endedAt?: string;
}

/**
 * The verdict of a wave whose servers all LAUNCHED but whose post-wave actions have still to run:
 * the wave stays LAUNCHING (and uncounted, so no later wave can start) until they end.
 */
export interface LaunchVerdict {
  reason: string;
  optionalFailedServers: string[];
  launchedAt: string;
}

export interface WaveActionFields {
  preWaveActions?: WaveAction[];
  postWaveActions?: WaveAction[];
  actionRuns?: Record<string, ActionRun>;
  launchVerdict?: LaunchVerdict;
}

/** The run's key on the wave item: `PRE-0`, `POST-1` (phase and position, which never change). */
export const runKey = (phase: WaveActionPhase, position: number) => `${phase}-${position}`;

export const actionRunSchema: z.ZodType<ActionRun> = z.object({
  name: z.string(),
  phase: z.enum(WAVE_ACTION_PHASES),
  status: z.enum(['SUCCEEDED', 'FAILED', 'SKIPPED']).optional(),
  message: z.string().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
});

/** Spread into the wave record's schema. */
export const waveActionFieldsShape = {
  preWaveActions: z.array(waveActionSchema).optional(),
  postWaveActions: z.array(waveActionSchema).optional(),
  actionRuns: z.record(z.string(), actionRunSchema).optional(),
  launchVerdict: z
    .object({ reason: z.string(), optionalFailedServers: z.array(z.string()), launchedAt: z.string() })
    .optional(),
};
