import { BatchGetCommand, DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { isLive } from '../types';
import { eachLimited, pause } from './bounded';
import type { ExecutionRecord } from './execution-records';
import { EXECUTIONS_TABLE_KEYS, executionKey, serverLockKey } from './keys';
import type { LockHolders } from './plan-lock';
import { getItem, isConditionFailure, parseRecord, type RecordsTable } from './table';

/**
 * The per-server locks: a DRS source server belongs to at most one live execution, whatever plan
 * it is in (the plan lock alone lets two plans that share a server relaunch it under each other).
 *
 * The protocol, single-item conditional writes only (no transactions, so the same code runs on
 * DynamoDB and on dynalite):
 * - an execution records itself (PENDING, with its waves) first, then claims one lock per server
 *   (`attribute_not_exists(pk) OR holder = :me`), then marks its record `serversClaimedAt`. Every
 *   lock's holder therefore has a record, and a lock whose holder has none is an orphan;
 * - a lock is reclaimed, never broken, as the plan lock is: when its holder has ended or has no
 *   record, or has expired (the holder is then ended FAILED, LockExpired, first);
 * - two executions claiming at once: the older (start time, then ID) ends the younger if the
 *   younger has not finished claiming (a conditional write on the younger's record, which
 *   `serversClaimedAt` races against on the same item, so exactly one of the two wins); otherwise
 *   the claimer gives back every lock it took and fails PlanNotReady naming the server and the
 *   execution that holds it. Nothing has been launched at that point;
 * - every ending gives the locks back (a conditional delete per server: only its holder's, so a
 *   lock taken over meanwhile is never deleted; BatchWriteItem takes no condition).
 */
export interface ServerLock {
  sourceServerID: string;
  holder: string;
  planId: string;
  acquiredAt: string;
  expiresAt: string;
}

export const serverLockSchema: z.ZodType<ServerLock> = z.object({
  sourceServerID: z.string(),
  holder: z.string(),
  planId: z.string(),
  acquiredAt: z.string(),
  expiresAt: z.string(),
});

/** BatchGetItem reads at most 100 keys. */
const KEYS_PER_BATCH_GET = 100;

/** How a server in another live execution is named, in the preflight and in a refused claim alike. */
export const inAnotherExecution = (where: string, sourceServerID: string, holder: ExecutionRecord) =>
  `${where}: ${sourceServerID} is in execution ${holder.executionId} of plan ${holder.planId} (${holder.status}), another live execution: wait for it to end or cancel it`;

export async function getServerLock(table: RecordsTable, sourceServerID: string): Promise<ServerLock | undefined> {
  const item = await getItem(table, serverLockKey(sourceServerID));
  return item ? parseRecord(serverLockSchema, item, `the lock of server ${sourceServerID}`) : undefined;
}

/**
 * The servers among `ids` that another live execution holds (an ended, expired or unrecorded holder
 * does not count: its lock would be reclaimed). Read in batches of 100, for the preflight.
 */
export async function serversHeldElsewhere(
  table: RecordsTable,
  holders: Pick<LockHolders, 'get'>,
  args: { sourceServerIDs: readonly string[]; executionId: string; now: Date },
): Promise<Map<string, ExecutionRecord>> {
  const locks: ServerLock[] = [];
  const ids = [...new Set(args.sourceServerIDs)];
  for (let i = 0; i < ids.length; i += KEYS_PER_BATCH_GET) {
    let keys: Record<string, unknown>[] = ids.slice(i, i + KEYS_PER_BATCH_GET).map(serverLockKey);
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt > 8) throw new Error(`DynamoDB left ${keys.length} server locks unread`);
      if (attempt > 0) await pause(Math.min(1000, 50 * 2 ** attempt));
      const out = await table.db.send(
        new BatchGetCommand({ RequestItems: { [table.tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of out.Responses?.[table.tableName] ?? []) {
        locks.push(parseRecord(serverLockSchema, item, `the lock of server ${String(item.sourceServerID)}`));
      }
      keys = (out.UnprocessedKeys?.[table.tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  const records = new Map<string, Promise<ExecutionRecord | undefined>>();
  const held = new Map<string, ExecutionRecord>();
  for (const lock of locks.filter((l) => l.holder !== args.executionId)) {
    if (!records.has(lock.holder)) records.set(lock.holder, holders.get(lock.holder));
    const holder = await records.get(lock.holder);
    if (holder && isLive(holder.status) && !expired(lock, args.now)) held.set(lock.sourceServerID, holder);
  }
  return held;
}

/** Gives back the servers' locks this execution holds; a lock another execution holds is left as it is. */
export async function releaseServers(
  table: RecordsTable,
  executionId: string,
  sourceServerIDs: readonly string[],
): Promise<void> {
  await eachLimited([...new Set(sourceServerIDs)], async (id) => {
    try {
      await table.db.send(
        new DeleteCommand({
          TableName: table.tableName,
          Key: serverLockKey(id),
          ConditionExpression: 'holder = :me',
          ExpressionAttributeValues: { ':me': executionId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  });
}

/**
 * Gives back an ended execution's server locks, once: the record then says so
 * (`serverLocksReleasedAt`), so a repeated ending (the workflow's, then execution-events') writes
 * nothing more.
 */
export async function releaseServerLocks(
  table: RecordsTable,
  execution: ExecutionRecord,
  waves: readonly { sourceServerIDs: readonly string[] }[],
  at: Date,
): Promise<void> {
  if (execution.serverLocksReleasedAt || waves.length === 0) return;
  await releaseServers(
    table,
    execution.executionId,
    waves.flatMap((wave) => wave.sourceServerIDs),
  );
  await table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(execution.executionId),
      UpdateExpression: 'SET serverLocksReleasedAt = :at',
      ConditionExpression: `attribute_exists(${EXECUTIONS_TABLE_KEYS.partitionKey})`,
      ExpressionAttributeValues: { ':at': at.toISOString() },
    }),
  );
}

/** Past its `expiresAt` a lock's holder is presumed lost. */
export const expired = (lock: ServerLock, now: Date) => now.getTime() > new Date(lock.expiresAt).getTime();

/** Writes a server's lock for an execution, if the condition holds. */
export const putServerLock = (
  table: RecordsTable,
  lock: ServerLock,
  condition: string,
  values: Record<string, unknown>,
) =>
  table.db.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...serverLockKey(lock.sourceServerID), ...lock },
      ConditionExpression: condition,
      ExpressionAttributeValues: values,
    }),
  );
