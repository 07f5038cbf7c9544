import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PlanNotReady, RecordsInconsistent } from '../errors';
import { isLive, type Plan } from '../types';
import { eachLimited } from './bounded';
import type { ExecutionRecord } from './execution-records';
import { EXECUTIONS_TABLE_KEYS, executionKey } from './keys';
import { type LockHolders, lockExpiresAt } from './plan-lock';
import {
  expired,
  getServerLock,
  inAnotherExecution,
  putServerLock,
  releaseServers,
  type ServerLock,
} from './server-locks';
import { isConditionFailure, LIVE_CONDITION, type RecordsTable } from './table';

/**
 * Claims every server of a recorded execution (its first task, right after it recorded itself and
 * before anything is launched), then marks the record `serversClaimedAt`. Safe to repeat for the
 * same execution. On a conflict it gives back what it took and throws PlanNotReady naming the
 * server and the execution that holds it. The protocol: `server-locks.ts`.
 */
export async function claimServers(
  table: RecordsTable,
  holders: LockHolders,
  args: { executionId: string; plan: Plan; now: Date },
): Promise<void> {
  const me = await holders.get(args.executionId);
  if (!me) throw new RecordsInconsistent(`execution ${args.executionId} is not recorded: it cannot claim its servers`);
  const where = new Map(
    args.plan.waves.flatMap((wave, w) =>
      wave.sourceServerIDs.map((id) => [id, `wave ${w + 1} '${wave.name}'`] as const),
    ),
  );
  const claim = {
    me,
    where: (id: string) => where.get(id) ?? 'the plan',
    now: args.now,
    expiresAt: lockExpiresAt(args.plan, new Date(me.startedAt)),
  };
  const records = holderCache(table, holders);
  const taken: string[] = [];
  let refused: string | undefined;
  // Sorted: two claimers meet on their first shared server first.
  await eachLimited([...where.keys()].sort(), async (id) => {
    if (refused) return;
    const outcome = await claimServer(table, records, claim, id);
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
      const ended = await holders.get(me.executionId);
      refused = `execution ${me.executionId} ended ${ended?.status ?? 'unrecorded'} while it claimed its servers${ended?.cause ? `: ${ended.cause}` : ''}`;
    }
  }
  await releaseServers(table, me.executionId, taken);
  throw new PlanNotReady([`${refused}; nothing was launched`]);
}

interface Claim {
  me: ExecutionRecord;
  where: (sourceServerID: string) => string;
  now: Date;
  expiresAt: Date;
}

async function claimServer(
  table: RecordsTable,
  records: ReturnType<typeof holderCache>,
  claim: Claim,
  id: string,
): Promise<'taken' | { refused: string }> {
  const { me } = claim;
  const lock: ServerLock = {
    sourceServerID: id,
    holder: me.executionId,
    planId: me.planId,
    acquiredAt: claim.now.toISOString(),
    expiresAt: claim.expiresAt.toISOString(),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await putServerLock(table, lock, `attribute_not_exists(${EXECUTIONS_TABLE_KEYS.partitionKey}) OR holder = :me`, {
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
      if (expired(current, claim.now)) {
        await records.endLost({
          executionId: holder.executionId,
          error: 'LockExpired',
          cause: `execution ${holder.executionId} held server ${id} past ${current.expiresAt} and was presumed lost; execution ${me.executionId} took the server over`,
          endedAt: claim.now,
        });
      } else if (!(olderThan(me, holder) && (await records.endUnclaimed(holder, me, id, claim.now)))) {
        return { refused: inAnotherExecution(claim.where(id), id, holder) };
      }
    }
    // Its holder has ended, was never recorded, expired or lost the race to an older execution: take it over.
    try {
      await putServerLock(table, lock, 'holder = :previous', { ':previous': current.holder });
      return 'taken';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Someone else took it over first: look again.
    }
  }
  return { refused: `${claim.where(id)}: ${id} is contended by several executions starting at once: try again` };
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
        ConditionExpression: '#status = :pending AND attribute_not_exists(serversClaimedAt)',
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
