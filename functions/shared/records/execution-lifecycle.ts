/**
 * The steps of an execution's life that span several items, in their safe order: recording a new
 * execution with its waves, and ending it (COMPLETED only when the records agree; FAILED, TIMED_OUT
 * or CANCELLED ending every launching wave). Every ending gives back the execution's locks through
 * `releaseLocks`, which the store supplies (plan lock and server locks).
 */
import { drillCleanupAfterMinutesOf } from '../cleanup-plan-rules';
import { RecordsInconsistent } from '../errors';
import type { ExecutionResult, ExecutionType, Plan, ServerDataAge } from '../types';
import { closeGates } from './approval-request';
import { initialCleanup } from './cleanup-records';
import { completionProblems } from './completion-audit';
import {
  type ExecutionRecord,
  endCompleted,
  endUnsuccessful,
  getExecution,
  loadExecution,
  putExecution,
} from './execution-records';
import { releasePlanLock } from './plan-lock';
import { toResult } from './result';
import { ignoringRepeat, isConditionFailure, type RecordsTable } from './table';
import { initialClaimFields, verdictOnExecution } from './wave-claims';
import { endWaveItem, newWaveRecords, putWaves, type WaveRecord } from './wave-records';

/** A DRILL records its cleanup as it starts (`cleanup-records.ts`). */
function cleanupOf(executionType: ExecutionType, afterMinutes: number): Pick<ExecutionRecord, 'cleanup'> {
  const cleanup = initialCleanup(executionType, afterMinutes);
  return cleanup ? { cleanup } : {};
}

/** Gives back an ended execution's locks (its plan's and its servers'). */
export type ReleaseLocks = (execution: ExecutionRecord, waves: WaveRecord[], at: Date) => Promise<void>;

/**
 * Records a new execution (PENDING) and its waves (NOT_STARTED), each wave with the preflight's
 * data ages and warnings for its servers. Safe to repeat for the same execution.
 */
export async function createExecution(
  table: RecordsTable,
  args: {
    executionId: string;
    executionArn?: string;
    plan: Plan;
    executionType: ExecutionType;
    startedAt: Date;
    startedBy?: string;
    /** Index-aligned with the plan's waves. */
    preflight?: readonly { dataAges: ServerDataAge[]; warnings: string[] }[];
  },
): Promise<void> {
  const { executionId, plan, executionType } = args;
  const record: ExecutionRecord = {
    executionId,
    ...(args.executionArn ? { executionArn: args.executionArn } : {}),
    planId: plan.planId,
    planName: plan.name,
    executionType,
    status: 'PENDING',
    waveCount: plan.waves.length,
    completedWaves: 0,
    ...initialClaimFields(plan),
    pollIntervalSeconds: plan.pollIntervalSeconds,
    ...(plan.rtoMinutes !== undefined ? { rtoMinutes: plan.rtoMinutes } : {}),
    ...(plan.rpoMinutes !== undefined ? { rpoMinutes: plan.rpoMinutes } : {}),
    ...(args.startedBy ? { startedBy: args.startedBy } : {}),
    startedAt: args.startedAt.toISOString(),
    ...cleanupOf(executionType, drillCleanupAfterMinutesOf(plan)),
  };
  try {
    await putExecution(table, record);
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // A retried task finds its own record: carry on. Anything else is a name collision.
    const existing = await getExecution(table, executionId);
    if (
      !existing ||
      existing.planId !== plan.planId ||
      existing.status !== 'PENDING' ||
      existing.completedWaves !== 0
    ) {
      throw new RecordsInconsistent(`execution ${executionId} is already recorded for plan ${existing?.planId}`, {
        cause: error,
      });
    }
  }
  const waves = newWaveRecords(executionId, plan, args.preflight);
  await putWaves(table, executionId, waves);
}

/**
 * Ends the execution as COMPLETED, after checking the records agree: every wave COMPLETED and
 * every requested server LAUNCHED. If they do not, it refuses (RecordsInconsistent) rather
 * than report a recovery that did not happen.
 */
export async function completeExecution(
  table: RecordsTable,
  executionId: string,
  endedAt: Date,
  releaseLocks: ReleaseLocks,
): Promise<ExecutionResult> {
  const loaded = await loadExecution(table, executionId);
  if (!loaded) throw new RecordsInconsistent(`execution ${executionId} is not recorded`);
  const { execution, waves } = loaded;
  if (execution.status === 'COMPLETED') {
    // A retried task whose first attempt wrote the end: the same end, nothing more to do.
    await releaseLocks(execution, waves, endedAt);
    return toResult(execution, waves);
  }
  const problems = completionProblems(execution, waves);
  if (problems.length > 0) {
    throw new RecordsInconsistent(`refusing to record execution ${executionId} as COMPLETED: ${problems.join('; ')}`);
  }
  await endCompleted(table, executionId, endedAt);
  await releaseLocks(execution, waves, endedAt);
  return toResult({ ...execution, status: 'COMPLETED', endedAt: endedAt.toISOString() }, waves);
}

/**
 * Ends the execution as FAILED or TIMED_OUT with its error and cause, and ends any wave still
 * LAUNCHING as FAILED (an execution that stopped never leaves a wave shown as launching).
 * Creates the record when the execution failed before it was recorded (an invalid plan).
 */
export async function failExecution(
  table: RecordsTable,
  args: {
    executionId: string;
    executionArn?: string;
    status: 'FAILED' | 'TIMED_OUT' | 'CANCELLED';
    error: string;
    cause: string;
    endedAt: Date;
    planId?: string;
    executionType?: string;
    /**
     * The error of an ending this one may replace: the API's cancel says why an execution stopped more
     * exactly than execution-events' ExecutionAborted (STOPPED_EXECUTION_ERROR), which may be recorded first.
     */
    refines?: string;
  },
  releaseLocks: ReleaseLocks,
): Promise<ExecutionResult> {
  const endedAt = args.endedAt.toISOString();
  let loaded = await loadExecution(table, args.executionId);
  if (!loaded) {
    const record: ExecutionRecord = {
      executionId: args.executionId,
      ...(args.executionArn ? { executionArn: args.executionArn } : {}),
      planId: args.planId ?? 'unknown',
      executionType: args.executionType ?? 'unknown',
      status: args.status,
      waveCount: 0,
      completedWaves: 0,
      startedAt: endedAt,
      endedAt,
      error: args.error,
      cause: args.cause,
    };
    await putExecution(table, record);
    if (args.planId) await releasePlanLock(table, args.planId, args.executionId);
    return toResult(record, []);
  }
  for (const wave of loaded.waves.filter((w) => w.status === 'LAUNCHING')) {
    try {
      await endWaveItem(table, args.executionId, wave.index, {
        status: 'FAILED',
        failedServers: [],
        reason: `the execution stopped while the wave was launching: ${args.error}: ${args.cause}`,
        endedAt: args.endedAt,
      });
    } catch (error) {
      // The wave reached its own end meanwhile: that end is the truer one (and records its own claim's end).
      if (!(error instanceof RecordsInconsistent)) throw error;
      continue;
    }
    // Its claim ends too, so the execution item never shows a wave launching after the end.
    await ignoringRepeat(verdictOnExecution(table, args.executionId, wave.index, { status: 'FAILED' }));
  }
  // Already ended (a retried task): keep the first ending, which is the true one.
  await ignoringRepeat(endUnsuccessful(table, args, endedAt));
  loaded = await loadExecution(table, args.executionId);
  if (!loaded) throw new RecordsInconsistent(`execution ${args.executionId} disappeared`);
  // A gate left open by the ending closes: its wave and every later one stay NOT_STARTED.
  if (loaded.waves.some((w) => w.approval && !w.approval.decision)) {
    await closeGates(table, args.executionId, loaded.waves, { error: args.error, endedAt: args.endedAt });
    loaded = (await loadExecution(table, args.executionId)) ?? loaded;
  }
  // Every end releases the plan and the servers: a failed, timed-out or stopped execution never leaves them locked.
  await releaseLocks(loaded.execution, loaded.waves, args.endedAt);
  return toResult(loaded.execution, loaded.waves);
}

/** What execution-events records for an execution Step Functions stopped (ABORTED), when nothing said why first. */
export const STOPPED_EXECUTION_ERROR = 'ExecutionAborted';
