import { PutCommand, paginateQuery, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import {
  type ExecutionStatus,
  type ExecutionType,
  FINAL_EXECUTION_STATUSES,
  isLive,
  LIVE_EXECUTION_STATUSES,
} from '../types';
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
import { parseWave, type WaveRecord } from './wave-records';

/**
 * The execution item: the authority on progress. `completedWaves` and the claimed wave
 * (`activeWave`, `activeJobId`) live here, and every change to them is a single-item conditional
 * write (no transactions, so the same code runs on DynamoDB and on dynalite).
 */
export interface ExecutionRecord {
  executionId: string;
  /** The Step Functions execution ARN (absent for records made before the workflow knew it). */
  executionArn?: string;
  planId: string;
  planName?: string;
  executionType: ExecutionType | string;
  status: ExecutionStatus;
  waveCount: number;
  completedWaves: number;
  /** The wave claimed for launching, while it launches. */
  activeWave?: number;
  /** When the active wave was claimed: a retry looks for the wave's job among jobs created since. */
  activeWaveClaimedAt?: string;
  /** How long the last COMPLETED wave took from its start to its verdict: the next wave's expected launch time. */
  lastWaveSeconds?: number;
  /** The DRS job of the claimed wave, once StartRecovery returned it. */
  activeJobId?: string;
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
  activeWave: z.number().int().optional(),
  activeWaveClaimedAt: z.string().optional(),
  lastWaveSeconds: z.number().optional(),
  activeJobId: z.string().optional(),
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

/** Claims a wave on the execution: only while live, with every earlier wave counted and none claimed. */
export const claimOnExecution = (table: RecordsTable, executionId: string, index: number, claimedAt: Date) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(executionId),
      UpdateExpression: 'SET #status = :polling, activeWave = :index, activeWaveClaimedAt = :claimedAt',
      ConditionExpression: `${LIVE_CONDITION.expression} AND completedWaves = :index AND attribute_not_exists(activeWave)`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ...LIVE_CONDITION.values, ':index': index, ':claimedAt': claimedAt.toISOString() },
    }),
  );

/** Why a claim was refused, in words an operator can act on. */
export function whyNotStartable(
  executionId: string,
  index: number,
  execution: ExecutionRecord | undefined,
  wave: WaveRecord | undefined,
): string {
  const label = `wave ${index + 1}${wave ? ` '${wave.name}'` : ''}`;
  if (!execution) return `${label} not started: execution ${executionId} is not recorded`;
  if (!isLive(execution.status)) {
    return `${label} not started: execution ${executionId} is ${execution.status}, no longer running`;
  }
  if (execution.activeWave !== undefined && execution.activeWave !== index) {
    return `${label} not started: wave ${execution.activeWave + 1} is still launching`;
  }
  if (execution.completedWaves !== index) {
    return `${label} not started: ${execution.completedWaves} earlier wave(s) COMPLETED, wave ${execution.completedWaves + 1} has not`;
  }
  return `${label} not started: it was already claimed`;
}

/** Gives the claim back, only while it has no job. */
export const releaseClaimOnExecution = (table: RecordsTable, executionId: string, index: number) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(executionId),
      UpdateExpression: 'REMOVE activeWave, activeWaveClaimedAt',
      ConditionExpression: 'activeWave = :index AND attribute_not_exists(activeJobId)',
      ExpressionAttributeValues: { ':index': index },
    }),
  );

/** The claimed wave's DRS job ID on the execution: once (the same ID again is fine). */
export const recordJobOnExecution = (table: RecordsTable, executionId: string, index: number, jobId: string) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(executionId),
      UpdateExpression: 'SET activeJobId = :jobId',
      ConditionExpression: 'activeWave = :index AND (attribute_not_exists(activeJobId) OR activeJobId = :jobId)',
      ExpressionAttributeValues: { ':index': index, ':jobId': jobId },
    }),
  );

/** Counts the claimed wave as COMPLETED (by one, from its own index) and lets the next be claimed. */
export const countCompletedWave = (table: RecordsTable, executionId: string, index: number, tookSeconds: number) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(executionId),
      UpdateExpression:
        'SET completedWaves = :next, lastWaveSeconds = :took REMOVE activeWave, activeJobId, activeWaveClaimedAt',
      ConditionExpression: `${LIVE_CONDITION.expression} AND completedWaves = :index AND activeWave = :index`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ...LIVE_CONDITION.values,
        ':index': index,
        ':next': index + 1,
        ':took': tookSeconds,
      },
    }),
  );

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

/** Ends a live execution as FAILED, TIMED_OUT or CANCELLED, with its error and cause; the claim goes. */
export const endUnsuccessful = (
  table: RecordsTable,
  args: { executionId: string; status: 'FAILED' | 'TIMED_OUT' | 'CANCELLED'; error: string; cause: string },
  endedAt: string,
) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(args.executionId),
      UpdateExpression:
        'SET #status = :status, endedAt = :endedAt, #error = :error, cause = :cause REMOVE activeWave, activeJobId, activeWaveClaimedAt',
      ConditionExpression: LIVE_CONDITION.expression,
      ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
      ExpressionAttributeValues: {
        ...LIVE_CONDITION.values,
        ':status': args.status,
        ':endedAt': endedAt,
        ':error': args.error,
        ':cause': args.cause,
      },
    }),
  );
