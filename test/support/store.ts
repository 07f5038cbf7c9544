import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ExecutionStore } from '../../functions/shared/execution-store';
import type { Plan, ServerStatus } from '../../functions/shared/types';
import { LOCAL_CREDENTIALS, LocalDynamoDb } from '../../local/dynamodb';

/** A fresh executions table in dynalite on loopback, through the real DynamoDB client. */
export async function startStore(tableName = 'executions') {
  const dynamo = new LocalDynamoDb();
  const endpoint = await dynamo.start();
  await dynamo.createExecutionsTable(tableName, 'us-east-1');
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    store: new ExecutionStore(db, tableName),
    db,
    endpoint,
    async stop() {
      client.destroy();
      await dynamo.stop();
    },
  };
}

/**
 * A store on its own dynalite for one describe block (started before its tests, stopped after),
 * and `execution(plan)`: a new DRILL execution of `plan` recorded on it, IDs `<prefix>-1`, `<prefix>-2`, ….
 */
export function useExecutionStore(prefix: string, startedAt: Date) {
  let n = 0;
  const fixture = {
    local: undefined as unknown as Awaited<ReturnType<typeof startStore>>,
    store: undefined as unknown as ExecutionStore,
    async execution(plan: Plan): Promise<string> {
      const executionId = `${prefix}-${++n}`;
      await fixture.store.createExecution({ executionId, plan, executionType: 'DRILL', startedAt });
      return executionId;
    },
  };
  beforeAll(async () => {
    fixture.local = await startStore();
    fixture.store = fixture.local.store;
  });
  afterAll(async () => fixture.local.stop());
  return fixture;
}

export const serverId = (n: number) => `s-${String(n).padStart(17, '0')}`;

export function threeWavePlan(): Plan {
  return {
    planId: 'three-tier',
    name: 'Three tier',
    pollIntervalSeconds: 30,
    waves: [
      { name: 'Databases', sourceServerIDs: [serverId(1), serverId(2)], timeoutMinutes: 60 },
      { name: 'App', sourceServerIDs: [serverId(3)], timeoutMinutes: 60 },
      { name: 'Web', sourceServerIDs: [serverId(4)], timeoutMinutes: 60 },
    ],
  };
}

/** One wave of one server behind an approval gate (60 minutes to decide): the approval records' tests. */
export function gatedPlan(): Plan {
  return {
    planId: 'gated',
    name: 'Gated',
    pollIntervalSeconds: 30,
    waves: [{ name: 'App', sourceServerIDs: [serverId(1)], timeoutMinutes: 60, approval: { timeoutMinutes: 60 } }],
  };
}

/** Servers as a poll reports them once launched. */
export const launched = (...ids: string[]): ServerStatus[] =>
  ids.map((sourceServerID) => ({ sourceServerID, launchStatus: 'LAUNCHED' }));
