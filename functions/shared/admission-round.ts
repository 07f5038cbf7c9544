import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { DrsUnavailable, RecordsInconsistent } from './errors';
import type { ExecutionStore } from './execution-store';
import type { WakeClient } from './launch-wake-delivery';
import { logger } from './observability';
import { effectiveScheduling } from './records/learned-limits';
import { type AdmissionWave, admission, type OtherJobs } from './wave-admission';
import { type PlanScheduling, topologicalOrder } from './wave-graph';

/** What "Wait for dependencies and room" answers a wave, through its task token. */
export interface AdmissionDecision {
  /** START: go on to the gate and the launch. NOT_STARTED: it can never start; the iteration ends so. */
  decision: 'START' | 'NOT_STARTED';
  reason: string;
}

export interface AdmissionRoundDeps {
  store: Pick<ExecutionStore, 'admissionView' | 'skipWave' | 'admissionWaits' | 'markWaitingForCapacity'>;
  sfn: WakeClient;
  /**
   * DRS's running jobs that are not this execution's (`otherRunningJobs`), given its own job IDs.
   * Throws the named DRS error when DRS does not answer.
   */
  otherJobs: (ownJobIds: readonly string[]) => Promise<OtherJobs>;
}

/** No room for anything: what a round assumes when DRS's other jobs are unknown (an unknown count is not zero). */
const UNKNOWN_OTHERS: OtherJobs = { jobs: Number.POSITIVE_INFINITY, servers: Number.POSITIVE_INFINITY };

/** The execution's waves (plan order, as the store gives them) in the Map's topological order, which `admission` needs. */
export function inTopologicalOrder(dependencies: readonly (readonly number[])[], waves: readonly AdmissionWave[]) {
  const byIndex = new Map(waves.map((w) => [w.index, w]));
  return topologicalOrder(dependencies).map((index) => {
    const wave = byIndex.get(index);
    if (!wave) throw new RecordsInconsistent(`wave ${index + 1} of the plan is not recorded on the execution`);
    return wave;
  });
}

const neverReason = (scheduling: PlanScheduling) =>
  scheduling.onWaveFailure === 'STOP'
    ? 'a wave did not complete and the plan stops on a failure (onWaveFailure STOP)'
    : 'a wave it depends on did not complete (onWaveFailure CONTINUE)';

/**
 * One admission round over the execution's claims (the execution item is the authority): which
 * waiting waves may start now and which never can. A wave that never can is recorded NOT_STARTED
 * for good (`skipWave`), so its own dependants see it skipped. DRS's other running jobs count
 * against the quotas (read after the records, so a job of ours recorded in between is at worst
 * counted twice, never missed). When DRS does not answer (DrsUnavailable) the round admits nothing
 * and marks nothing: the waiting waves ask again at their wait's fallback; a refusal (DrsRejected,
 * e.g. a missing permission) is thrown, for an operator to fix.
 */
export async function admissionRound(
  deps: Pick<AdmissionRoundDeps, 'store' | 'otherJobs'>,
  executionId: string,
  dependencies: readonly (readonly number[])[],
  scheduling: PlanScheduling,
  /** ADMIT's own wave: answered NOT_STARTED if an earlier round already skipped it (before its token was stored). */
  asking?: number,
): Promise<Map<number, AdmissionDecision>> {
  const view = await deps.store.admissionView(executionId);
  const waves = inTopologicalOrder(dependencies, view.waves);
  const others = await othersOrUnknown(deps, executionId, waves);
  // The plan's quotas bounded by what DRS refused (`learned-limits.ts`), read with the claims.
  const decided = admission(waves, effectiveScheduling(scheduling, view.learned), others);
  const decisions = new Map<number, AdmissionDecision>();
  for (const index of decided.neverStart) {
    try {
      await deps.store.skipWave(executionId, index);
    } catch (error) {
      // Claimed by a round that admitted it just before (its claim or its start's refusal decides it).
      if (error instanceof RecordsInconsistent) continue;
      throw error;
    }
    decisions.set(index, { decision: 'NOT_STARTED', reason: neverReason(scheduling) });
  }
  // Shown while it waits (issue 12: "A wave that has to wait for room is WAITING_FOR_CAPACITY"); the
  // mark is conditional, never over a claimed or ended wave, and the claim replaces it.
  if (others !== UNKNOWN_OTHERS) {
    for (const index of decided.waitForCapacity) await deps.store.markWaitingForCapacity(executionId, index, true);
  }
  const waiting = new Set(waves.filter((w) => w.waitingForCapacity).map((w) => w.index));
  for (const index of decided.admit) {
    // Before its START is sent: an admitted wave no longer shows a wait for room while its gate and actions run.
    if (waiting.has(index)) await deps.store.markWaitingForCapacity(executionId, index, false);
    decisions.set(index, { decision: 'START', reason: 'every wave it depends on COMPLETED and there is room' });
  }
  // Skipped by a round that ran before this wave's token was stored: no round decides it again, so
  // without this answer its iteration would wait (and re-ask) until the execution timed out.
  const own = waves.find((w) => w.index === asking);
  if (own?.state === 'SKIPPED' && !decisions.has(own.index)) {
    decisions.set(own.index, { decision: 'NOT_STARTED', reason: neverReason(scheduling) });
  }
  return decisions;
}

async function othersOrUnknown(
  deps: Pick<AdmissionRoundDeps, 'otherJobs'>,
  executionId: string,
  waves: readonly AdmissionWave[],
): Promise<OtherJobs> {
  // Only a ready wave (waiting, every dependency COMPLETED) could use the room: no DescribeJobs read
  // when none is, so a chain's waves waiting for their dependencies cost DRS nothing.
  const completed = new Set(waves.filter((w) => w.state === 'COMPLETED').map((w) => w.index));
  const ready = waves.some((w) => w.state === 'WAITING' && w.dependsOn.every((d) => completed.has(d)));
  if (!ready) return { jobs: 0, servers: 0 };
  try {
    // Only the jobs of waves holding room are counted by their claims: an ended wave's job that DRS
    // still runs (a FAILED verdict while other servers launch on) is one of DRS's other jobs.
    return await deps.otherJobs(waves.flatMap((w) => (w.state === 'ADMITTED' && w.jobId ? [w.jobId] : [])));
  } catch (error) {
    if (!(error instanceof DrsUnavailable)) throw error;
    logger.warn(`DRS's running jobs could not be read; no wave is admitted this round: ${error.message}`, {
      executionId,
    });
    return UNKNOWN_OTHERS;
  }
}

/** A token whose wait is over (timed out, or a newer wait replaced it): Step Functions refuses it. */
const isStaleToken = (error: unknown) => ['TaskTimedOut', 'InvalidToken'].includes((error as Error)?.name);

/**
 * Sends each decided wave that waits (its token stored) its decision. A stale token is normal: its
 * wait timed out and asks again by itself. Returns the waves woken.
 */
export async function wakeDecided(
  deps: AdmissionRoundDeps,
  executionId: string,
  decisions: ReadonlyMap<number, AdmissionDecision>,
  only?: number,
): Promise<number[]> {
  if (decisions.size === 0) return [];
  const tokens = await deps.store.admissionWaits.tokens(executionId);
  const woken: number[] = [];
  for (const [index, decision] of decisions) {
    if (only !== undefined && index !== only) continue;
    const taskToken = tokens.get(index);
    if (!taskToken) continue;
    try {
      await deps.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(decision) }));
      woken.push(index);
    } catch (error) {
      if (!isStaleToken(error)) throw error;
      logger.info(`Wave ${index + 1}'s admission wait was already over`, { executionId });
    }
  }
  return woken;
}
