import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { RecordsInconsistent } from '../errors';
import { LIVE_EXECUTION_STATUSES } from '../types';
import { problemsOf } from '../zod-problems';

/** The table a records module reads and writes, with the client it goes through. */
export interface RecordsTable {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * DynamoDB refused a conditional write because its condition did not hold. The conditions are the
 * safety invariants, so this is the one error the records read as an answer rather than a fault.
 */
export const isConditionFailure = (error: unknown): error is ConditionalCheckFailedException =>
  error instanceof ConditionalCheckFailedException;

/** Runs a conditional write that is safe to repeat: a failed condition means it was already done. */
export async function ignoringRepeat(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * "The execution is live" as a condition on the execution item (`#status` names `status`):
 * `#status IN (:pending, :polling)`, from the one list of live statuses.
 */
export const LIVE_CONDITION = {
  expression: `#status IN (${LIVE_EXECUTION_STATUSES.map((status) => `:${status.toLowerCase()}`).join(', ')})`,
  values: Object.fromEntries(LIVE_EXECUTION_STATUSES.map((status) => [`:${status.toLowerCase()}`, status])),
};

/**
 * An item as the record it should be: parsed at the boundary, so a malformed item fails here,
 * naming what is wrong, instead of somewhere downstream. Key attributes are dropped.
 */
export function parseRecord<T>(schema: z.ZodType<T>, item: Record<string, unknown>, what: string): T {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data;
  const problems = problemsOf(parsed.error);
  throw new RecordsInconsistent(`the record of ${what} is malformed: ${problems.join('; ')}`, { cause: parsed.error });
}

/** One item by its key, read strongly consistent (the records decide on what they read), or undefined. */
export async function getItem(
  table: RecordsTable,
  key: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  const out = await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }));
  return out.Item;
}
