import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { RequiredActions } from '../types';
import { waveKey } from './keys';
import { isConditionFailure, parseRecord, type RecordsTable } from './table';
import { requiredActionsSchema } from './wave-records';

const storedSchema = z.object({ requiredActions: requiredActionsSchema.optional() });

/**
 * A RECOVERY wave's required post-launch actions, per server, on the wave's own item. They are
 * read from DRS once per wave (at its first check) and written once: every later check, in this
 * container or another, judges against the same list, and the workflow's state carries none of it.
 */
export class RequiredActionsRecords {
  private readonly known = new Map<string, RequiredActions>();

  constructor(private readonly table: RecordsTable) {}

  /** The wave's recorded required actions, or undefined before they were read from DRS. */
  async get(executionId: string, index: number): Promise<RequiredActions | undefined> {
    const key = `${executionId}/${index}`;
    const cached = this.known.get(key);
    if (cached) return cached;
    const out = await this.table.db.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: waveKey(executionId, index),
        ProjectionExpression: 'requiredActions',
        ConsistentRead: true,
      }),
    );
    const stored = parseRecord(storedSchema, out.Item ?? {}, `wave ${index} of execution ${executionId}`);
    if (stored.requiredActions) this.remember(key, stored.requiredActions);
    return stored.requiredActions;
  }

  /**
   * Records the wave's required actions once. If another attempt recorded them first, its list
   * stands (and is returned): one list per wave, whichever check read DRS first.
   */
  async record(executionId: string, index: number, actions: RequiredActions): Promise<RequiredActions> {
    try {
      await this.table.db.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: waveKey(executionId, index),
          UpdateExpression: 'SET requiredActions = :actions',
          ConditionExpression: 'attribute_exists(#status) AND attribute_not_exists(requiredActions)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':actions': actions },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = await this.get(executionId, index);
      if (stored) return stored;
      throw error;
    }
    this.remember(`${executionId}/${index}`, actions);
    return actions;
  }

  private remember(key: string, actions: RequiredActions): void {
    if (this.known.size >= 1000) this.known.delete(this.known.keys().next().value as string);
    this.known.set(key, actions);
  }
}
