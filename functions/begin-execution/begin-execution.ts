import type { TaskDeps } from '../shared/clients';
import { logger } from '../shared/observability';
import type { ExecutionType } from '../shared/types';
import { validateExecutionInput } from './validate-plan';

export interface BeginExecutionEvent {
  executionId: string;
  /** `$$.Execution.Id`: kept in the record for the console link and for stopping the execution. */
  executionArn?: string;
  /** The execution input as given: `{ plan, executionType }`. */
  input: unknown;
}

/** What the workflow carries from here on: IDs and summaries, never per-server detail. */
export interface BeginExecutionResult {
  executionId: string;
  planId: string;
  planName: string;
  executionType: ExecutionType;
  pollIntervalSeconds: number;
  waves: { index: number; name: string }[];
}

/** Validates the input (InvalidPlan names every problem) and records the execution and its waves. */
export function beginExecution(deps: Pick<TaskDeps, 'store' | 'clock'>) {
  return async (event: BeginExecutionEvent): Promise<BeginExecutionResult> => {
    const { plan, executionType } = validateExecutionInput(event.input);
    await deps.store.createExecution({
      executionId: event.executionId,
      plan,
      executionType,
      startedAt: deps.clock.now(),
    });
    logger.info(`Execution ${event.executionId} of plan ${plan.planId} recorded`, {
      executionId: event.executionId,
      planId: plan.planId,
      executionType,
      waves: plan.waves.length,
      servers: plan.waves.reduce((sum, wave) => sum + wave.sourceServerIDs.length, 0),
    });
    return {
      executionId: event.executionId,
      planId: plan.planId,
      planName: plan.name,
      executionType,
      pollIntervalSeconds: plan.pollIntervalSeconds,
      waves: plan.waves.map((wave, index) => ({ index, name: wave.name })),
    };
  };
}
