import { RecordsInconsistent } from '../errors';
import type { AdmissionWave } from '../wave-admission';
import { claimRefusal } from './claim-refusal';
import { type ExecutionRecord, getExecution } from './execution-records';
import { type LearnedLimits, learnDrsJobsLimitOnExecution } from './learned-limits';
import { ignoringRepeat, isConditionFailure, type RecordsTable } from './table';
import {
  claimOf,
  claimOnExecution,
  endUnlaunchedOnExecution,
  markWaitingOnExecution,
  NO_OTHER_JOBS,
  type OtherJobs,
  recordJobOnExecution,
  releaseClaimOnExecution,
  schedulingOfRecord,
  unmarkWaitingOnExecution,
  verdictOnExecution,
} from './wave-claims';
import {
  dependenciesOfSpec,
  endWaveItem,
  markWaveLaunching,
  recordWaveJob,
  resetWave,
  type WaveEnd,
  type WaveSpec,
  type WaveSpecs,
} from './wave-records';

/**
 * A wave's life on both of its items, in the safe order: the execution item's claim first (the
 * guard), then the wave's own item; at the verdict, the wave's item first, then the claim's end
 * (so a count always stands on a wave whose item says so). Every step is safe to repeat after a
 * crash between its two writes.
 */
export class WaveClaimSteps {
  constructor(
    private readonly table: RecordsTable,
    private readonly specs: WaveSpecs,
  ) {}

  /**
   * Claims a wave for launching: the guard in front of every StartRecovery call. One conditional
   * write: the execution is live, the wave never claimed, every wave it depends on COMPLETED, no
   * failure under STOP, and room under the quotas counting `others` (the account's other running
   * jobs). Refused: WaveNotStartable, or WaveWaitingForCapacity when only room is missing.
   */
  async claim(executionId: string, index: number, startedAt: Date, deadline: Date, others: OtherJobs = NO_OTHER_JOBS) {
    const [spec, execution] = await Promise.all([
      this.specs.get(executionId, index),
      getExecution(this.table, executionId),
    ]);
    const wave = { dependsOn: dependenciesOfSpec(spec, index), servers: spec.sourceServerIDs.length };
    const scheduling = schedulingOfRecord(execution ?? {});
    try {
      await claimOnExecution(this.table, {
        executionId,
        index,
        claimedAt: startedAt,
        wave,
        scheduling,
        others,
        learned: { drsJobsLimit: execution?.drsJobsLimit },
      });
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const now = await getExecution(this.table, executionId);
      throw claimRefusal({ executionId, index, name: spec.name, wave, others }, now, error);
    }
    await this.markLaunching(executionId, index, startedAt, deadline);
  }

  /** The claimed wave's own item: LAUNCHING with its start and deadline. Safe to repeat. */
  async markLaunching(executionId: string, index: number, startedAt: Date, deadline: Date): Promise<void> {
    await ignoringRepeat(markWaveLaunching(this.table, executionId, index, startedAt, deadline));
  }

  /** Gives a claim (and its room) back when DRS definitely created no job, so a retry may claim again. */
  async release(executionId: string, index: number): Promise<void> {
    await releaseClaimOnExecution(this.table, executionId, index);
    await ignoringRepeat(resetWave(this.table, executionId, index));
  }

  /** Records the claimed wave's DRS job ID: once, on the claim and on the wave. */
  async recordJob(executionId: string, index: number, jobId: string): Promise<void> {
    await recordJobOnExecution(this.table, executionId, index, jobId);
    await recordWaveJob(this.table, executionId, index, jobId);
  }

  /** A launching wave's verdict: its item ends, then its claim ends and gives its room back. */
  async end(executionId: string, index: number, end: WaveEnd, startedAt?: Date): Promise<void> {
    await endWaveItem(this.table, executionId, index, end);
    const took = startedAt ? Math.max(0, Math.round((end.endedAt.getTime() - startedAt.getTime()) / 1000)) : 0;
    try {
      await verdictOnExecution(
        this.table,
        executionId,
        index,
        end.status === 'COMPLETED' ? { status: 'COMPLETED', tookSeconds: took } : { status: end.status },
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const execution = await getExecution(this.table, executionId);
      const claim = execution && claimOf(execution, index);
      // Recorded by an earlier attempt: the same end, nothing more to do.
      if (claim?.status === end.status) return;
      throw new RecordsInconsistent(
        `wave ${index + 1} ${end.status} but execution ${executionId} could not record it (status ${execution?.status}, wave's claim ${claim?.status ?? 'absent'})`,
        { cause: error },
      );
    }
  }

  /**
   * A waiting wave that ends without a launch: FAILED (a pre-wave action failed) or NOT_STARTED (it
   * can never start). Its claim entry is written first, so the wave can never be claimed afterwards.
   * Safe to repeat; refused (RecordsInconsistent) if the wave was claimed or ended otherwise.
   */
  async endUnlaunched(executionId: string, index: number, status: 'FAILED' | 'NOT_STARTED'): Promise<void> {
    try {
      await endUnlaunchedOnExecution(this.table, executionId, index, status);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const execution = await getExecution(this.table, executionId);
      const claim = execution && claimOf(execution, index);
      if (claim?.status !== status) {
        throw new RecordsInconsistent(
          `wave ${index + 1} cannot be recorded ${status} without a launch: its claim on execution ${executionId} is ${claim?.status ?? 'absent'}`,
          { cause: error },
        );
      }
    }
  }

  /**
   * A ready wave without room is WAITING_FOR_CAPACITY (`waiting`), or waits no longer for room (an
   * admission round admitted it). A refused write is normal: the wave was claimed, ended or already
   * so marked by another round, or the execution ended; the mark is never forced.
   */
  async markWaiting(executionId: string, index: number, waiting: boolean): Promise<void> {
    try {
      if (waiting) await markWaitingOnExecution(this.table, executionId, index);
      else await unmarkWaitingOnExecution(this.table, executionId, index);
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * The execution's waves as admission sees them (`wave-admission.ts`), in plan order, from one
   * strongly consistent read of the execution item and the (cached) wave specs.
   */
  async admissionWaves(executionId: string): Promise<AdmissionWave[]> {
    return (await this.admissionView(executionId)).waves;
  }

  /** `admissionWaves` with the limit DRS's quota refusals taught the execution, from the same read. */
  async admissionView(executionId: string): Promise<{ waves: AdmissionWave[]; learned: LearnedLimits }> {
    const execution = await getExecution(this.table, executionId);
    if (!execution) throw new RecordsInconsistent(`execution ${executionId} is not recorded`);
    const specs = await Promise.all(
      Array.from({ length: execution.waveCount }, (_, index) => this.specs.get(executionId, index)),
    );
    const waves = specs.map((spec, index) => admissionWave(execution, spec, index));
    return { waves, learned: execution.drsJobsLimit === undefined ? {} : { drsJobsLimit: execution.drsJobsLimit } };
  }

  /** DRS refused a start for a quota with `jobs` running in the account: the execution admits no more at once. */
  async learnDrsJobsLimit(executionId: string, jobs: number): Promise<void> {
    await learnDrsJobsLimitOnExecution(this.table, executionId, jobs);
  }
}

function admissionWave(execution: ExecutionRecord, spec: WaveSpec, index: number): AdmissionWave {
  const claim = claimOf(execution, index);
  const state: AdmissionWave['state'] =
    !claim || claim.status === 'WAITING_FOR_CAPACITY'
      ? 'WAITING'
      : claim.status === 'LAUNCHING'
        ? 'ADMITTED'
        : claim.status === 'COMPLETED'
          ? 'COMPLETED'
          : claim.status === 'NOT_STARTED'
            ? 'SKIPPED'
            : 'FAILED';
  return {
    index,
    servers: spec.sourceServerIDs.length,
    dependsOn: dependenciesOfSpec(spec, index),
    state,
    ...(claim?.jobId ? { jobId: claim.jobId } : {}),
    ...(claim?.status === 'WAITING_FOR_CAPACITY' ? { waitingForCapacity: true } : {}),
  };
}
