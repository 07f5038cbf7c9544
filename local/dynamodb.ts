import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient } from '../functions/shared/clients';
import { EXECUTION_INDEXES, EXECUTIONS_TABLE_KEYS, PLANS_TABLE_KEYS } from '../functions/shared/records/keys';

// dynalite ships no types; this is the part of its API used here.
type DynaliteServer = import('node:http').Server;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite: (options: Record<string, unknown>) => DynaliteServer = require('dynalite');

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const stringKeys = (...names: string[]) =>
  names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const }));

/** The executions table as the local stack creates it: the records' key scheme, as the deployed table. */
export const executionsTableInput = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: stringKeys(
    EXECUTIONS_TABLE_KEYS.partitionKey,
    EXECUTIONS_TABLE_KEYS.sortKey,
    ...Object.values(EXECUTION_INDEXES).flatMap((index) => [index.partitionKey, index.sortKey]),
  ),
  KeySchema: [
    { AttributeName: EXECUTIONS_TABLE_KEYS.partitionKey, KeyType: 'HASH' },
    { AttributeName: EXECUTIONS_TABLE_KEYS.sortKey, KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: Object.values(EXECUTION_INDEXES).map((index) => ({
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  })),
});

/** The plans table as the local stack creates it: key `planId`, no sort key, as the deployed table. */
export const plansTableInput = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: stringKeys(PLANS_TABLE_KEYS.partitionKey),
  KeySchema: [{ AttributeName: PLANS_TABLE_KEYS.partitionKey, KeyType: 'HASH' }],
});

/** DynamoDB for local drills and tests: dynalite in memory, on loopback, speaking the real protocol. */
export class LocalDynamoDb {
  private server: DynaliteServer | undefined;
  endpoint = '';

  async start(): Promise<string> {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  async createExecutionsTable(tableName: string, region: string): Promise<void> {
    await this.createTable(region, executionsTableInput(tableName));
  }

  /** The plans table the API stores plans in. */
  async createPlansTable(tableName: string, region: string): Promise<void> {
    await this.createTable(region, plansTableInput(tableName));
  }

  private async createTable(region: string, input: CreateTableCommandInput): Promise<void> {
    const client = createDynamoDbClient({ region, dynamoDbEndpoint: this.endpoint, credentials: LOCAL_CREDENTIALS });
    try {
      await client.send(new CreateTableCommand(input));
    } finally {
      client.destroy();
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
