import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { ExecutionRecord } from '../../../../functions/shared/records/execution-records';
import { planLockKey } from '../../../../functions/shared/records/keys';
import { acquirePlanLock, type LockHolders, releasePlanLock } from '../../../../functions/shared/records/plan-lock';
import { conditionFailed } from '../../../fixtures/task-records';

/**
 * The plan lock's races and boundaries, which a single dynalite client cannot time: the lock
 * vanishing or changing hands between the refused write and the read, and the exact minute and
 * expiry at which a lock may be reclaimed. One live execution per plan must hold through each.
 */
const ddb = mockClient(DynamoDBDocumentClient);
const table = { db: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName: 'executions' };

const T0 = new Date('2026-01-01T00:00:00Z');
const EXPIRES = new Date('2026-01-01T06:00:00Z');
const lockItem = (holder: string, over: Record<string, unknown> = {}) => ({
  ...planLockKey('plan-1'),
  planId: 'plan-1',
  holder,
  acquiredAt: T0.toISOString(),
  expiresAt: EXPIRES.toISOString(),
  ...over,
});
const record = (status: string) => ({ executionId: 'x', status }) as unknown as ExecutionRecord;

function holdersOf(statuses: Record<string, string>): LockHolders & { ended: string[] } {
  const ended: string[] = [];
  return {
    ended,
    get: async (id) => (statuses[id] ? record(statuses[id]) : undefined),
    endLost: async (args) => {
      ended.push(`${args.executionId} ${args.error}: ${args.cause}`);
    },
  };
}
const acquire = (holders: LockHolders, now: Date) =>
  acquirePlanLock(table as never, holders, { planId: 'plan-1', executionId: 'me', now, expiresAt: EXPIRES });
const conditions = () => ddb.commandCalls(PutCommand).map((c) => c.args[0].input.ConditionExpression);

describe('plan lock races', () => {
  beforeEach(() => ddb.reset());

  it('takes the lock when it was released between the refused write and the read', async () => {
    ddb.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    ddb.on(GetCommand).resolves({});
    await expect(acquire(holdersOf({}), T0)).resolves.toBeUndefined();
    expect(conditions()).toEqual([
      'attribute_not_exists(pk) OR holder = :me',
      'attribute_not_exists(pk) OR holder = :me',
    ]);
  });

  it('starts over when another execution reclaimed an ended holder first, and then refuses: one live execution per plan', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: lockItem('ended') })
      .resolves({ Item: lockItem('winner') });
    const holders = holdersOf({ ended: 'FAILED', winner: 'PENDING' });
    await expect(acquire(holders, T0)).rejects.toMatchObject({
      name: 'PlanAlreadyRunning',
      message: expect.stringContaining('plan plan-1 is already running in execution winner'),
    });
    expect(conditions()).toEqual([
      'attribute_not_exists(pk) OR holder = :me',
      'holder = :previous',
      'attribute_not_exists(pk) OR holder = :me',
    ]);
    expect(ddb.commandCalls(PutCommand)[1]?.args[0].input.ExpressionAttributeValues).toEqual({ ':previous': 'ended' });
  });

  it('reclaims only from the holder it read, with the new holder and expiry', async () => {
    ddb.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    ddb.on(GetCommand).resolves({ Item: lockItem('ended') });
    await acquire(holdersOf({ ended: 'COMPLETED' }), T0);
    expect(ddb.commandCalls(PutCommand)[1]?.args[0].input).toMatchObject({
      ConditionExpression: 'holder = :previous',
      ExpressionAttributeValues: { ':previous': 'ended' },
      Item: { holder: 'me', planId: 'plan-1', acquiredAt: T0.toISOString(), expiresAt: EXPIRES.toISOString() },
    });
  });

  it('treats a lock without a holder record as running for a minute, then as orphaned', async () => {
    ddb.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    ddb.on(GetCommand).resolves({ Item: lockItem('ghost') });
    await expect(acquire(holdersOf({}), new Date(T0.getTime() + 60_000))).rejects.toMatchObject({
      name: 'PlanAlreadyRunning',
      message: expect.stringContaining('(since 2026-01-01T00:00:00.000Z)'),
    });
    ddb.reset();
    ddb.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    ddb.on(GetCommand).resolves({ Item: lockItem('ghost') });
    await expect(acquire(holdersOf({}), new Date(T0.getTime() + 60_001))).resolves.toBeUndefined();
    expect(conditions()).toEqual(['attribute_not_exists(pk) OR holder = :me', 'holder = :previous']);
  });

  it("takes a live holder's lock only after it expired, ending that holder FAILED (LockExpired) first", async () => {
    ddb.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    ddb.on(GetCommand).resolves({ Item: lockItem('live') });
    const atExpiry = holdersOf({ live: 'POLLING' });
    await expect(acquire(atExpiry, EXPIRES)).rejects.toMatchObject({
      name: 'PlanAlreadyRunning',
      message: expect.stringContaining('running in execution live (since 2026-01-01T00:00:00.000Z, POLLING)'),
    });
    expect(atExpiry.ended).toEqual([]);

    ddb.reset();
    ddb.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    ddb.on(GetCommand).resolves({ Item: lockItem('live') });
    const after = holdersOf({ live: 'POLLING' });
    await expect(acquire(after, new Date(EXPIRES.getTime() + 1))).resolves.toBeUndefined();
    expect(after.ended).toEqual([
      `live LockExpired: execution live held the lock of plan plan-1 past ${EXPIRES.toISOString()} and was presumed lost; execution me took the plan over`,
    ]);
  });

  it('passes on a DynamoDB error other than a refused condition, taking nothing', async () => {
    const outage = Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
    ddb.on(PutCommand).rejects(outage);
    await expect(acquire(holdersOf({}), T0)).rejects.toBe(outage);

    ddb.reset();
    // Refused, then the reclaim fails: the error is passed on, not taken for a lost race (which would retry).
    ddb.on(PutCommand).rejectsOnce(conditionFailed()).rejectsOnce(outage).resolves({});
    ddb.on(GetCommand).resolves({ Item: lockItem('ended') });
    await expect(acquire(holdersOf({ ended: 'FAILED' }), T0)).rejects.toBe(outage);
  });

  it('is released only by its holder; a refused release is not an error, any other failure is', async () => {
    ddb.on(DeleteCommand).resolves({});
    await releasePlanLock(table as never, 'plan-1', 'me');
    expect(ddb.commandCalls(DeleteCommand)[0]?.args[0].input).toMatchObject({
      Key: planLockKey('plan-1'),
      ConditionExpression: 'holder = :me',
      ExpressionAttributeValues: { ':me': 'me' },
    });
    ddb.on(DeleteCommand).rejects(conditionFailed());
    await expect(releasePlanLock(table as never, 'plan-1', 'me')).resolves.toBeUndefined();
    const outage = new Error('network');
    ddb.on(DeleteCommand).rejects(outage);
    await expect(releasePlanLock(table as never, 'plan-1', 'me')).rejects.toBe(outage);
  });
});
