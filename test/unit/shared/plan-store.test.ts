import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { RecordsInconsistent } from '../../../functions/shared/errors';
import { validatePlan } from '../../../functions/shared/plan-rules';
import { PlanAlreadyExists, PlanStore } from '../../../functions/shared/plan-store';
import { planKey } from '../../../functions/shared/records/keys';
import { LOCAL_CREDENTIALS, LocalDynamoDb } from '../../../local/dynamodb';
import { threeWavePlan } from '../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-02T00:00:00Z');

describe('PlanStore (on dynalite)', () => {
  const dynamo = new LocalDynamoDb();
  let client: DynamoDBClient;
  let store: PlanStore;
  let table: string;
  let tables = 0;

  beforeAll(async () => {
    const endpoint = await dynamo.start();
    client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS });
  });
  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
  });
  beforeEach(async () => {
    table = `plans-${++tables}`;
    await dynamo.createPlansTable(table, 'us-east-1');
    store = new PlanStore(DynamoDBDocumentClient.from(client), table);
  });

  it('creates a plan with createdAt and updatedAt, and returns it from get', async () => {
    const created = await store.create({ ...threeWavePlan(), description: 'd' }, T0);
    const expected = { ...threeWavePlan(), description: 'd', createdAt: T0.toISOString(), updatedAt: T0.toISOString() };
    expect(created).toEqual(expected);
    await expect(store.get('three-tier')).resolves.toEqual(expected);
  });

  it("reads back a wave's approval gate and its actions as stored: a plan from the API keeps them", async () => {
    const plan = validatePlan(
      JSON.parse(readFileSync(join(__dirname, '../../../examples/three-tier.plan.json'), 'utf8')),
    );
    await store.put(plan, T0);

    const stored = await store.get('three-tier');

    expect(stored?.waves[1]?.approval).toEqual({
      timeoutMinutes: 240,
      message: 'Databases are up: confirm before the app tier',
    });
    expect(stored?.waves[2]?.postWaveActions).toEqual(plan.waves[2]?.postWaveActions);
    expect(stored?.waves).toEqual(plan.waves);
  });

  it("reads back each wave's dependencies as stored: a branching plan from the API stays branching", async () => {
    const plan = threeWavePlan();
    plan.waves[1] = { ...(plan.waves[1] as (typeof plan.waves)[number]), dependsOn: ['Databases'] };
    plan.waves[2] = { ...(plan.waves[2] as (typeof plan.waves)[number]), dependsOn: ['Databases'] };
    await store.create(plan, T0);

    const stored = await store.get('three-tier');

    expect(stored?.waves.map((w) => w.dependsOn)).toEqual([undefined, ['Databases'], ['Databases']]);
  });

  it("reads back the plan's failure policy and concurrency as stored: a plan started by ID keeps its schedule", async () => {
    const plan = {
      ...threeWavePlan(),
      onWaveFailure: 'CONTINUE' as const,
      maxConcurrentWaves: 1,
      maxConcurrentJobs: 4,
      maxServersInAllJobs: 200,
    };
    await store.create(plan, T0);

    const stored = await store.get('three-tier');

    expect(stored).toMatchObject({
      onWaveFailure: 'CONTINUE',
      maxConcurrentWaves: 1,
      maxConcurrentJobs: 4,
      maxServersInAllJobs: 200,
    });
  });

  it("puts a plan's objectives, failure policy and concurrency, and removes each the replacing plan leaves out", async () => {
    const plan = {
      ...threeWavePlan(),
      rtoMinutes: 240,
      rpoMinutes: 15,
      onWaveFailure: 'CONTINUE' as const,
      maxConcurrentWaves: 1,
      maxConcurrentJobs: 4,
      maxServersInAllJobs: 200,
    };
    await store.put(plan, T0);
    await expect(store.get('three-tier')).resolves.toMatchObject({
      rtoMinutes: 240,
      rpoMinutes: 15,
      onWaveFailure: 'CONTINUE',
      maxConcurrentWaves: 1,
      maxConcurrentJobs: 4,
      maxServersInAllJobs: 200,
    });

    await store.put(threeWavePlan(), T1);
    const replaced = await store.get('three-tier');
    for (const field of Object.keys(plan).filter((k) => !(k in threeWavePlan()))) {
      expect(replaced).not.toHaveProperty(field);
    }
  });

  it('fails with PlanAlreadyExists when the planId is taken, and keeps the first plan', async () => {
    await store.create(threeWavePlan(), T0);
    await expect(store.create({ ...threeWavePlan(), name: 'Other' }, T1)).rejects.toThrow(PlanAlreadyExists);
    await expect(store.get('three-tier')).resolves.toMatchObject({ name: 'Three tier' });
  });

  it('puts a new plan (created) and then replaces it (not created), keeping createdAt', async () => {
    const first = await store.put({ ...threeWavePlan(), description: 'd' }, T0);
    expect(first.created).toBe(true);

    const second = await store.put({ ...threeWavePlan(), name: 'Renamed', waves: [] }, T1);

    expect(second).toEqual({
      created: false,
      plan: {
        ...threeWavePlan(),
        name: 'Renamed',
        waves: [],
        createdAt: T0.toISOString(),
        updatedAt: T1.toISOString(),
      },
    });
    await expect(store.get('three-tier')).resolves.toEqual(second.plan);
  });

  it('keeps every plan-level field through put and get (targets, scheduling), and a put without them removes them', async () => {
    const full = {
      ...threeWavePlan(),
      rtoMinutes: 240,
      rpoMinutes: 15,
      drillCleanupAfterMinutes: 120,
      onWaveFailure: 'CONTINUE' as const,
      maxConcurrentWaves: 2,
      maxConcurrentJobs: 5,
      maxServersInAllJobs: 300,
    };
    await store.create(full, T0);
    await expect(store.get('three-tier')).resolves.toMatchObject(full);

    const replaced = await store.put({ ...full, maxConcurrentWaves: 3, rtoMinutes: 60 }, T1);
    await expect(store.get('three-tier')).resolves.toEqual(replaced.plan);
    expect(replaced.plan).toMatchObject({ maxConcurrentWaves: 3, rtoMinutes: 60, onWaveFailure: 'CONTINUE' });

    const bare = await store.put(threeWavePlan(), T1);
    const stored = await store.get('three-tier');
    expect(stored).toEqual(bare.plan);
    for (const field of Object.keys(full).filter((k) => !(k in threeWavePlan()))) {
      expect(stored).not.toHaveProperty(field);
    }
  });

  it('returns undefined for an unknown plan', async () => {
    await expect(store.get('nope')).resolves.toBeUndefined();
  });

  it('lists every plan once, a page at a time', async () => {
    for (const planId of ['a', 'b', 'c']) await store.create({ ...threeWavePlan(), planId }, T0);
    const seen: string[] = [];
    let cursor: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await store.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((plan) => plan.planId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual(['a', 'b', 'c']);
  });

  it('deletes a plan and returns false for a plan it does not have', async () => {
    await store.create(threeWavePlan(), T0);
    await expect(store.delete('three-tier')).resolves.toBe(true);
    await expect(store.get('three-tier')).resolves.toBeUndefined();
    await expect(store.delete('three-tier')).resolves.toBe(false);
  });

  it('fails with RecordsInconsistent when a stored plan is malformed', async () => {
    await DynamoDBDocumentClient.from(client).send(
      new PutCommand({ TableName: table, Item: { ...planKey('broken'), name: 'Broken', waves: 'none' } }),
    );
    await expect(store.get('broken')).rejects.toThrow(RecordsInconsistent);
  });
});
