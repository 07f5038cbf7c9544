import type { ProgressEvent } from '../functions/shared/progress-event';
import type { LocalApprovals } from './approvals';
import type { Scenario } from './drs-simulator';
import { type LocalRun, LocalStack } from './local-stack';

export interface LocalRunOptions {
  /** The execution input: `{ plan, executionType }`. */
  input: unknown;
  scenario: Scenario;
  executionName?: string;
  onProgress?: (event: ProgressEvent) => void;
  /** Who decides at the plan's approval gates (default: the scenario's `approvals`). */
  approvals?: LocalApprovals;
  /** A DRILL: clean up right after it ends (`run --cleanup-now`). */
  cleanupNow?: boolean;
}

/**
 * Runs the deployed workflow definition in aws-local-stepfunctions with each Task bound to its
 * real task code, against dynalite and the DRS simulator on loopback, in simulated time: one
 * execution on a stack of its own (`LocalStack` runs several on one).
 */
export async function runLocalExecution(options: LocalRunOptions): Promise<LocalRun> {
  const stack = await LocalStack.start({ scenario: options.scenario, planServerIDs: planServerIDs(options.input) });
  try {
    return await stack.execute(options);
  } finally {
    await stack.close();
  }
}

/** Every server ID in the input's plan: the simulator's inventory when the scenario lists none. */
export function planServerIDs(input: unknown): string[] {
  const waves = (input as { plan?: { waves?: unknown } })?.plan?.waves;
  if (!Array.isArray(waves)) return [];
  return waves.flatMap((wave) => {
    const { sourceServerIDs, optionalSourceServerIDs } = (wave ?? {}) as Record<string, unknown>;
    return [sourceServerIDs, optionalSourceServerIDs].flatMap((ids) =>
      Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [],
    );
  });
}
