import { toResult } from '../functions/shared/execution-store';
import type { ProgressEvent } from '../functions/shared/progress-event';
import type { LocalTaskDeps } from './task-functions';

/**
 * Progress for the waves an admission round marked WAITING_FOR_CAPACITY (issue 12: "A wave that
 * has to wait for room is WAITING_FOR_CAPACITY while it waits"). The mark is a records write, not a
 * task's output the engine sees, so after each run of the admission task the local engine reads
 * the records as the AWS follower does (`toResult`) and reports each wave newly shown waiting for
 * room, once per wait (a wave that starts, or ends, may wait again only after its claim is given back).
 */
export class CapacityProgress {
  private readonly shown = new Map<string, Set<number>>();

  constructor(private readonly store: LocalTaskDeps['store']) {}

  async after(payload: unknown, at: () => Date): Promise<ProgressEvent[]> {
    const executionId = (payload as { executionId?: unknown })?.executionId;
    if (typeof executionId !== 'string') return [];
    const loaded = await this.store.loadExecution(executionId);
    if (!loaded) return [];
    const shown = this.shown.get(executionId) ?? new Set<number>();
    this.shown.set(executionId, shown);
    const events: ProgressEvent[] = [];
    for (const wave of toResult(loaded.execution, loaded.waves).waves) {
      if (wave.status !== 'WAITING_FOR_CAPACITY') {
        shown.delete(wave.index);
        continue;
      }
      if (shown.has(wave.index)) continue;
      shown.add(wave.index);
      events.push({
        type: 'wave-polled',
        index: wave.index,
        name: wave.name,
        status: wave.status,
        counts: {},
        at: at(),
      });
    }
    return events;
  }
}
