import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { PlanAlreadyRunning } from '../errors';
import { isLive, type PlanWave } from '../types';
import type { ExecutionRecord } from './execution-records';
import { EXECUTIONS_TABLE_KEYS, planLockKey } from './keys';
import { getItem, isConditionFailure, parseRecord, type RecordsTable } from './table';

/** The per-plan lock: one live execution per plan. */
export interface PlanLock {
  planId: string;
  holder: string;
  acquiredAt: string;
  /** After this the holder is presumed lost and the lock may be reclaimed (see acquirePlanLock). */
  expiresAt: string;
}

export const planLockSchema: z.ZodType<PlanLock> = z.object({
  planId: z.string(),
  holder: z.string(),
  acquiredAt: z.string(),
  expiresAt: z.string(),
});

/** How long past the sum of its wave deadlines a lock holder is presumed lost (retries, waits, a margin). */
const LOCK_MARGIN_MS = 2 * 3600_000;

/**
 * When an execution's locks (its plan's, its servers') expire: start + 1.5 × the sum of the wave
 * timeouts + 2 hours. Past that its holder is presumed lost and the locks may be reclaimed.
 */
export function lockExpiresAt(plan: { waves: Pick<PlanWave, 'timeoutMinutes'>[] }, start: Date): Date {
  const longestRunMs = plan.waves.reduce((sum, wave) => sum + wave.timeoutMinutes * 60_000, 0);
  return new Date(start.getTime() + longestRunMs * 1.5 + LOCK_MARGIN_MS);
}

/** What taking a lock over needs to know of, and do to, its current holder. */
export interface LockHolders {
  get(executionId: string): Promise<ExecutionRecord | undefined>;
  /** Ends a presumed-lost holder FAILED with this error and cause, so it can claim no further wave. */
  endLost(args: { executionId: string; error: string; cause: string; endedAt: Date }): Promise<unknown>;
}

export async function getPlanLock(table: RecordsTable, planId: string): Promise<PlanLock | undefined> {
  const item = await getItem(table, planLockKey(planId));
  return item ? parseRecord(planLockSchema, item, `the lock of plan ${planId}`) : undefined;
}

/**
 * The plan's live execution: the holder of its lock, if that holder's record is live. One read of
 * the lock and one of its holder, however long the plan's history (an execution started but not
 * yet recorded by its first task holds the lock but is not returned: it has no record yet).
 */
export async function liveHolderOf(
  table: RecordsTable,
  holders: Pick<LockHolders, 'get'>,
  planId: string,
): Promise<ExecutionRecord | undefined> {
  const lock = await getPlanLock(table, planId);
  if (!lock) return undefined;
  const holder = await holders.get(lock.holder);
  return holder && isLive(holder.status) ? holder : undefined;
}

/**
 * Takes the plan's lock for an execution: one live execution per plan. Safe to repeat for the
 * same execution. A lock is reclaimed, never broken:
 * - when its holder's record has ended (the holder ended without releasing it), or was never
 *   written and the lock is older than a minute (the holder failed before recording itself);
 * - when it has expired (the holder outlived every wave deadline by a wide margin, so its
 *   workflow is presumed lost): the holder's record is first ended FAILED (LockExpired), which
 *   also refuses any further wave claim of the old execution, then the lock is taken.
 * Otherwise PlanAlreadyRunning names the running execution.
 */
export async function acquirePlanLock(
  table: RecordsTable,
  holders: LockHolders,
  args: { planId: string; executionId: string; now: Date; expiresAt: Date },
): Promise<void> {
  const lock: PlanLock = {
    planId: args.planId,
    holder: args.executionId,
    acquiredAt: args.now.toISOString(),
    expiresAt: args.expiresAt.toISOString(),
  };
  const take = (condition: string, values: Record<string, unknown>) =>
    table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...planLockKey(args.planId), ...lock },
        ConditionExpression: condition,
        ExpressionAttributeValues: values,
      }),
    );
  try {
    await take(`attribute_not_exists(${EXECUTIONS_TABLE_KEYS.partitionKey}) OR holder = :me`, {
      ':me': args.executionId,
    });
    return;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const current = await getPlanLock(table, args.planId);
  if (!current) return acquirePlanLock(table, holders, args);
  const holder = await holders.get(current.holder);
  const live = isLive(holder?.status);
  const expired = args.now.getTime() > new Date(current.expiresAt).getTime();
  const orphaned = !holder && args.now.getTime() - new Date(current.acquiredAt).getTime() > 60_000;
  if (live && expired) {
    await holders.endLost({
      executionId: current.holder,
      error: 'LockExpired',
      cause: `execution ${current.holder} held the lock of plan ${args.planId} past ${current.expiresAt} and was presumed lost; execution ${args.executionId} took the plan over`,
      endedAt: args.now,
    });
  } else if (live || (!holder && !orphaned)) {
    throw new PlanAlreadyRunning(
      `plan ${args.planId} is already running in execution ${current.holder} (since ${current.acquiredAt}${holder ? `, ${holder.status}` : ''}): wait for it to end or stop it; nothing was launched`,
    );
  }
  try {
    await take('holder = :previous', { ':previous': current.holder });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // Someone else reclaimed it first: start over, and let the rules above decide.
    return acquirePlanLock(table, holders, args);
  }
}

/** Gives the plan's lock back, if this execution holds it. */
export async function releasePlanLock(table: RecordsTable, planId: string, executionId: string): Promise<void> {
  try {
    await table.db.send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: planLockKey(planId),
        ConditionExpression: 'holder = :me',
        ExpressionAttributeValues: { ':me': executionId },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}
