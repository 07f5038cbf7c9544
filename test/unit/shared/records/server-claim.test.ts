import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PlanNotReady, RecordsInconsistent } from '../../../../functions/shared/errors';
import type { ExecutionStore } from '../../../../functions/shared/execution-store';
import type { ExecutionRecord } from '../../../../functions/shared/records/execution-records';
import { executionKey } from '../../../../functions/shared/records/keys';
import { claimServers } from '../../../../functions/shared/records/server-claim';
import type { Plan } from '../../../../functions/shared/types';
import { serverId, startStore } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:10:00Z');
/** Past every lock taken at T0 (1.5 × 60 minutes + 2 hours). */
const EXPIRED = new Date('2026-01-01T04:00:00Z');

const planOf = (planId: string, servers: number[]): Plan => ({
  planId,
  name: planId,
  pollIntervalSeconds: 30,
  waves: [{ name: 'Only', sourceServerIDs: servers.map(serverId), timeoutMinutes: 60 }],
});

/** A DynamoDB fault that is not an answer (throttling): the claim must surface it, not read it as a refusal. */
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
/** A refused condition, as DynamoDB reports it. */
const refusedCondition = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

interface Sent {
  kind: string;
  input: {
    Key?: { pk?: string };
    Item?: { pk?: string };
    ConditionExpression?: string;
    UpdateExpression?: string;
  };
}

/**
 * The claims of the servers' invariant (one live execution per server): who holds a lock, which of two
 * contenders runs, a lock whose holder has ended, and the conditions' faults. Complements
 * server-locks.test.ts (the protocol's common paths), through the store on dynalite.
 */
describe('server claim (through ExecutionStore, on dynalite)', () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let store: ExecutionStore;

  beforeAll(async () => {
    local = await startStore();
    store = local.store;
  });
  afterAll(async () => local.stop());
  afterEach(() => jest.restoreAllMocks());

  const record = (executionId: string, plan: Plan, at = T0) =>
    store.createExecution({ executionId, plan, executionType: 'DRILL', startedAt: at });
  const start = async (executionId: string, plan: Plan, at = T0) => {
    await record(executionId, plan, at);
    await store.claimServers({ executionId, plan, now: at });
  };
  /** An execution that has taken its servers but not yet marked its record (still claiming). */
  const stillClaiming = async (executionId: string, plan: Plan, at: Date) => {
    await start(executionId, plan, at);
    await update(executionId, 'REMOVE serversClaimedAt');
  };
  const holderOf = async (n: number) => (await store.getServerLock(serverId(n)))?.holder;
  const update = (executionId: string, UpdateExpression: string, values?: Record<string, unknown>) =>
    local.db.send(
      new UpdateCommand({
        TableName: 'executions',
        Key: executionKey(executionId),
        UpdateExpression,
        ...(values ? { ExpressionAttributeValues: values, ExpressionAttributeNames: { '#status': 'status' } } : {}),
      }),
    );
  /**
   * Records every command sent; `fail` may answer one instead of the table (a fault) by returning an error.
   */
  const watch = (fail: (sent: Sent) => Error | undefined = () => undefined) => {
    const original = local.db.send.bind(local.db);
    const sent: Sent[] = [];
    jest.spyOn(local.db, 'send').mockImplementation(((command: { constructor: { name: string }; input: never }) => {
      const s: Sent = { kind: command.constructor.name, input: command.input };
      sent.push(s);
      const error = fail(s);
      return error ? Promise.reject(error) : original(command as never);
    }) as never);
    return sent;
  };
  const isLockPut = (s: Sent, n: number) => s.kind === 'PutCommand' && s.input.Item?.pk === `SERVER#${serverId(n)}`;
  const once = (match: (s: Sent) => boolean, error: () => Error) => {
    let done = false;
    return (s: Sent) => {
      if (done || !match(s)) return undefined;
      done = true;
      return error();
    };
  };

  it('refuses an execution that is not recorded with RecordsInconsistent naming it, and takes no server', async () => {
    const claim = store.claimServers({ executionId: 'ghost-1', plan: planOf('ghost', [200]), now: T0 });
    await expect(claim).rejects.toThrow(RecordsInconsistent);
    await expect(claim).rejects.toThrow('execution ghost-1 is not recorded: it cannot claim its servers');
    expect(await holderOf(200)).toBeUndefined();
  });

  it('refuses an execution ended while it claimed, naming its status and cause, and gives back what it took', async () => {
    const plan = planOf('ended', [210, 211]);
    await record('ended-1', plan);
    await store.failExecution({
      executionId: 'ended-1',
      status: 'CANCELLED',
      error: 'X',
      cause: 'stopped by the operator',
      endedAt: T1,
    });
    const claim = store.claimServers({ executionId: 'ended-1', plan, now: T1 });
    await expect(claim).rejects.toThrow(PlanNotReady);
    await expect(claim).rejects.toThrow(
      'execution ended-1 ended CANCELLED while it claimed its servers: stopped by the operator; nothing was launched',
    );
    expect(await Promise.all([210, 211].map(holderOf))).toEqual([undefined, undefined]);

    // Ended without a cause (written behind the store's back): nothing after the status.
    await record('ended-2', planOf('ended-b', [212]));
    await update('ended-2', 'SET #status = :failed', { ':failed': 'FAILED' });
    await expect(
      store.claimServers({ executionId: 'ended-2', plan: planOf('ended-b', [212]), now: T1 }),
    ).rejects.toThrow(/execution ended-2 ended FAILED while it claimed its servers; nothing was launched$/);
    expect(await holderOf(212)).toBeUndefined();
  });

  it('refuses, and gives back what it took, when its record vanished while it claimed', async () => {
    const plan = planOf('vanished', [215]);
    // Its record is read once (live), then is gone: the mark's condition fails on no item at all.
    const me = {
      executionId: 'vanished-1',
      planId: 'vanished',
      executionType: 'DRILL',
      status: 'PENDING',
      waveCount: 1,
      completedWaves: 0,
      startedAt: T0.toISOString(),
    } as ExecutionRecord;
    let reads = 0;
    const holders = { get: async () => (reads++ === 0 ? me : undefined), endLost: async () => undefined };
    const claim = claimServers({ db: local.db, tableName: 'executions' }, holders, {
      executionId: 'vanished-1',
      plan,
      now: T0,
    });
    await expect(claim).rejects.toThrow(
      /execution vanished-1 ended unrecorded while it claimed its servers; nothing was launched$/,
    );
    expect(await holderOf(215)).toBeUndefined();
  });

  it('surfaces a DynamoDB fault in any of its writes instead of reading it as a refusal', async () => {
    // Taking a free server.
    await record('fault-1', planOf('fault-a', [220]));
    watch(once((s) => isLockPut(s, 220), throttled));
    await expect(
      store.claimServers({ executionId: 'fault-1', plan: planOf('fault-a', [220]), now: T0 }),
    ).rejects.toThrow('Rate exceeded');
    jest.restoreAllMocks();

    // Marking the record claimed.
    await record('fault-2', planOf('fault-b', [221]));
    watch(
      once((s) => s.kind === 'UpdateCommand' && !!s.input.UpdateExpression?.includes('serversClaimedAt'), throttled),
    );
    await expect(
      store.claimServers({ executionId: 'fault-2', plan: planOf('fault-b', [221]), now: T0 }),
    ).rejects.toThrow('Rate exceeded');
    jest.restoreAllMocks();

    // Taking over the lock of an ended holder.
    await start('fault-3', planOf('fault-c', [222]));
    await update('fault-3', 'SET #status = :failed', { ':failed': 'FAILED' });
    await record('fault-4', planOf('fault-d', [222]));
    watch(once((s) => isLockPut(s, 222) && s.input.ConditionExpression === 'holder = :previous', throttled));
    await expect(
      store.claimServers({ executionId: 'fault-4', plan: planOf('fault-d', [222]), now: T0 }),
    ).rejects.toThrow('Rate exceeded');
    jest.restoreAllMocks();

    // Ending a younger execution still claiming.
    await stillClaiming('fault-6', planOf('fault-e', [223]), T1);
    await record('fault-5', planOf('fault-f', [223]), T0);
    watch(
      once(
        (s) =>
          s.kind === 'UpdateCommand' && s.input.Key?.pk === executionKey('fault-6').pk && !!s.input.ConditionExpression,
        throttled,
      ),
    );
    await expect(
      store.claimServers({ executionId: 'fault-5', plan: planOf('fault-f', [223]), now: T1 }),
    ).rejects.toThrow('Rate exceeded');
  });

  it('takes a server whose lock was given back between its refused write and its read', async () => {
    await record('gone-1', planOf('gone', [225]));
    watch(once((s) => isLockPut(s, 225), refusedCondition));
    await store.claimServers({ executionId: 'gone-1', plan: planOf('gone', [225]), now: T0 });
    expect(await holderOf(225)).toBe('gone-1');
  });

  it('gives up on a server contended five times in a row: PlanNotReady says to try again, and nothing is kept', async () => {
    const plan = planOf('contended', [230, 231]);
    await record('cont-1', plan);
    const sent = watch((s) => (isLockPut(s, 230) ? refusedCondition() : undefined));
    const claim = store.claimServers({ executionId: 'cont-1', plan, now: T0 });
    await expect(claim).rejects.toThrow(PlanNotReady);
    await expect(claim).rejects.toThrow(
      `wave 1 'Only': ${serverId(230)} is contended by several executions starting at once: try again`,
    );
    expect(sent.filter((s) => isLockPut(s, 230))).toHaveLength(5);
    jest.restoreAllMocks();
    expect(await Promise.all([230, 231].map(holderOf))).toEqual([undefined, undefined]);
  });

  it('claims the servers in ID order whatever the plan says, so two claimers meet on their first shared one first', async () => {
    const sent = watch();
    await start('order-1', planOf('order', [243, 241, 244, 240, 242]));
    const puts = sent.filter((s) => s.kind === 'PutCommand' && s.input.Item?.pk?.startsWith('SERVER#'));
    expect(puts.map((s) => s.input.Item?.pk)).toEqual([240, 241, 242, 243, 244].map((n) => `SERVER#${serverId(n)}`));
  });

  it('takes no further server once one is refused', async () => {
    // 32 servers are claimed at once: the other execution holds all of them; the 33rd is free.
    const held = Array.from({ length: 32 }, (_, i) => 300 + i);
    await start('stop-1', planOf('stop-a', held), T0);
    await record('stop-2', planOf('stop-b', [...held, 332]), T1);
    const sent = watch();
    await expect(
      store.claimServers({ executionId: 'stop-2', plan: planOf('stop-b', [...held, 332]), now: T1 }),
    ).rejects.toThrow(PlanNotReady);
    expect(sent.filter((s) => isLockPut(s, 332))).toEqual([]);
  });

  it('gives back a server it took over from an ended holder when another server is refused', async () => {
    await start('back-1', planOf('back-a', [250]));
    await update('back-1', 'SET #status = :failed', { ':failed': 'FAILED' });
    await start('back-2', planOf('back-b', [251]));
    await record('back-3', planOf('back-c', [250, 251]), T1);

    await expect(
      store.claimServers({ executionId: 'back-3', plan: planOf('back-c', [250, 251]), now: T1 }),
    ).rejects.toThrow(`${serverId(251)} is in execution back-2`);
    expect(await Promise.all([250, 251].map(holderOf))).toEqual([undefined, 'back-2']);
  });

  it('records why a presumed-lost holder was ended: the server, the lock’s expiry and who took it over', async () => {
    await start('lost-1', planOf('lost-a', [260]));
    await start('lost-2', planOf('lost-b', [260]), EXPIRED);
    expect(await store.getExecution('lost-1')).toMatchObject({
      status: 'FAILED',
      error: 'LockExpired',
      cause: `execution lost-1 held server ${serverId(260)} past 2026-01-01T03:30:00.000Z and was presumed lost; execution lost-2 took the server over`,
    });
  });

  it('reads the record of a holder met on many locks once, and takes every lock it left behind', async () => {
    const servers = [280, 281, 282, 283, 284, 285];
    await start('left-1', planOf('left-a', servers));
    await update('left-1', 'SET #status = :failed', { ':failed': 'FAILED' });
    await record('left-2', planOf('left-b', servers), T1);
    const sent = watch();
    await store.claimServers({ executionId: 'left-2', plan: planOf('left-b', servers), now: T1 });
    const readsOfHolder = sent.filter((s) => s.kind === 'GetCommand' && s.input.Key?.pk === executionKey('left-1').pk);
    expect(readsOfHolder).toHaveLength(1);
    expect(new Set(await Promise.all(servers.map(holderOf)))).toEqual(new Set(['left-2']));
  });

  it('ends a younger claimer met on many servers at once exactly once, saying why, and takes them all', async () => {
    const servers = [270, 271, 272, 273, 274, 275];
    await stillClaiming('young-1', planOf('young', servers), T1);
    await record('old-1', planOf('old', servers), T0);

    await store.claimServers({ executionId: 'old-1', plan: planOf('old', servers), now: T1 });

    expect(new Set(await Promise.all(servers.map(holderOf)))).toEqual(new Set(['old-1']));
    const young = await store.getExecution('young-1');
    expect(young).toMatchObject({ status: 'FAILED', error: 'PlanNotReady' });
    expect(young?.cause).toMatch(
      /^server s-0+27[0-5] is also in execution old-1 of plan old, which started first; both were claiming their servers at once and the older one runs; nothing was launched$/,
    );
  });

  it('refuses a younger execution that meets an older one still claiming, whatever their IDs, and leaves the older running', async () => {
    // The younger has the smaller ID: the start time decides first.
    await stillClaiming('z-old', planOf('z-plan', [290]), T0);
    await record('a-young', planOf('a-plan', [290]), T1);

    await expect(
      store.claimServers({ executionId: 'a-young', plan: planOf('a-plan', [290]), now: T1 }),
    ).rejects.toThrow(`${serverId(290)} is in execution z-old`);
    expect(await store.getExecution('z-old')).toMatchObject({ status: 'PENDING' });
    expect(await holderOf(290)).toBe('z-old');
  });

  it('breaks a tie of start times by execution ID, the same way for both contenders', async () => {
    // The smaller ID is the older: it ends the larger one still claiming...
    await stillClaiming('tie-b', planOf('tie-b', [295]), T0);
    await record('tie-a', planOf('tie-a', [295]), T0);
    await store.claimServers({ executionId: 'tie-a', plan: planOf('tie-a', [295]), now: T0 });
    expect(await holderOf(295)).toBe('tie-a');
    expect(await store.getExecution('tie-b')).toMatchObject({ status: 'FAILED', error: 'PlanNotReady' });

    // ...and the larger one meeting the smaller still claiming is refused.
    await stillClaiming('tie-c', planOf('tie-c', [296]), T0);
    await record('tie-d', planOf('tie-d', [296]), T0);
    await expect(store.claimServers({ executionId: 'tie-d', plan: planOf('tie-d', [296]), now: T0 })).rejects.toThrow(
      `${serverId(296)} is in execution tie-c`,
    );
    expect(await store.getExecution('tie-c')).toMatchObject({ status: 'PENDING' });
  });
});
