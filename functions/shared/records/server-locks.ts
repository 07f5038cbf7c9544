import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { PlanNotReady } from '../errors';
import { isLive } from '../types';
import type { ExecutionRecord } from './execution-records';
import { EXECUTIONS_TABLE_KEYS, executionKey, serverLockKey } from './keys';
import type { LockHolders } from './plan-lock';
import { isConditionFailure, LIVE_CONDITION, parseRecord, type RecordsTable } from './table';

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

/** Lock writes in flight at once: fast for thousands of servers, gentle on the table's partitions. */
const CONCURRENCY = 32;
/** BatchGetItem reads at most 100 keys. */
const KEYS_PER_BATCH_GET = 100;

/** How a server in another live execution is named, in the preflight and in a refused claim alike. */
export const inAnotherExecution = (where: string, sourceServerID: string, holder: ExecutionRecord) =>
  `${where}: ${sourceServerID} is in execution ${holder.executionId} of plan ${holder.planId} (${holder.status}), another live execution: wait for it to end or cancel it`;

export async function getServerLock(table: RecordsTable, sourceServerID: string): Promise<ServerLock | undefined> {
  const out = await table.db.send(
    new GetCommand({ TableName: table.tableName, Key: serverLockKey(sourceServerID), ConsistentRead: true }),
  );
  return out.Item ? parseRecord(serverLockSchema, out.Item, `the lock of server ${sourceServerID}`) : undefined;
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

/**
 * Claims every server for a recorded execution, then marks the record `serversClaimedAt`. Safe to
 * repeat for the same execution. On a conflict it gives back what it took and throws PlanNotReady
 * naming the server and the execution that holds it.
 */
export async function claimServers(
  table: RecordsTable,
  holders: LockHolders,
  args: {
    execution: ExecutionRecord;
    sourceServerIDs: readonly string[];
    where: (sourceServerID: string) => string;
    now: Date;
    expiresAt: Date;
  },
): Promise<void> {
  const me = args.execution;
  const records = holderCache(table, holders);
  const taken: string[] = [];
  let refused: string | undefined;
  await eachLimited([...new Set(args.sourceServerIDs)].sort(), async (id) => {
    if (refused) return;
    const outcome = await claimServer(table, records, { ...args, sourceServerID: id });
    if (outcome === 'taken') taken.push(id);
    else refused ??= outcome.refused;
  });
  if (!refused) {
    try {
      await markServersClaimed(table, me.executionId, args.now);
      return;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // An older execution ended this one while it claimed (or it ended otherwise): it may not run.
      const now = await holders.get(me.executionId);
      refused = `execution ${me.executionId} ended ${now?.status ?? 'unrecorded'} while it claimed its servers${now?.cause ? `: ${now.cause}` : ''}`;
    }
  }
  await releaseServers(table, me.executionId, taken);
  throw new PlanNotReady([`${refused}; nothing was launched`]);
}

type ClaimOutcome = 'taken' | { refused: string };

async function claimServer(
  table: RecordsTable,
  records: ReturnType<typeof holderCache>,
  args: {
    execution: ExecutionRecord;
    sourceServerID: string;
    where: (id: string) => string;
    now: Date;
    expiresAt: Date;
  },
): Promise<ClaimOutcome> {
  const me = args.execution;
  const id = args.sourceServerID;
  const lock: ServerLock = {
    sourceServerID: id,
    holder: me.executionId,
    planId: me.planId,
    acquiredAt: args.now.toISOString(),
    expiresAt: args.expiresAt.toISOString(),
  };
  const put = (condition: string, values: Record<string, unknown>) =>
    table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...serverLockKey(id), ...lock },
        ConditionExpression: condition,
        ExpressionAttributeValues: values,
      }),
    );
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await put(`attribute_not_exists(${EXECUTIONS_TABLE_KEYS.partitionKey}) OR holder = :me`, {
        ':me': me.executionId,
      });
      return 'taken';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const current = await getServerLock(table, id);
    if (!current) continue;
    const holder = await records.get(current.holder);
    if (holder && isLive(holder.status)) {
      if (expired(current, args.now)) {
        await records.endLost({
          executionId: holder.executionId,
          error: 'LockExpired',
          cause: `execution ${holder.executionId} held server ${id} past ${current.expiresAt} and was presumed lost; execution ${me.executionId} took the server over`,
          endedAt: args.now,
        });
      } else if (!(olderThan(me, holder) && (await records.endUnclaimed(holder, me, id, args.now)))) {
        return { refused: inAnotherExecution(args.where(id), id, holder) };
      }
    }
    // Its holder has ended, was never recorded, expired or lost the race to an older execution: take it over.
    try {
      await put('holder = :previous', { ':previous': current.holder });
      return 'taken';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Someone else took it over first: look again.
    }
  }
  return { refused: `${args.where(id)}: ${id} is contended by several executions starting at once: try again` };
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

/** The record says every server is claimed: only while it is live (an older execution may have ended it meanwhile). */
const markServersClaimed = (table: RecordsTable, executionId: string, at: Date) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(executionId),
      UpdateExpression: 'SET serversClaimedAt = if_not_exists(serversClaimedAt, :at)',
      ConditionExpression: LIVE_CONDITION.expression,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ...LIVE_CONDITION.values, ':at': at.toISOString() },
    }),
  );

/** The record says its server locks were given back, so a repeated ending does not write them again. */
export const markServersReleased = (table: RecordsTable, executionId: string, at: Date) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(executionId),
      UpdateExpression: 'SET serverLocksReleasedAt = :at',
      ConditionExpression: `attribute_exists(${EXECUTIONS_TABLE_KEYS.partitionKey})`,
      ExpressionAttributeValues: { ':at': at.toISOString() },
    }),
  );

/** Ends a younger execution that has not finished claiming its servers. False if it had (or had ended). */
async function endUnclaimed(
  table: RecordsTable,
  victim: ExecutionRecord,
  winner: ExecutionRecord,
  sourceServerID: string,
  at: Date,
): Promise<boolean> {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: executionKey(victim.executionId),
        UpdateExpression: 'SET #status = :failed, endedAt = :at, #error = :error, cause = :cause',
        ConditionExpression: `#status = :pending AND attribute_not_exists(serversClaimedAt)`,
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: {
          ':failed': 'FAILED',
          ':pending': 'PENDING',
          ':at': at.toISOString(),
          ':error': 'PlanNotReady',
          ':cause': `server ${sourceServerID} is also in execution ${winner.executionId} of plan ${winner.planId}, which started first; both were claiming their servers at once and the older one runs; nothing was launched`,
        },
      }),
    );
    return true;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return false;
  }
}

/** Older: started first, or at the same moment with the smaller ID (a total order, so two claimers never both yield). */
const olderThan = (a: ExecutionRecord, b: ExecutionRecord) =>
  a.startedAt < b.startedAt || (a.startedAt === b.startedAt && a.executionId < b.executionId);

const expired = (lock: ServerLock, now: Date) => now.getTime() > new Date(lock.expiresAt).getTime();

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The holders' records, read once per claim (thousands of locks usually have one or two holders),
 * and each holder ended at most once however many of its locks are met at the same time.
 */
function holderCache(table: RecordsTable, holders: LockHolders) {
  const records = new Map<string, Promise<ExecutionRecord | undefined>>();
  const endings = new Map<string, Promise<boolean>>();
  const once = (executionId: string, end: () => Promise<boolean>) => {
    let ending = endings.get(executionId);
    if (!ending) {
      ending = end().finally(() => records.delete(executionId));
      endings.set(executionId, ending);
    }
    return ending;
  };
  return {
    get(executionId: string) {
      let record = records.get(executionId);
      if (!record) {
        record = holders.get(executionId);
        records.set(executionId, record);
      }
      return record;
    },
    endLost: (args: Parameters<LockHolders['endLost']>[0]) =>
      once(args.executionId, async () => {
        await holders.endLost(args);
        return true;
      }),
    endUnclaimed: (victim: ExecutionRecord, winner: ExecutionRecord, sourceServerID: string, at: Date) =>
      once(victim.executionId, () => endUnclaimed(table, victim, winner, sourceServerID, at)),
  };
}

/** Runs `fn` over the items, at most CONCURRENCY at a time; the first error is thrown once every call has settled. */
async function eachLimited<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  if (failure) throw failure.error;
}
