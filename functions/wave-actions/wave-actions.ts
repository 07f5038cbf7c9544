import { z } from 'zod';
import type { TaskDeps } from '../shared/clients';
import { checkedExecutionType } from '../shared/execution-type';
import { logger } from '../shared/observability';
import type { ExecutionType } from '../shared/types';
import { WAVE_ACTION_PHASES, type WaveActionPhase } from '../shared/wave-actions-schema';
import { type InvokeResult, outcomeOf } from './action-answer';
import { type BeginResult, nextAction } from './next-action';

/**
 * The wave actions' task: the workflow's "Begin ... action" and "Record ... action" states. The
 * invoke itself is Step Functions' own (`arn:aws:states:::lambda:invoke`) between the two, so this
 * function never holds an operator's function's run time, only its records.
 */
const waveShape = { index: z.number().int().min(0), name: z.string() };
const beginSchema = z.object({
  step: z.literal('BEGIN'),
  executionId: z.string().min(1),
  executionType: z.unknown(),
  phase: z.enum(WAVE_ACTION_PHASES),
  wave: z.object(waveShape),
});
const recordSchema = z.object({
  step: z.literal('RECORD'),
  executionId: z.string().min(1),
  phase: z.enum(WAVE_ACTION_PHASES),
  wave: z.object(waveShape),
  action: z.object({ name: z.string(), position: z.number().int().min(0), timeoutSeconds: z.number() }),
  result: z.union([z.object({ Error: z.string(), Cause: z.string().optional() }), z.object({ answer: z.unknown() })]),
});
const eventSchema = z.discriminatedUnion('step', [beginSchema, recordSchema]);

export type WaveActionsEvent = z.input<typeof eventSchema>;

/** What "Record ... action" hands on: the action's recorded end (the progress line reads it). */
export interface RecordResult {
  name: string;
  phase: WaveActionPhase;
  status: string;
  message?: string;
}

export function waveActions(deps: Pick<TaskDeps, 'store' | 'clock'>) {
  return async (raw: WaveActionsEvent): Promise<BeginResult | RecordResult> => {
    const parsed = eventSchema.safeParse(raw);
    if (!parsed.success) {
      throw new Error(
        `wave-actions: the event is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    const event = parsed.data;
    if (event.step === 'BEGIN') {
      const executionType: ExecutionType = checkedExecutionType(
        event.executionType,
        `wave ${event.wave.index + 1} '${event.wave.name}'`,
      );
      return nextAction(deps, { ...event, executionType });
    }
    const outcome = outcomeOf(event.result as InvokeResult, event.action.timeoutSeconds);
    const run = await deps.store.endWaveAction(
      {
        executionId: event.executionId,
        index: event.wave.index,
        phase: event.phase,
        position: event.action.position,
        name: event.action.name,
      },
      outcome,
      deps.clock.now(),
    );
    const log = run.status === 'SUCCEEDED' ? logger.info.bind(logger) : logger.warn.bind(logger);
    log(`Wave ${event.wave.name} ${event.phase} action ${event.action.name} ${run.status}: ${run.message ?? ''}`, {
      executionId: event.executionId,
      waveIndex: event.wave.index,
    });
    return {
      name: run.name,
      phase: run.phase,
      status: run.status ?? 'FAILED',
      ...(run.message ? { message: run.message } : {}),
    };
  };
}
