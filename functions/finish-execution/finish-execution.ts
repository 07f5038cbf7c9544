import { readableCause } from '../shared/causes';
import type { TaskDeps } from '../shared/clients';
import { executionEnding, type WaveVerdict, waveVerdictsSchema } from '../shared/execution-ending';
import { logger } from '../shared/observability';
import type { ExecutionResult } from '../shared/types';

export type FinishExecutionEvent =
  /** After the Map: every wave's verdict, in the order the Map returned them (`execution-ending.ts` decides). */
  | { executionId: string; outcome: 'VERDICTS'; verdicts: WaveVerdict[] }
  | {
      executionId: string;
      outcome: 'FAILED';
      /**
       * The workflow's state where it failed, with the error its Catch put in `failure`: the execution
       * input (the first task failed on it) or the first task's output. Either names the plan and the
       * type; passing the state once keeps the input within 256 KiB (never a second copy of the plan).
       */
      state: { failure: { Error?: string; Cause?: string } } & Record<string, unknown>;
    };

/**
 * TIMED_OUT means a wave passed its deadline; a task that timed out is a failure like any other
 * (ApprovalTimedOut included: the gate's deadline is a decision's, not a recovery's). A person
 * rejecting a gate (ApprovalRejected) cancelled the execution.
 */
export function endingStatusOf(error: string): 'FAILED' | 'TIMED_OUT' | 'CANCELLED' {
  if (error === 'WaveTimedOut') return 'TIMED_OUT';
  if (error === 'ApprovalRejected') return 'CANCELLED';
  return 'FAILED';
}

/** The recorded result plus the error and cause the workflow's Fail state reports. */
export type FinishedExecution = ExecutionResult & { error?: string; cause?: string };

/**
 * Records the end of an execution. After the Map, the waves' verdicts decide it
 * (`executionEnding`): COMPLETED is written only if the records agree too (every wave COMPLETED,
 * every server LAUNCHED). A failure is written with an error name and a cause a person can read,
 * whatever path it came from (a wave's verdict, or a task outside the Map that failed).
 */
export function finishExecution(deps: Pick<TaskDeps, 'store' | 'clock'>) {
  return async (event: FinishExecutionEvent): Promise<FinishedExecution> => {
    const now = deps.clock.now();
    if (event.outcome === 'VERDICTS') {
      const ending = executionEnding(waveVerdictsSchema.parse(event.verdicts));
      if (ending.outcome === 'FAILED') {
        return recordFailure(deps, event.executionId, { error: ending.error, cause: ending.cause }, now);
      }
      const result = await deps.store.completeExecution(event.executionId, now);
      logger.info(`Execution ${event.executionId} completed - every wave's servers LAUNCHED`, {
        executionId: event.executionId,
        planId: result.planId,
      });
      return result;
    }
    const error = event.state.failure.Error || 'States.Unknown';
    const cause = readableCause(event.state.failure.Cause);
    const input = event.state as {
      plan?: { planId?: unknown };
      planId?: unknown;
      executionType?: unknown;
    };
    const planId = input.plan?.planId ?? input.planId;
    return recordFailure(deps, event.executionId, { error, cause, planId, executionType: input.executionType }, now);
  };
}

async function recordFailure(
  deps: Pick<TaskDeps, 'store'>,
  executionId: string,
  failure: { error: string; cause: string; planId?: unknown; executionType?: unknown },
  now: Date,
): Promise<FinishedExecution> {
  const { error, cause, planId, executionType } = failure;
  const result = await deps.store.failExecution({
    executionId,
    status: endingStatusOf(error),
    error,
    cause,
    endedAt: now,
    ...(typeof planId === 'string' ? { planId: planId.slice(0, 64) } : {}),
    ...(typeof executionType === 'string' ? { executionType: executionType.slice(0, 16) } : {}),
  });
  logger.error(`Execution ${executionId} ${result.status} - ${error}`, { executionId, error, cause });
  return { ...result, error: result.error ?? error, cause: result.cause ?? cause };
}
