import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { admissionWaitsKey } from './keys';
import type { RecordsTable } from './table';

/** The attribute holding wave `index`'s token: top-level (`t3`), so a SET needs no map to exist first. */
const tokenAttribute = (index: number) => `t${index}`;

/**
 * The task tokens of an execution's waves that wait in "Wait for dependencies and room", one item
 * per execution: a wave's current wait overwrites its earlier one (a timed-out or retried wait's
 * token is stale). The token is written BEFORE the waiting wave reads the admission snapshot, and
 * every verdict is written before its wake reads the tokens, so a wave and a verdict can never miss
 * each other: whichever reads second sees the other's write.
 */
export class AdmissionWaits {
  constructor(private readonly table: RecordsTable) {}

  async open(executionId: string, index: number, token: string, at: Date): Promise<void> {
    await this.table.db.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: admissionWaitsKey(executionId),
        UpdateExpression: 'SET #token = :token, executionId = :execution, updatedAt = :at',
        ExpressionAttributeNames: { '#token': tokenAttribute(index) },
        ExpressionAttributeValues: { ':token': token, ':execution': executionId, ':at': at.toISOString() },
      }),
    );
  }

  /** Every waiting wave's latest token, by wave index (strongly consistent). */
  async tokens(executionId: string): Promise<Map<number, string>> {
    const out = await this.table.db.send(
      new GetCommand({ TableName: this.table.tableName, Key: admissionWaitsKey(executionId), ConsistentRead: true }),
    );
    const tokens = new Map<number, string>();
    for (const [name, value] of Object.entries(out.Item ?? {})) {
      const match = /^t(\d+)$/.exec(name);
      if (match && typeof value === 'string') tokens.set(Number(match[1]), value);
    }
    return tokens;
  }
}
