import { z } from 'zod';
import type { TaskDeps } from '../shared/clients';
import { RecordsInconsistent } from '../shared/errors';
import { logger } from '../shared/observability';
import { admission } from '../shared/wave-admission';
import { ON_WAVE_FAILURE } from '../shared/wave-graph';
import { problemsOf } from '../shared/zod-problems';
import { oneAtATimeSnapshot } from './admission-snapshot';

const admitWaveEventSchema = z.object({
  executionId: z.string().min(1),
  wave: z.object({ index: z.number().int().min(0), name: z.string() }),
  /** Every wave's dependencies as indices (`dependenciesOf`), from "Validate plan and record execution". */
  dependencies: z.array(z.array(z.number().int().min(0))),
  /** The plan's scheduling with its defaults filled in (`schedulingOf`). */
  scheduling: z.object({
    onWaveFailure: z.enum(ON_WAVE_FAILURE),
    maxConcurrentWaves: z.number().int().min(1).optional(),
    maxConcurrentJobs: z.number().int().min(1),
    maxServersInAllJobs: z.number().int().min(1),
  }),
});
export type AdmitWaveEvent = z.infer<typeof admitWaveEventSchema>;

export interface AdmitWaveResult {
  /** START: go on to the gate and the launch. NOT_STARTED: it can never start; the iteration ends so. */
  decision: 'START' | 'NOT_STARTED';
  reason: string;
}

/**
 * "Wait for dependencies and room": may this wave start? It reads the execution's records only
 * (start-wave's conditional claim is the guard that makes a start so); the rule is `admission`.
 * A wave that can never start (STOP after a failure; CONTINUE and a wave it depends on, directly or
 * not, did not complete) ends its iteration NOT_STARTED, as its record already says.
 */
export function admitWave(deps: Pick<TaskDeps, 'store'>) {
  return async (input: unknown): Promise<AdmitWaveResult> => {
    const parsed = admitWaveEventSchema.safeParse(input);
    if (!parsed.success) throw new TypeError(`admit-wave input: ${problemsOf(parsed.error).join('; ')}`);
    const event = parsed.data;
    const loaded = await deps.store.loadExecution(event.executionId);
    if (!loaded) throw new RecordsInconsistent(`execution ${event.executionId} is not recorded`);
    const snapshot = oneAtATimeSnapshot(event.wave.index, event.dependencies, loaded.waves);
    // No other wave of this execution holds room (one at a time), and a wave always fits alone
    // (maxServersInAllJobs is at least the per-job quota); DRS's other jobs are start-wave's to meet.
    const decided = admission(snapshot, event.scheduling, { jobs: 0, servers: 0 });
    const index = event.wave.index;
    if (decided.admit.includes(index)) return { decision: 'START', reason: 'every wave it depends on COMPLETED' };
    if (decided.neverStart.includes(index)) {
      const reason =
        event.scheduling.onWaveFailure === 'STOP'
          ? 'a wave did not complete and the plan stops on a failure (onWaveFailure STOP)'
          : 'a wave it depends on did not complete (onWaveFailure CONTINUE)';
      logger.info(`Wave ${index + 1} (${event.wave.name}) will not start: ${reason}`, {
        executionId: event.executionId,
      });
      return { decision: 'NOT_STARTED', reason };
    }
    // One at a time, every wave before it has ended and it fits alone: waiting cannot happen here.
    throw new RecordsInconsistent(
      `wave ${index + 1} would wait (${decided.waitForCapacity.includes(index) ? 'for room' : 'for its dependencies'}) with no other wave running`,
    );
  };
}
