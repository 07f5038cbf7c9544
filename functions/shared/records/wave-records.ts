import { BatchWriteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { RecordsInconsistent } from '../errors';
import {
  type Plan,
  type RequiredActions,
  type ServerDataAge,
  type ServerStatus,
  WAVE_STATUSES,
  type WaveOutage,
  type WaveStatus,
} from '../types';
import { dependenciesOf, dependencyNamesOf } from '../wave-graph';
import { type ApprovalRecord, approvalRecordSchema } from './approval-record';
import { waveKey } from './keys';
import { getItem, isConditionFailure, parseRecord, type RecordsTable } from './table';
import { type WaveActionFields, waveActionFieldsShape } from './wave-action-fields';

/**
 * The wave items: one per wave, beside its execution's item. They carry the detail (status, job,
 * servers); the execution item holds the claims (`wave-claims.ts`). Each write here is conditional on the wave's own
 * status and safe to repeat, so a retried task converges on the same records.
 */
export interface WaveRecord extends WaveSpec, WaveActionFields {
  executionId: string;
  index: number;
  /** The wave's tags as the plan gave them, when it selects servers by tag. */
  sourceServerTags?: Record<string, string>;
  /** The members the tags selected when the execution started (frozen: a later tag change changes nothing). */
  taggedSourceServerIDs?: string[];
  status: WaveStatus;
  jobId?: string;
  startedAt?: string;
  deadline?: string;
  endedAt?: string;
  lastPolledAt?: string;
  /** Required servers that did not launch. */
  failedServers?: string[];
  /** Optional servers that did not launch: the verdict ignored them; the result reports and warns about them. */
  optionalFailedServers?: string[];
  reason?: string;
  servers?: ServerStatus[];
  /** Each server's data age when the execution started (the preflight's; absent on records made before it was kept). */
  dataAges?: ServerDataAge[];
  /** The preflight's warnings about this wave's servers (e.g. a RECOVERY from an old snapshot). */
  warnings?: string[];
  /** RECOVERY: each server's required post-launch actions, read from DRS once, at the wave's first check. */
  requiredActions?: RequiredActions;
  /** The DRS outages the wave lived through while launching (`wave-outages.ts`). */
  outages?: WaveOutage[];
  /** A gated wave's approval, from the moment its gate opened (`approval-record.ts`). */
  approval?: ApprovalRecord;
  /** The wave's recovery target in minutes, from the plan (`targets.ts`). */
  targetMinutes?: number;
  /** The waves it waits for, resolved from the plan when recorded (absent on older records: the previous wave). */
  dependsOn?: string[];
}

/** What never changes about a wave once recorded: safe to keep in memory between polls. */
export interface WaveSpec {
  name: string;
  /** Every member the wave launches: its listed IDs, its optional IDs and its tag matches, resolved at the start. */
  sourceServerIDs: string[];
  /** The members whose failure the verdict ignores (a subset of `sourceServerIDs`). */
  optionalSourceServerIDs?: string[];
  timeoutMinutes: number;
  /** How many post-wave actions the wave has: with any, its launch verdict waits for them (`wave-actions.ts`). */
  postWaveActions?: WaveActionFields['postWaveActions'];
  /**
   * The indices of the waves it needs COMPLETED before its claim (`dependenciesOf`, resolved when the
   * execution starts). Absent on records made before dependencies: the previous wave.
   */
  dependencies?: number[];
}

/** A wave's dependencies as recorded, or the previous wave for a record made before they were kept. */
export const dependenciesOfSpec = (spec: Pick<WaveSpec, 'dependencies'>, index: number): number[] =>
  spec.dependencies ?? (index === 0 ? [] : [index - 1]);

/** How a wave ends: COMPLETED from the audit of its servers, FAILED or TIMED_OUT from the classifier. */
export interface WaveEnd {
  status: 'COMPLETED' | 'FAILED' | 'TIMED_OUT';
  servers?: ServerStatus[];
  failedServers: string[];
  optionalFailedServers?: string[];
  reason: string;
  endedAt: Date;
}

export const serverDataAgeSchema: z.ZodType<ServerDataAge> = z.object({
  sourceServerID: z.string(),
  dataAgeSeconds: z.number(),
});

export const requiredActionsSchema: z.ZodType<RequiredActions> = z.record(
  z.string(),
  z.array(z.object({ actionId: z.string(), name: z.string().optional() })),
);

export const serverStatusSchema: z.ZodType<ServerStatus> = z.object({
  sourceServerID: z.string(),
  launchStatus: z.string(),
  recoveryInstanceID: z.string().optional(),
  succeededActions: z.array(z.string()).optional(),
  launchedAt: z.string().optional(),
});

const waveSpecShape = {
  name: z.string(),
  sourceServerIDs: z.array(z.string()),
  optionalSourceServerIDs: z.array(z.string()).optional(),
  timeoutMinutes: z.number(),
  postWaveActions: waveActionFieldsShape.postWaveActions,
  dependencies: z.array(z.number().int()).optional(),
};

export const waveSpecSchema: z.ZodType<WaveSpec> = z.object(waveSpecShape);

export const waveRecordSchema: z.ZodType<WaveRecord> = z.object({
  ...waveSpecShape,
  executionId: z.string(),
  index: z.number().int(),
  sourceServerTags: z.record(z.string(), z.string()).optional(),
  taggedSourceServerIDs: z.array(z.string()).optional(),
  status: z.enum(WAVE_STATUSES),
  jobId: z.string().optional(),
  startedAt: z.string().optional(),
  deadline: z.string().optional(),
  endedAt: z.string().optional(),
  lastPolledAt: z.string().optional(),
  failedServers: z.array(z.string()).optional(),
  optionalFailedServers: z.array(z.string()).optional(),
  reason: z.string().optional(),
  servers: z.array(serverStatusSchema).optional(),
  dataAges: z.array(serverDataAgeSchema).optional(),
  warnings: z.array(z.string()).optional(),
  requiredActions: requiredActionsSchema.optional(),
  ...waveActionFieldsShape,
  targetMinutes: z.number().optional(),
  dependsOn: z.array(z.string()).optional(),
  outages: z
    .array(
      z.object({
        operation: z.string(),
        since: z.string(),
        lastAt: z.string(),
        attempts: z.number().int(),
        lastError: z.string(),
        until: z.string().optional(),
      }),
    )
    .optional(),
  approval: approvalRecordSchema.optional(),
});

const waveLabel = (executionId: string, index: number) => `wave ${index} of execution ${executionId}`;

export const parseWave = (item: Record<string, unknown>, executionId: string) =>
  parseRecord(waveRecordSchema, item, `a wave of execution ${executionId}`);

/**
 * A new execution's wave records, NOT_STARTED, from the plan with its members resolved
 * (`withMembers`): every member in `sourceServerIDs`, and which are optional and which the tags
 * selected. Each wave keeps the preflight's data ages and warnings for its servers.
 */
export function newWaveRecords(
  executionId: string,
  plan: Plan,
  preflight?: readonly { dataAges: ServerDataAge[]; warnings: string[] }[],
): WaveRecord[] {
  const dependsOn = dependencyNamesOf(plan.waves);
  const dependencies = dependenciesOf(plan.waves);
  return plan.waves.map((wave, index) => ({
    executionId,
    index,
    name: wave.name,
    dependsOn: dependsOn[index] ?? [],
    dependencies: dependencies[index] ?? [],
    sourceServerIDs: wave.sourceServerIDs,
    ...(wave.optionalSourceServerIDs?.length ? { optionalSourceServerIDs: wave.optionalSourceServerIDs } : {}),
    ...(wave.sourceServerTags ? { sourceServerTags: wave.sourceServerTags } : {}),
    ...(wave.taggedSourceServerIDs ? { taggedSourceServerIDs: wave.taggedSourceServerIDs } : {}),
    timeoutMinutes: wave.timeoutMinutes,
    ...(wave.preWaveActions?.length ? { preWaveActions: wave.preWaveActions } : {}),
    ...(wave.postWaveActions?.length ? { postWaveActions: wave.postWaveActions } : {}),
    ...(wave.targetMinutes !== undefined ? { targetMinutes: wave.targetMinutes } : {}),
    status: 'NOT_STARTED',
    ...(preflight?.[index] ? { dataAges: preflight[index].dataAges, warnings: preflight[index].warnings } : {}),
  }));
}

/** Writes a new execution's waves, NOT_STARTED, 25 to a batch, retrying what DynamoDB leaves unprocessed. */
export async function putWaves(table: RecordsTable, executionId: string, waves: WaveRecord[]): Promise<void> {
  for (let i = 0; i < waves.length; i += 25) {
    let requests = waves
      .slice(i, i + 25)
      .map((wave) => ({ PutRequest: { Item: { ...waveKey(executionId, wave.index), ...wave } } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      const out = await table.db.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: requests } }));
      requests = (out.UnprocessedItems?.[table.tableName] ?? []) as typeof requests;
      if (attempt > 8 && requests.length > 0)
        throw new Error(`DynamoDB left ${requests.length} wave records unwritten`);
    }
  }
}

export async function getWave(table: RecordsTable, executionId: string, index: number): Promise<WaveRecord> {
  const item = await getItem(table, waveKey(executionId, index));
  if (!item) throw new RecordsInconsistent(`no record of ${waveLabel(executionId, index)}`);
  return parseRecord(waveRecordSchema, item, waveLabel(executionId, index));
}

/**
 * Wave specs read once, then from memory, for the life of the store (a Lambda container, a local
 * stack): they never change after the execution is recorded, so a poll needs no DynamoDB read.
 */
export class WaveSpecs {
  private readonly specs = new Map<string, WaveSpec>();

  constructor(private readonly table: RecordsTable) {}

  async get(executionId: string, index: number): Promise<WaveSpec> {
    const key = `${executionId}/${index}`;
    const cached = this.specs.get(key);
    if (cached) return cached;
    const out = await this.table.db.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: waveKey(executionId, index),
        ProjectionExpression:
          '#name, sourceServerIDs, optionalSourceServerIDs, timeoutMinutes, postWaveActions, dependencies',
        ExpressionAttributeNames: { '#name': 'name' },
      }),
    );
    if (!out.Item) throw new RecordsInconsistent(`no record of ${waveLabel(executionId, index)}`);
    const spec = parseRecord(waveSpecSchema, out.Item, waveLabel(executionId, index));
    if (this.specs.size >= 1000) this.specs.delete(this.specs.keys().next().value as string);
    this.specs.set(key, spec);
    return spec;
  }
}

/** The claimed wave's own item: NOT_STARTED → LAUNCHING with its start and deadline. */
export const markWaveLaunching = (
  table: RecordsTable,
  executionId: string,
  index: number,
  startedAt: Date,
  deadline: Date,
) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: waveKey(executionId, index),
      UpdateExpression: 'SET #status = :launching, startedAt = :startedAt, deadline = :deadline',
      ConditionExpression: '#status = :notStarted',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':launching': 'LAUNCHING',
        ':notStarted': 'NOT_STARTED',
        ':startedAt': startedAt.toISOString(),
        ':deadline': deadline.toISOString(),
      },
    }),
  );

/** A launching wave back to NOT_STARTED, only while it has no job. */
export const resetWave = (table: RecordsTable, executionId: string, index: number) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: waveKey(executionId, index),
      UpdateExpression: 'SET #status = :notStarted REMOVE startedAt, deadline',
      ConditionExpression: '#status = :launching AND attribute_not_exists(jobId)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':launching': 'LAUNCHING', ':notStarted': 'NOT_STARTED' },
    }),
  );

/** The launching wave's DRS job ID: once (the same ID again is fine). */
export const recordWaveJob = (table: RecordsTable, executionId: string, index: number, jobId: string) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: waveKey(executionId, index),
      UpdateExpression: 'SET jobId = :jobId',
      ConditionExpression: '#status = :launching AND (attribute_not_exists(jobId) OR jobId = :jobId)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':launching': 'LAUNCHING', ':jobId': jobId },
    }),
  );

/** The servers' latest launch states, while the wave is still launching. */
export const recordPoll = (
  table: RecordsTable,
  executionId: string,
  index: number,
  servers: ServerStatus[],
  polledAt: Date,
) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: waveKey(executionId, index),
      UpdateExpression: 'SET servers = :servers, lastPolledAt = :polledAt',
      ConditionExpression: '#status = :launching',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':launching': 'LAUNCHING',
        ':servers': servers,
        ':polledAt': polledAt.toISOString(),
      },
    }),
  );

/** Moves a wave item from LAUNCHING to its end; repeating the same end is fine, a different one is refused. */
export async function endWaveItem(table: RecordsTable, executionId: string, index: number, end: WaveEnd) {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: waveKey(executionId, index),
        UpdateExpression: `SET #status = :status, failedServers = :failed, reason = :reason, endedAt = :endedAt${end.servers ? ', servers = :servers' : ''}${end.optionalFailedServers ? ', optionalFailedServers = :optionalFailed' : ''}`,
        ConditionExpression: '#status = :launching',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':launching': 'LAUNCHING',
          ':status': end.status,
          ':failed': end.failedServers,
          ':reason': end.reason,
          ':endedAt': end.endedAt.toISOString(),
          ...(end.servers ? { ':servers': end.servers } : {}),
          ...(end.optionalFailedServers ? { ':optionalFailed': end.optionalFailedServers } : {}),
        },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const current = await getWave(table, executionId, index);
    if (current.status !== end.status) {
      throw new RecordsInconsistent(
        `wave ${index + 1} is ${current.status} in the records, cannot record it ${end.status}`,
        { cause: error },
      );
    }
  }
}
