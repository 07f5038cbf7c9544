import { type CleanupDeps, type CleanupStep, type CleanupTaskInput, claimAndTerminate } from '../shared/cleanup-runner';
import { logger } from '../shared/observability';

/**
 * The cleanup workflow's first task: claims the drill's cleanup (a run that finds it claimed or
 * done returns NOTHING_TO_DO), selects the instances this drill launched (`cleanup-selection.ts`)
 * and asks DRS to terminate them.
 */
export function terminateDrillInstances(deps: CleanupDeps) {
  return async (event: CleanupTaskInput): Promise<CleanupStep> => {
    const step = await claimAndTerminate(deps, event);
    logger.info(`Cleanup of ${event.executionId}: ${step.message}`, {
      executionId: event.executionId,
      status: step.status,
    });
    return step;
  };
}
