import type { AdmissionWave } from '../shared/wave-admission';
import { topologicalOrder } from '../shared/wave-graph';

/** What a wave's record tells admission: its status and how many servers its job carries. */
export interface RecordedWave {
  index: number;
  status: string;
  sourceServerIDs: readonly string[];
}

/**
 * The admission snapshot while the Map runs ONE wave at a time (MaxConcurrency 1) in topological
 * order: every wave before this one in that order has ended, so a wave there that is not COMPLETED
 * ended without completing (FAILED, TIMED_OUT, a failed action, a rejected or timed-out gate, a task
 * error after its retries, or not started because of one of those). Its records may not say so (a
 * rejected gate leaves its wave NOT_STARTED, a task error may leave it LAUNCHING until the ending
 * is recorded), but its place in the order does. This wave and the ones after it are WAITING.
 */
export function oneAtATimeSnapshot(
  waveIndex: number,
  dependencies: readonly (readonly number[])[],
  records: readonly RecordedWave[],
): AdmissionWave[] {
  const order = topologicalOrder(dependencies);
  const position = order.indexOf(waveIndex);
  if (position < 0) throw new RangeError(`wave ${waveIndex + 1} is not in the plan's ${order.length} waves`);
  const byIndex = new Map(records.map((r) => [r.index, r]));
  return order.map((index, at) => {
    const record = byIndex.get(index);
    const ended = at < position;
    return {
      index,
      servers: record?.sourceServerIDs.length ?? 0,
      dependsOn: dependencies[index] ?? [],
      state: !ended ? 'WAITING' : record?.status === 'COMPLETED' ? 'COMPLETED' : 'FAILED',
    };
  });
}
