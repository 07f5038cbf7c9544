import { readableCause } from '../shared/causes';
import type { TaskDeps } from '../shared/clients';
import { logger } from '../shared/observability';
import type { ExecutionResult } from '../shared/types';

export type FinishExecutionEvent =
  | { executionId: string; outcome: 'COMPLETED' }
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
 * Records the end of an execution. COMPLETED is written only if the records agree (every wave
 * COMPLETED, every server LAUNCHED). A failure is written with an error name and a cause a
 * person can read, whatever path it came from.
 */
export function finishExecution(deps: Pick<TaskDeps, 'store' | 'clock'>) {
  return async (event: FinishExecutionEvent): Promise<FinishedExecution> => {
    const now = deps.clock.now();
    if (event.outcome === 'COMPLETED') {
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
    const result = await deps.store.failExecution({
      executionId: event.executionId,
      status: endingStatusOf(error),
      error,
      cause,
      endedAt: now,
      ...(typeof planId === 'string' ? { planId: planId.slice(0, 64) } : {}),
      ...(typeof input.executionType === 'string' ? { executionType: input.executionType.slice(0, 16) } : {}),
    });
    logger.error(`Execution ${event.executionId} ${result.status} - ${error}`, {
      executionId: event.executionId,
      error,
      cause,
    });
    return { ...result, error: result.error ?? error, cause: result.cause ?? cause };
  };
}
