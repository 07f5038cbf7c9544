import { type DrsClient, paginateListLaunchActions } from '@aws-sdk/client-drs';
import { fromDrsError } from '../shared/drs-errors';
import type { ExecutionStore } from '../shared/execution-store';
import type { RequiredAction, RequiredActions } from '../shared/types';

/** ListLaunchActions takes one server per call: this many calls at once (a wave has at most a job's worth of servers). */
const READS_AT_ONCE = 10;

/**
 * A RECOVERY wave's required post-launch actions: read from DRS at the wave's first check,
 * recorded on the wave, and from then on read from the records (one list per wave, whatever
 * container or retry checks it). The workflow's state carries none of it.
 */
export async function requiredActionsOf(
  deps: { store: ExecutionStore; drs: DrsClient },
  executionId: string,
  index: number,
  sourceServerIDs: readonly string[],
): Promise<RequiredActions> {
  const recorded = await deps.store.getRequiredActions(executionId, index);
  if (recorded) return recorded;
  const listed = await listRequiredActions(deps.drs, sourceServerIDs);
  return deps.store.recordRequiredActions(executionId, index, listed);
}

/**
 * Each server's actions DRS must run for the recovery to count: ListLaunchActions with the
 * server's ID as `resourceId` (every page), the actions that are active and not optional. A
 * field DRS leaves out counts against success: an action is required unless DRS says it is
 * inactive or optional.
 */
export async function listRequiredActions(
  drs: DrsClient,
  sourceServerIDs: readonly string[],
): Promise<RequiredActions> {
  const required: Record<string, RequiredAction[]> = {};
  const queue = [...sourceServerIDs];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) required[id] = await listOne(drs, id);
  };
  await Promise.all(Array.from({ length: Math.min(READS_AT_ONCE, sourceServerIDs.length) }, worker));
  // In the wave's order, so the record reads like the plan.
  return Object.fromEntries(sourceServerIDs.map((id) => [id, required[id] ?? []]));
}

async function listOne(drs: DrsClient, resourceId: string): Promise<RequiredAction[]> {
  const actions: RequiredAction[] = [];
  try {
    for await (const page of paginateListLaunchActions({ client: drs }, { resourceId })) {
      for (const action of page.items ?? []) {
        if (action.active === false || action.optional === true || !action.actionId) continue;
        actions.push({ actionId: action.actionId, ...(action.name ? { name: action.name } : {}) });
      }
    }
  } catch (error) {
    throw fromDrsError(error, 'ListLaunchActions');
  }
  return actions;
}
