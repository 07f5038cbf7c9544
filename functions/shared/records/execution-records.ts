import { PutCommand, paginateQuery, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { type ExecutionStatus, type ExecutionType, FINAL_EXECUTION_STATUSES, LIVE_EXECUTION_STATUSES } from '../types';
import { type CleanupRecord, cleanupRecordSchema } from './cleanup-records';
import {
  EXECUTION_INDEXES,
  EXECUTIONS_TABLE_KEYS,
  executionKey,
  executionPartition,
  indexKeys,
  isExecutionItem,
  isWaveItem,
  listingPartition,
} from './keys';
import { getItem, LIVE_CONDITION, parseRecord, type RecordsTable } from './table';
import { type ClaimFields, claimFieldsShape } from './wave-claims';
import { parseWave, type WaveRecord } from './wave-records';

/**
 * The execution item: the authority on progress. Every wave's claim (`waves.<index>`), the running
 * counters and `completedWaves` live here (`wave-claims.ts`), and every change to them is a
 * single-item conditional write (no transactions, so the same code runs on DynamoDB and on dynalite).
 */
export interface ExecutionRecord extends ClaimFields {
  executionId: string;
  /** The Step Functions execution ARN (absent for records made before the workflow knew it). */
  executionArn?: string;
  planId: string;
  planName?: string;
  executionType: ExecutionType | string;
  status: ExecutionStatus;
  waveCount: number;
  /** How many waves COMPLETED (a count: which ones, and in what order, is in `waves`). */
  completedWaves: number;
  /** How long the last COMPLETED wave took from its start to its verdict: the next wave's expected launch time. */
  lastWaveSeconds?: number;
  pollIntervalSeconds?: number;
  /** The plan's recovery targets, copied when the execution starts (`targets.ts`). */
  rtoMinutes?: number;
  rpoMinutes?: number;
  /** Who started it: the API's IAM caller, or the local user of a local drill (absent: not known, e.g. a console start). */
  startedBy?: string;
  startedAt: string;
  /** When the execution held every one of its servers' locks (`records/server-locks.ts`). */
  serversClaimedAt?: string;
  /** When an ending gave its servers' locks back, so a repeated ending does not write them again. */
  serverLocksReleasedAt?: string;
  endedAt?: string;
  error?: string;
  cause?: string;
  /** A DRILL's cleanup (`cleanup-records.ts`); absent for a RECOVERY. */
  cleanup?: CleanupRecord;
}

export const executionRecordSchema: z.ZodType<ExecutionRecord> = z.object({
  executionId: z.string(),
  executionArn: z.string().optional(),
  planId: z.string(),
  planName: z.string().optional(),
  // 'unknown' on the record of an execution that failed before it was recorded.
  executionType: z.string(),
  status: z.enum([...LIVE_EXECUTION_STATUSES, ...FINAL_EXECUTION_STATUSES]),
  waveCount: z.number().int(),
  completedWaves: z.number().int(),
  lastWaveSeconds: z.number().optional(),
  ...claimFieldsShape,
  pollIntervalSeconds: z.number().optional(),
  rtoMinutes: z.number().optional(),
  rpoMinutes: z.number().optional(),
  startedBy: z.string().optional(),
  startedAt: z.string(),
  serversClaimedAt: z.string().optional(),
  serverLocksReleasedAt: z.string().optional(),
  endedAt: z.string().optional(),
  error: z.string().optional(),
  cause: z.string().optional(),
  cleanup: cleanupRecordSchema.optional(),
});

const parseExecution = (item: Record<string, unknown>) =>
  parseRecord(executionRecordSchema, item, `execution ${String(item.executionId)}`);

/** Writes a new execution item, with its index keys; the condition fails if the ID is taken. */
export const putExecution = (table: RecordsTable, record: ExecutionRecord) =>
  table.db.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...executionKey(record.executionId), ...indexKeys(record), ...record },
      ConditionExpression: `attribute_not_exists(${EXECUTIONS_TABLE_KEYS.partitionKey})`,
    }),
  );

export async function getExecution(table: RecordsTable, executionId: string): Promise<ExecutionRecord | undefined> {
  const item = await getItem(table, executionKey(executionId));
  return item ? parseExecution(item) : undefined;
}

/** Reads an execution and all its waves (with servers): one Query, over as many pages as it takes. */
export async function loadExecution(
  table: RecordsTable,
  executionId: string,
): Promise<{ execution: ExecutionRecord; waves: WaveRecord[] } | undefined> {
  const items: Record<string, unknown>[] = [];
  const pages = paginateQuery(
    { client: table.db },
    {
      TableName: table.tableName,
      KeyConditionExpression: `${EXECUTIONS_TABLE_KEYS.partitionKey} = :pk`,
      ExpressionAttributeValues: { ':pk': executionPartition(executionId) },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  const executionItem = items.find(isExecutionItem);
  if (!executionItem) return undefined;
  const waves = items
    .filter(isWaveItem)
    .map((item) => parseWave(item, executionId))
    .sort((a, b) => a.index - b.index);
  return { execution: parseExecution(executionItem), waves };
}

/** The newest-first listing query, of one plan or of all executions, optionally of one status. */
const listingQuery = (table: RecordsTable, args: { planId?: string; status?: ExecutionStatus; limit: number }) => {
  const index = args.planId ? EXECUTION_INDEXES.byPlan : EXECUTION_INDEXES.byStartTime;
  return {
    TableName: table.tableName,
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk',
    ...(args.status ? { FilterExpression: '#status = :status' } : {}),
    ExpressionAttributeNames: { '#pk': index.partitionKey, ...(args.status ? { '#status': 'status' } : {}) },
    ExpressionAttributeValues: {
      ':pk': listingPartition(args.planId),
      ...(args.status ? { ':status': args.status } : {}),
    },
    ScanIndexForward: false,
    Limit: args.limit,
  };
};

/**
 * Lists executions newest first, optionally of one plan and in one status, a page at a time.
 * `cursor` is the opaque `nextCursor` of the previous page.
 */
export async function listExecutions(
  table: RecordsTable,
  args: { planId?: string; status?: ExecutionStatus; limit: number; cursor?: Record<string, unknown> },
): Promise<{ items: ExecutionRecord[]; nextCursor?: Record<string, unknown> }> {
  const out = await table.db.send(
    new QueryCommand({ ...listingQuery(table, args), ...(args.cursor ? { ExclusiveStartKey: args.cursor } : {}) }),
  );
  return {
    items: (out.Items ?? []).map(parseExecution),
    ...(out.LastEvaluatedKey ? { nextCursor: out.LastEvaluatedKey } : {}),
  };
}

/** Ends a live execution as COMPLETED. */
export const endCompleted = (table: RecordsTable, executionId: string, endedAt: Date) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(executionId),
      UpdateExpression: 'SET #status = :completed, endedAt = :endedAt',
      ConditionExpression: LIVE_CONDITION.expression,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ...LIVE_CONDITION.values,
        ':completed': 'COMPLETED',
        ':endedAt': endedAt.toISOString(),
      },
    }),
  );

/** Ends a live execution as FAILED, TIMED_OUT or CANCELLED, with its error and cause (no wave can be claimed after). */
export const endUnsuccessful = (
  table: RecordsTable,
  args: {
    executionId: string;
    status: 'FAILED' | 'TIMED_OUT' | 'CANCELLED';
    error: string;
    cause: string;
    /** An ending of the same status with this error that this one may replace (a generic one, said more exactly). */
    refines?: string;
  },
  endedAt: string,
) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(args.executionId),
      UpdateExpression: 'SET #status = :status, endedAt = :endedAt, #error = :error, cause = :cause',
      ConditionExpression: args.refines
        ? `(${LIVE_CONDITION.expression}) OR (#status = :status AND #error = :refines)`
        : LIVE_CONDITION.expression,
      ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
      ExpressionAttributeValues: {
        ...LIVE_CONDITION.values,
        ':status': args.status,
        ':endedAt': endedAt,
        ':error': args.error,
        ':cause': args.cause,
        ...(args.refines ? { ':refines': args.refines } : {}),
      },
    }),
  );
