import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PlanStore } from '../../../functions/shared/plan-store';
import { LOCAL_CREDENTIALS, LocalDynamoDb } from '../../../local/dynamodb';
import { threeWavePlan } from '../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');

describe('PlanStore and drillCleanupAfterMinutes (on dynalite)', () => {
  const dynamo = new LocalDynamoDb();
  let client: DynamoDBClient;
  let store: PlanStore;

  beforeAll(async () => {
    const endpoint = await dynamo.start();
    client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS });
    await dynamo.createPlansTable('plans', 'us-east-1');
    store = new PlanStore(DynamoDBDocumentClient.from(client), 'plans');
  });
  afterAll(async () => {
    client.destroy();
    await dynamo.stop();
  });

  it('stores the field, including 0, and drops it when a replacement leaves it out', async () => {
    await store.put({ ...threeWavePlan(), drillCleanupAfterMinutes: 0 }, T0);
    expect((await store.get('three-tier'))?.drillCleanupAfterMinutes).toBe(0);
    await store.put({ ...threeWavePlan(), drillCleanupAfterMinutes: 45 }, T0);
    expect((await store.get('three-tier'))?.drillCleanupAfterMinutes).toBe(45);
    await store.put(threeWavePlan(), T0);
    expect((await store.get('three-tier'))?.drillCleanupAfterMinutes).toBeUndefined();
  });
});
