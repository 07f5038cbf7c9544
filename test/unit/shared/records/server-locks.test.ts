import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PlanNotReady } from '../../../../functions/shared/errors';
import type { ExecutionStore } from '../../../../functions/shared/execution-store';
import { executionKey, serverLockKey } from '../../../../functions/shared/records/keys';
import { expired, type ServerLock, serversHeldElsewhere } from '../../../../functions/shared/records/server-locks';
import type { Plan } from '../../../../functions/shared/types';
import { launched, serverId, startStore } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:10:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');
/** Past every lock taken at T0 (1.5 × 60 minutes + 2 hours). */
const EXPIRED = new Date('2026-01-01T04:00:00Z');

/** A one-wave plan of the given servers. */
const planOf = (planId: string, servers: number[]): Plan => ({
  planId,
  name: planId,
  pollIntervalSeconds: 30,
  waves: [{ name: 'Only', sourceServerIDs: servers.map(serverId), timeoutMinutes: 60 }],
});

describe('server locks (through ExecutionStore, on dynalite)', () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let store: ExecutionStore;

  beforeAll(async () => {
    local = await startStore();
    store = local.store;
  });
  afterAll(async () => local.stop());

  /** What the first task does: record the execution, then claim its servers. */
  const start = async (executionId: string, plan: Plan, at = T0) => {
    await store.createExecution({ executionId, plan, executionType: 'DRILL', startedAt: at });
    await store.claimServers({ executionId, plan, now: at });
  };
  const holderOf = async (n: number) => (await store.getServerLock(serverId(n)))?.holder;
  /** Changes an execution item behind the store's back (a crash between two writes). */
  const update = (executionId: string, UpdateExpression: string, values?: Record<string, unknown>) =>
    local.db.send(
      new UpdateCommand({
        TableName: 'executions',
        Key: executionKey(executionId),
        UpdateExpression,
        ...(values ? { ExpressionAttributeValues: values, ExpressionAttributeNames: { '#status': 'status' } } : {}),
      }),
    );

  it('claims every server of the execution and marks its record, and the same execution may claim again', async () => {
    const plan = planOf('claim-a', [1, 2, 3]);
    await start('claim-a-1', plan);
    await expect(store.claimServers({ executionId: 'claim-a-1', plan, now: T0 })).resolves.toBeUndefined();

    expect(await Promise.all([1, 2, 3].map(holderOf))).toEqual(['claim-a-1', 'claim-a-1', 'claim-a-1']);
    expect((await store.getExecution('claim-a-1'))?.serversClaimedAt).toBe(T0.toISOString());
  });

  it('refuses a server another live execution holds with PlanNotReady naming both, and gives back what it took', async () => {
    await start('share-1', planOf('share-a', [10, 11]));
    const other = planOf('share-b', [12, 13, 11]);
    await store.createExecution({ executionId: 'share-2', plan: other, executionType: 'DRILL', startedAt: T1 });

    const claim = store.claimServers({ executionId: 'share-2', plan: other, now: T1 });

    await expect(claim).rejects.toThrow(PlanNotReady);
    await expect(claim).rejects.toThrow(
      `wave 1 'Only': ${serverId(11)} is in execution share-1 of plan share-a (PENDING), another live execution`,
    );
    expect(await Promise.all([10, 11, 12, 13].map(holderOf))).toEqual(['share-1', 'share-1', undefined, undefined]);
  });

  it('tells the preflight which servers other live executions hold, not its own nor ended ones', async () => {
    await start('held-1', planOf('held-a', [20, 21]));
    await start('held-2', planOf('held-b', [22]));
    await store.failExecution({ executionId: 'held-2', status: 'FAILED', error: 'X', cause: 'y', endedAt: T1 });
    await store.createExecution({
      executionId: 'held-3',
      plan: planOf('held-c', [23]),
      executionType: 'DRILL',
      startedAt: T0,
    });
    await store.claimServers({ executionId: 'held-3', plan: planOf('held-c', [23]), now: T0 });

    const held = await store.serversHeldElsewhere({
      sourceServerIDs: [20, 21, 22, 23, 24].map(serverId),
      executionId: 'held-3',
      now: T1,
    });

    expect([...held].map(([id, holder]) => [id, holder.executionId]).sort()).toEqual([
      [serverId(20), 'held-1'],
      [serverId(21), 'held-1'],
    ]);
    const later = await store.serversHeldElsewhere({ sourceServerIDs: [serverId(20)], executionId: 'x', now: EXPIRED });
    expect(later.size).toBe(0);
  });

  it('is given back by every ending, once, and never takes another execution’s lock', async () => {
    await start('end-1', planOf('end-a', [30, 31]));
    await store.failExecution({ executionId: 'end-1', status: 'CANCELLED', error: 'X', cause: 'y', endedAt: T1 });
    expect(await Promise.all([30, 31].map(holderOf))).toEqual([undefined, undefined]);
    expect((await store.getExecution('end-1'))?.serverLocksReleasedAt).toBe(T1.toISOString());

    const oneWave = planOf('end-b', [30, 31]);
    await start('end-2', oneWave);
    await store.claimWave('end-2', 0, T0, DEADLINE);
    await store.completeWave('end-2', 0, launched(serverId(30), serverId(31)), T1);
    await store.completeExecution('end-2', T1);
    expect(await Promise.all([30, 31].map(holderOf))).toEqual([undefined, undefined]);

    await start('end-3', planOf('end-c', [30]));
    const send = jest.spyOn(local.db, 'send');
    // A repeated ending of end-1 (execution-events after the workflow's own) deletes nothing, end-3's lock least of all.
    await store.failExecution({ executionId: 'end-1', status: 'FAILED', error: 'X', cause: 'again', endedAt: T1 });
    const deleted = send.mock.calls
      .map(([command]) => command.input as { Key?: { pk?: string } })
      .filter((input) => input.Key?.pk?.startsWith('SERVER#'));
    expect(deleted).toEqual([]);
    send.mockRestore();
    expect(await holderOf(30)).toBe('end-3');
  });

  it('takes over a lock whose holder has ended, or expired (ending the presumed-lost holder first)', async () => {
    await start('over-1', planOf('over-a', [40]));
    // over-1 ended without giving its lock back (a crash between the two writes):
    await update('over-1', 'SET #status = :failed', { ':failed': 'FAILED' });
    await start('over-2', planOf('over-b', [40, 41]));
    expect(await holderOf(40)).toBe('over-2');

    await start('over-3', planOf('over-c', [41, 42]), EXPIRED);
    expect(await holderOf(41)).toBe('over-3');
    expect(await store.getExecution('over-2')).toMatchObject({ status: 'FAILED', error: 'LockExpired' });
  });

  it('lets exactly one of two executions sharing a server run when both claim at once', async () => {
    for (let round = 0; round < 8; round++) {
      const shared = 100 + round * 10;
      const a = planOf(`race-a-${round}`, [shared + 1, shared, shared + 2]);
      const b = planOf(`race-b-${round}`, [shared + 3, shared + 4, shared]);
      await store.createExecution({ executionId: `race-a-${round}`, plan: a, executionType: 'DRILL', startedAt: T0 });
      await store.createExecution({ executionId: `race-b-${round}`, plan: b, executionType: 'DRILL', startedAt: T0 });

      const outcomes = await Promise.allSettled([
        store.claimServers({ executionId: `race-a-${round}`, plan: a, now: T0 }),
        store.claimServers({ executionId: `race-b-${round}`, plan: b, now: T0 }),
      ]);

      const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i === 0 ? 'a' : 'b'] : []));
      expect({ round, won: won.length }).toEqual({ round, won: 1 });
      const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(PlanNotReady);
      const winner = `race-${won[0]}-${round}`;
      const loserServers = won[0] === 'a' ? [shared + 3, shared + 4] : [shared + 1, shared + 2];
      expect(await holderOf(shared)).toBe(winner);
      expect(await Promise.all(loserServers.map(holderOf))).toEqual([undefined, undefined]);
    }
  });

  it('ends a younger execution still claiming when an older one needs its server, and the younger then fails', async () => {
    const older = planOf('age-old', [60, 61]);
    const younger = planOf('age-young', [61, 62]);
    await store.createExecution({ executionId: 'age-2', plan: younger, executionType: 'DRILL', startedAt: T1 });
    await store.createExecution({ executionId: 'age-1', plan: older, executionType: 'DRILL', startedAt: T0 });
    // The younger has taken server 61 but not yet finished claiming (no serversClaimedAt):
    await store.claimServers({ executionId: 'age-2', plan: planOf('age-young', [61]), now: T1 });
    await update('age-2', 'REMOVE serversClaimedAt');

    await store.claimServers({ executionId: 'age-1', plan: older, now: T1 });

    expect(await holderOf(61)).toBe('age-1');
    expect(await store.getExecution('age-2')).toMatchObject({ status: 'FAILED', error: 'PlanNotReady' });
    await expect(store.claimServers({ executionId: 'age-2', plan: younger, now: T1 })).rejects.toThrow(PlanNotReady);
    expect(await holderOf(62)).toBeUndefined();
  });

  it('does not end a younger execution that has finished claiming: the older one is refused', async () => {
    await start('done-2', planOf('done-young', [70]), T1);
    await store.createExecution({
      executionId: 'done-1',
      plan: planOf('done-old', [70]),
      executionType: 'DRILL',
      startedAt: T0,
    });

    await expect(
      store.claimServers({ executionId: 'done-1', plan: planOf('done-old', [70]), now: T1 }),
    ).rejects.toThrow(`${serverId(70)} is in execution done-2`);
    expect(await store.getExecution('done-2')).toMatchObject({ status: 'PENDING' });
  });
  it('tells the preflight of every held server past the 100 keys one BatchGetItem reads, each asked for once', async () => {
    const servers = Array.from({ length: 130 }, (_, i) => 1000 + i);
    const plan: Plan = {
      ...planOf('many', []),
      waves: [
        { name: 'First', sourceServerIDs: servers.slice(0, 65).map(serverId), timeoutMinutes: 60 },
        { name: 'Second', sourceServerIDs: servers.slice(65).map(serverId), timeoutMinutes: 60 },
      ],
    };
    await start('many-1', plan);

    // Asked for each server twice (a server in two of the asker's waves): DynamoDB refuses duplicate keys.
    const asked = [...servers, ...servers].map(serverId);
    const send = jest.spyOn(local.db, 'send');
    const held = await store.serversHeldElsewhere({ sourceServerIDs: asked, executionId: 'other', now: T1 });
    // (dynalite reads duplicate keys; DynamoDB refuses them: counted here.)
    const read = send.mock.calls.flatMap(([command]) => {
      const requested = (command.input as { RequestItems?: Record<string, { Keys: { pk: string }[] }> }).RequestItems;
      return Object.values(requested ?? {}).flatMap((r) => r.Keys.map((key) => key.pk));
    });
    send.mockRestore();
    expect(read).toHaveLength(servers.length);
    expect(new Set(read).size).toBe(servers.length);

    expect([...held.keys()].sort()).toEqual(servers.map(serverId));
    expect(new Set([...held.values()].map((holder) => holder.executionId))).toEqual(new Set(['many-1']));
  });

  it('does not count a lock left behind by an ended holder, or by one never recorded, as held', async () => {
    await start('left-1', planOf('left-a', [90]));
    await store.failExecution({ executionId: 'left-1', status: 'FAILED', error: 'X', cause: 'y', endedAt: T1 });
    // The ending gave the lock back; put it back as a crash between the ending and the release would leave it.
    const leave = (n: number, holder: string) =>
      local.db.send(
        new PutCommand({
          TableName: 'executions',
          Item: { ...serverLockKey(serverId(n)), ...lockAt(DEADLINE), sourceServerID: serverId(n), holder },
        }),
      );
    await leave(90, 'left-1');
    await leave(91, 'never-recorded');

    const held = await store.serversHeldElsewhere({
      sourceServerIDs: [90, 91].map(serverId),
      executionId: 'x',
      now: T1,
    });
    expect(held.size).toBe(0);
  });

  it('counts a lock held up to its expiry instant, and reclaimable only after it', async () => {
    await start('expiry-1', planOf('expiry-a', [80]));
    const expiresAt = new Date((await store.getServerLock(serverId(80)))?.expiresAt ?? '');
    // 1.5 × the 60-minute wave + 2 hours after T0.
    expect(expiresAt.toISOString()).toBe('2026-01-01T03:30:00.000Z');
    const heldAt = async (now: Date) =>
      (await store.serversHeldElsewhere({ sourceServerIDs: [serverId(80)], executionId: 'x', now })).size;

    expect(await heldAt(expiresAt)).toBe(1);
    expect(await heldAt(new Date(expiresAt.getTime() + 1))).toBe(0);
    expect(expired({ ...lockAt(expiresAt) }, expiresAt)).toBe(false);
    expect(expired({ ...lockAt(expiresAt) }, new Date(expiresAt.getTime() + 1))).toBe(true);
  });

  it('reads again the keys DynamoDB left unprocessed, until none is left', async () => {
    const lock = { ...lockAt(EXPIRED), holder: 'held-elsewhere' };
    const items = [serverId(1), serverId(2)].map((sourceServerID) => ({ ...lock, sourceServerID }));
    const calls: number[] = [];
    const db = {
      send: async (command: { input: { RequestItems: Record<string, { Keys: unknown[] }> } }) => {
        const keys = command.input.RequestItems.t?.Keys ?? [];
        calls.push(keys.length);
        // First answer: one item, the other key unprocessed (throttled); then the rest.
        return calls.length === 1
          ? { Responses: { t: [items[0]] }, UnprocessedKeys: { t: { Keys: keys.slice(1) } } }
          : { Responses: { t: items.slice(1) } };
      },
    };
    const live = { get: async () => ({ executionId: 'held-elsewhere', status: 'POLLING' }) as never };

    const held = await serversHeldElsewhere({ db: db as never, tableName: 't' }, live, {
      sourceServerIDs: [serverId(1), serverId(2)],
      executionId: 'me',
      now: T0,
    });

    expect(calls).toEqual([2, 1]);
    expect([...held.keys()]).toEqual([serverId(1), serverId(2)]);
  });
});

/** A lock as the records write it, expiring at `expiresAt`. */
const lockAt = (expiresAt: Date): ServerLock => ({
  sourceServerID: serverId(1),
  holder: 'h',
  planId: 'p',
  acquiredAt: T0.toISOString(),
  expiresAt: expiresAt.toISOString(),
});
