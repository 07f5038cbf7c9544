import type { DrsClient } from '@aws-sdk/client-drs';
import { z } from 'zod';
import { type AdmissionRoundDeps, admissionRound, wakeDecided } from '../shared/admission-round';
import type { Clock } from '../shared/clock';
import { waveVerdictSchema } from '../shared/execution-ending';
import type { ExecutionStore } from '../shared/execution-store';
import { logger } from '../shared/observability';
import { otherRunningJobs } from '../shared/other-drs-jobs';
import { ON_WAVE_FAILURE } from '../shared/wave-graph';
import { problemsOf } from '../shared/zod-problems';
import { recordVerdictForAdmission } from './verdict-for-admission';

const common = {
  executionId: z.string().min(1),
  /** Every wave's dependencies as indices (`dependenciesOf`), from "Validate plan and record execution". */
  dependencies: z.array(z.array(z.number().int().min(0))),
  /** The plan's scheduling with its defaults filled in (`schedulingOf`). */
  scheduling: z.object({
    onWaveFailure: z.enum(ON_WAVE_FAILURE),
    maxConcurrentWaves: z.number().int().min(1).optional(),
    maxConcurrentJobs: z.number().int().min(1),
    maxServersInAllJobs: z.number().int().min(1),
  }),
};

const admitWaveEventSchema = z.discriminatedUnion('step', [
  z.object({
    /** "Wait for dependencies and room": this wave's attempt waits on `taskToken` until admission decides it. */
    step: z.literal('ADMIT'),
    ...common,
    wave: z.object({ index: z.number().int().min(0), name: z.string() }),
    taskToken: z.string().min(1),
  }),
  z.object({
    /** "Wake waiting waves": a wave's iteration ended with `verdict`; the waves it lets start (or dooms) are woken. */
    step: z.literal('WAKE'),
    ...common,
    verdict: waveVerdictSchema,
  }),
]);
export type AdmitWaveEvent = z.infer<typeof admitWaveEventSchema>;

export interface AdmitWaveDeps extends Omit<AdmissionRoundDeps, 'otherJobs'> {
  store: Pick<
    ExecutionStore,
    | 'admissionWaves'
    | 'admissionView'
    | 'skipWave'
    | 'admissionWaits'
    | 'failUnlaunchedWave'
    | 'endWave'
    | 'markWaitingForCapacity'
  >;
  clock: Clock;
  /** DescribeJobs: DRS's other running jobs count against the quotas. */
  drs: DrsClient;
}

/**
 * ADMIT ("Wait for dependencies and room", a `.waitForTaskToken` task): records this attempt's
 * token first, then runs an admission round (`wave-admission.ts` over the execution item's claims)
 * and sends the decided waves that wait, itself included, their decision at once: START, or
 * NOT_STARTED for a wave that can never start. A wave left waiting (its dependencies run, or no
 * room) is woken by a later round, or asks again when its wait's fallback timeout passes.
 *
 * WAKE ("Wake waiting waves", at each wave's verdict): records the verdict where admission reads
 * it, then runs a round and wakes the waves it decides.
 */
export function admitWave(deps: AdmitWaveDeps) {
  return async (input: unknown): Promise<{ status: 'WAITING' | 'DECIDED'; woken: number[] }> => {
    const parsed = admitWaveEventSchema.safeParse(input);
    if (!parsed.success) throw new TypeError(`admit-wave input: ${problemsOf(parsed.error).join('; ')}`);
    const event = parsed.data;
    if (event.step === 'ADMIT') {
      // The token before the snapshot: a verdict written after this read is seen by its own wake.
      await deps.store.admissionWaits.open(event.executionId, event.wave.index, event.taskToken, deps.clock.now());
    } else {
      await recordVerdictForAdmission(deps.store, event.executionId, event.verdict, deps.clock.now());
    }
    const round = {
      ...deps,
      otherJobs: (ownJobIds: readonly string[]) => otherRunningJobs(deps.drs, { now: deps.clock.now(), ownJobIds }),
    };
    const asking = event.step === 'ADMIT' ? event.wave.index : undefined;
    const decisions = await admissionRound(round, event.executionId, event.dependencies, event.scheduling, asking);
    const woken = await wakeDecided(round, event.executionId, decisions);
    if (event.step === 'ADMIT') {
      const own = decisions.get(event.wave.index);
      if (own?.decision === 'NOT_STARTED') {
        logger.info(`Wave ${event.wave.index + 1} (${event.wave.name}) will not start: ${own.reason}`, {
          executionId: event.executionId,
        });
      }
      return { status: own ? 'DECIDED' : 'WAITING', woken };
    }
    return { status: 'DECIDED', woken };
  };
}
