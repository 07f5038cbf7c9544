import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { OrchestratorError } from './errors';
import { PLANS_TABLE_KEYS, planKey } from './records/keys';
import { isConditionFailure, parseRecord } from './records/table';
import type { Plan } from './types';
import { waveActionSchema } from './wave-actions-schema';

/** A plan as the API stores and returns it: the validated plan, its optional description, and when it was written. */
export interface PlanRecord extends Plan {
  description?: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * The shape of a stored plan, read back. Only the shape: the plan rules ran when it was written,
 * and a plan stored under older limits still reads.
 */
export const planRecordSchema: z.ZodType<PlanRecord> = z.object({
  planId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  pollIntervalSeconds: z.number(),
  rtoMinutes: z.number().optional(),
  rpoMinutes: z.number().optional(),
  drillCleanupAfterMinutes: z.number().optional(),
  waves: z.array(
    z.object({
      name: z.string(),
      sourceServerIDs: z.array(z.string()),
      sourceServerTags: z.record(z.string(), z.string()).optional(),
      optionalSourceServerIDs: z.array(z.string()).optional(),
      timeoutMinutes: z.number(),
      targetMinutes: z.number().optional(),
      // Read back as written: a stored plan that lost its gate or its actions would run without them.
      approval: z.object({ timeoutMinutes: z.number(), message: z.string().optional() }).optional(),
      preWaveActions: z.array(waveActionSchema).optional(),
      postWaveActions: z.array(waveActionSchema).optional(),
      // A stored plan that lost its dependencies would run its branches one after another.
      dependsOn: z.array(z.string()).optional(),
    }),
  ),
  // Read back too, or a plan started by ID would run as STOP at the default quotas, whatever it says.
  onWaveFailure: z.enum(['STOP', 'CONTINUE']).optional(),
  maxConcurrentWaves: z.number().optional(),
  maxConcurrentJobs: z.number().optional(),
  maxServersInAllJobs: z.number().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const parsePlan = (item: Record<string, unknown>) =>
  parseRecord(planRecordSchema, item, `plan ${String(item[PLANS_TABLE_KEYS.partitionKey])}`);

/** What is stored: a plan already through `validatePlan`, with the description the caller gave. */
export type PlanInput = Plan & { description?: string };

/** `create` found a plan with the same ID; nothing was written. */
export class PlanAlreadyExists extends OrchestratorError {
  constructor(planId: string, options?: { cause?: unknown }) {
    super(`a plan with planId '${planId}' already exists: change it with PUT /plans/${planId}`, options);
    this.name = 'PlanAlreadyExists';
  }
}

/** DynamoDB refused the item as larger than its 400 KB limit. */
export class PlanTooLarge extends OrchestratorError {
  constructor(planId: string, options?: { cause?: unknown }) {
    super(`plan '${planId}' is larger than a DynamoDB item may be (400 KB): split it into several plans`, options);
    this.name = 'PlanTooLarge';
  }
}

const isItemTooLarge = (error: unknown) =>
  error instanceof Error && error.name === 'ValidationException' && /item size/i.test(error.message);

/** Every optional top-level field of a stored plan (none is a DynamoDB reserved word). */
const OPTIONAL_PLAN_FIELDS = [
  'description',
  'rtoMinutes',
  'rpoMinutes',
  'drillCleanupAfterMinutes',
  'onWaveFailure',
  'maxConcurrentWaves',
  'maxConcurrentJobs',
  'maxServersInAllJobs',
] as const satisfies readonly (keyof PlanInput)[];

/**
 * The recovery plans, one DynamoDB item each (key `planId`). A plan is stored only after it
 * passed the plan rules; the executions carry their own copy of the plan as it was at their start,
 * so replacing or deleting a plan never changes a running execution.
 */
export class PlanStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores a new plan; throws PlanAlreadyExists (and writes nothing) if its planId is taken. */
  async create(plan: PlanInput, at: Date): Promise<PlanRecord> {
    const record: PlanRecord = { ...plan, createdAt: at.toISOString(), updatedAt: at.toISOString() };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: record,
          ConditionExpression: 'attribute_not_exists(#planId)',
          ExpressionAttributeNames: { '#planId': PLANS_TABLE_KEYS.partitionKey },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new PlanAlreadyExists(plan.planId, { cause: error });
      if (isItemTooLarge(error)) throw new PlanTooLarge(plan.planId, { cause: error });
      throw error;
    }
    return record;
  }

  /**
   * Creates or replaces a plan in one write, keeping the first `createdAt`. `created` says which
   * happened (the API answers 201 or 200).
   */
  async put(plan: PlanInput, at: Date): Promise<{ plan: PlanRecord; created: boolean }> {
    const now = at.toISOString();
    // The plan's optional fields: each set when the new plan has it, removed when it leaves it out.
    const given = OPTIONAL_PLAN_FIELDS.filter((field) => plan[field] !== undefined);
    const values: Record<string, unknown> = {
      ':name': plan.name,
      ':pollIntervalSeconds': plan.pollIntervalSeconds,
      ':waves': plan.waves,
      ':now': now,
      ...Object.fromEntries(given.map((field) => [`:${field}`, plan[field]])),
    };
    const set = [
      '#name = :name',
      'pollIntervalSeconds = :pollIntervalSeconds',
      'waves = :waves',
      'createdAt = if_not_exists(createdAt, :now)',
      'updatedAt = :now',
      ...given.map((field) => `${field} = :${field}`),
    ];
    // A field the new plan leaves out is gone from the stored one too.
    const remove = OPTIONAL_PLAN_FIELDS.filter((field) => plan[field] === undefined);
    let old: Record<string, unknown> | undefined;
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: planKey(plan.planId),
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_OLD',
        }),
      );
      old = out.Attributes;
    } catch (error) {
      if (isItemTooLarge(error)) throw new PlanTooLarge(plan.planId, { cause: error });
      throw error;
    }
    const createdAt = typeof old?.createdAt === 'string' ? old.createdAt : now;
    return { plan: { ...plan, createdAt, updatedAt: now }, created: old === undefined };
  }

  async get(planId: string): Promise<PlanRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: planKey(planId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? parsePlan(out.Item) : undefined;
  }

  /**
   * One page of plans, in the table's order (not sorted). `cursor` is the `nextCursor` of the
   * previous page; a page may be short (even empty) while `nextCursor` is present.
   */
  async list(args: {
    limit: number;
    cursor?: Record<string, unknown>;
  }): Promise<{ items: PlanRecord[]; nextCursor?: Record<string, unknown> }> {
    const out = await this.db.send(
      new ScanCommand({
        TableName: this.tableName,
        Limit: args.limit,
        ...(args.cursor ? { ExclusiveStartKey: args.cursor } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map(parsePlan),
      ...(out.LastEvaluatedKey ? { nextCursor: out.LastEvaluatedKey } : {}),
    };
  }

  /** Deletes a plan; false if there was none. */
  async delete(planId: string): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: planKey(planId),
          ConditionExpression: 'attribute_exists(#planId)',
          ExpressionAttributeNames: { '#planId': PLANS_TABLE_KEYS.partitionKey },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
