import type { AddressInfo } from 'node:net';
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient } from '../functions/shared/clients';
import { EXECUTION_INDEXES } from '../functions/shared/execution-store';
import { PLANS_TABLE_KEYS } from '../functions/shared/plan-store';

// dynalite ships no types; this is the part of its API used here.
type DynaliteServer = import('node:http').Server;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite: (options: Record<string, unknown>) => DynaliteServer = require('dynalite');

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The key schema of the executions table, the same as the deployed one. */
export const EXECUTIONS_TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

const stringKeys = (...names: string[]) =>
  names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const }));

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
    await this.createTable(region, {
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
  }

  /** The plans table the API stores plans in: key `planId`, no sort key, the same as the deployed one. */
  async createPlansTable(tableName: string, region: string): Promise<void> {
    await this.createTable(region, {
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: stringKeys(PLANS_TABLE_KEYS.partitionKey),
      KeySchema: [{ AttributeName: PLANS_TABLE_KEYS.partitionKey, KeyType: 'HASH' }],
    });
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
