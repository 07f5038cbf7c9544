import {
  type CleanupDeps,
  type CleanupStep,
  type CleanupTaskInput,
  checkTermination,
  recordCleanupFailure,
} from '../shared/cleanup-runner';
import { logger } from '../shared/observability';

/** The check's input; with `failure` (the workflow's Catch) it records the cleanup FAILED instead. */
export type CheckDrillCleanupEvent = CleanupTaskInput & { failure?: { Error?: string; Cause?: string } };

/**
 * "Check the termination": reads the cleanup's TERMINATE jobs and instances, sends what a quota
 * held back, and records DONE or FAILED once every selected instance has its result. Also the
 * workflow's failure path: an error its retries did not cure is recorded on the cleanup.
 */
export function checkDrillCleanup(deps: CleanupDeps) {
  return async (event: CheckDrillCleanupEvent): Promise<CleanupStep> => {
    const step = event.failure ? await recordCleanupFailure(deps, event) : await checkTermination(deps, event);
    logger.info(`Cleanup of ${event.executionId}: ${step.message}`, {
      executionId: event.executionId,
      status: step.status,
    });
    return step;
  };
}
