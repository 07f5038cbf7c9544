import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { PlanAlreadyRunning, RecordsInconsistent, WaveNotStartable } from './errors';
import type {
  ExecutionResult,
  ExecutionStatus,
  ExecutionType,
  Plan,
  ServerStatus,
  WaveResult,
  WaveStatus,
} from './types';

/**
 * The execution records in DynamoDB, and the safety invariants that live there.
 *
 * One item per execution and one per wave under the same partition key, so a wave of 100
 * servers stays far from the 400 KB item limit and one Query reads a whole execution.
 *
 * The execution item is the authority on progress: `completedWaves`, and the claimed wave
 * (`activeWave`, `activeJobId`). Every change to it is a single-item conditional write (no
 * transactions, so the same code runs on DynamoDB and on dynalite), and the invariants hold
 * whatever the workflow does (the local engine, for one, starts the next Map iteration after
 * an iteration failed):
 * - a wave is claimed only while the execution is live, no other wave is claimed, and every
 *   earlier wave has COMPLETED (`completedWaves` equals the wave's index);
 * - a claimed wave records one DRS job ID, once;
 * - `completedWaves` counts up by one, only after the wave's own item says COMPLETED.
 * Wave items carry the detail (status, job, servers); they are written in the same task, each
 * write conditional and safe to repeat, so a retried task converges on the same records.
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
  startedAt: string;
  endedAt?: string;
  error?: string;
  cause?: string;
}

export interface WaveRecord {
  executionId: string;
  index: number;
  name: string;
  sourceServerIDs: string[];
  timeoutMinutes: number;
  status: WaveStatus;
  jobId?: string;
  startedAt?: string;
  deadline?: string;
  endedAt?: string;
  lastPolledAt?: string;
  failedServers?: string[];
  reason?: string;
  servers?: ServerStatus[];
}

const LIVE = [':pending', ':polling'];
const LIVE_VALUES = { ':pending': 'PENDING', ':polling': 'POLLING' };
const executionKey = (executionId: string) => ({ pk: `EXECUTION#${executionId}`, sk: 'EXECUTION' });

/**
 * Index keys on execution items: `byPlan` lists a plan's executions, `byStartTime` all
 * executions, both newest first (the sort key starts with the start time).
 */
export const EXECUTION_INDEXES = {
  byPlan: { name: 'byPlan', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  byStartTime: { name: 'byStartTime', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const;
/** The per-plan lock: one live execution per plan. */
const lockKey = (planId: string) => ({ pk: `PLAN#${planId}`, sk: 'LOCK' });

export interface PlanLock {
  planId: string;
  holder: string;
  acquiredAt: string;
  /** After this the holder is presumed lost and the lock may be reclaimed (see acquirePlanLock). */
  expiresAt: string;
}

const indexKeys = (record: { executionId: string; planId: string; startedAt: string }) => ({
  gsi1pk: `PLAN#${record.planId}`,
  gsi1sk: `${record.startedAt}#${record.executionId}`,
  gsi2pk: 'EXECUTIONS',
  gsi2sk: `${record.startedAt}#${record.executionId}`,
});
const waveKey = (executionId: string, index: number) => ({
  pk: `EXECUTION#${executionId}`,
  sk: `WAVE#${String(index).padStart(4, '0')}`,
});
const strip = <T extends Record<string, unknown>>(item: T) => {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g1s, gsi2pk: _g2, gsi2sk: _g2s, ...rest } = item;
  return rest;
};

const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** What never changes about a wave once recorded: safe to keep in memory between polls. */
export interface WaveSpec {
  name: string;
  sourceServerIDs: string[];
  timeoutMinutes: number;
}

export class ExecutionStore {
  /** Wave specs by execution and wave, for this store's life (a Lambda container, a local stack). */
  private readonly specs = new Map<string, WaveSpec>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * A wave's requested servers, name and timeout: read once, then from memory. They never change
   * after the execution is recorded, so a poll needs no DynamoDB read.
   */
  async getWaveSpec(executionId: string, index: number): Promise<WaveSpec> {
    const key = `${executionId}/${index}`;
    const cached = this.specs.get(key);
    if (cached) return cached;
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: waveKey(executionId, index),
        ProjectionExpression: '#name, sourceServerIDs, timeoutMinutes',
        ExpressionAttributeNames: { '#name': 'name' },
      }),
    );
    if (!out.Item) throw new RecordsInconsistent(`no record of wave ${index} of execution ${executionId}`);
    const spec = out.Item as WaveSpec;
    if (this.specs.size >= 1000) this.specs.delete(this.specs.keys().next().value as string);
    this.specs.set(key, spec);
    return spec;
  }

  /** Records a new execution (PENDING) and its waves (NOT_STARTED). Safe to repeat for the same execution. */
  async createExecution(args: {
    executionId: string;
    executionArn?: string;
    plan: Plan;
    executionType: ExecutionType;
    startedAt: Date;
  }): Promise<void> {
    const { executionId, plan, executionType } = args;
    const record: ExecutionRecord = {
      executionId,
      ...(args.executionArn ? { executionArn: args.executionArn } : {}),
      planId: plan.planId,
      planName: plan.name,
      executionType,
      status: 'PENDING',
      waveCount: plan.waves.length,
      completedWaves: 0,
      pollIntervalSeconds: plan.pollIntervalSeconds,
      startedAt: args.startedAt.toISOString(),
    };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...executionKey(executionId), ...indexKeys(record), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // A retried task finds its own record: carry on. Anything else is a name collision.
      const existing = await this.getExecution(executionId);
      if (
        !existing ||
        existing.planId !== plan.planId ||
        existing.status !== 'PENDING' ||
        existing.completedWaves !== 0
      ) {
        throw new RecordsInconsistent(`execution ${executionId} is already recorded for plan ${existing?.planId}`, {
          cause: error,
        });
      }
    }
    const waves = plan.waves.map(
      (wave, index): WaveRecord => ({
        executionId,
        index,
        name: wave.name,
        sourceServerIDs: wave.sourceServerIDs,
        timeoutMinutes: wave.timeoutMinutes,
        status: 'NOT_STARTED',
      }),
    );
    for (let i = 0; i < waves.length; i += 25) {
      let requests = waves
        .slice(i, i + 25)
        .map((wave) => ({ PutRequest: { Item: { ...waveKey(executionId, wave.index), ...wave } } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        if (attempt > 8 && requests.length > 0)
          throw new Error(`DynamoDB left ${requests.length} wave records unwritten`);
      }
    }
  }

  /**
   * Takes the plan's lock for an execution: one live execution per plan. Safe to repeat for the
   * same execution. A lock is reclaimed, never broken:
   * - when its holder's record has ended (the holder ended without releasing it), or was never
   *   written and the lock is older than a minute (the holder failed before recording itself);
   * - when it has expired (the holder outlived every wave deadline by a wide margin, so its
   *   workflow is presumed lost): the holder's record is first ended FAILED (LockExpired), which
   *   also refuses any further wave claim of the old execution, then the lock is taken.
   * Otherwise PlanAlreadyRunning names the running execution.
   */
  async acquirePlanLock(args: { planId: string; executionId: string; now: Date; expiresAt: Date }): Promise<void> {
    const lock: PlanLock = {
      planId: args.planId,
      holder: args.executionId,
      acquiredAt: args.now.toISOString(),
      expiresAt: args.expiresAt.toISOString(),
    };
    const take = (condition: string, values: Record<string, unknown>) =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...lockKey(args.planId), ...lock },
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
      );
    try {
      await take('attribute_not_exists(pk) OR holder = :me', { ':me': args.executionId });
      return;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const current = await this.getPlanLock(args.planId);
    if (!current) return this.acquirePlanLock(args);
    const holder = await this.getExecution(current.holder);
    const live = holder?.status === 'PENDING' || holder?.status === 'POLLING';
    const expired = args.now.getTime() > new Date(current.expiresAt).getTime();
    const orphaned = !holder && args.now.getTime() - new Date(current.acquiredAt).getTime() > 60_000;
    if (live && expired) {
      await this.failExecution({
        executionId: current.holder,
        status: 'FAILED',
        error: 'LockExpired',
        cause: `execution ${current.holder} held the lock of plan ${args.planId} past ${current.expiresAt} and was presumed lost; execution ${args.executionId} took the plan over`,
        endedAt: args.now,
      });
    } else if (live || (!holder && !orphaned)) {
      throw new PlanAlreadyRunning(
        `plan ${args.planId} is already running in execution ${current.holder} (since ${current.acquiredAt}${holder ? `, ${holder.status}` : ''}): wait for it to end or stop it; nothing was launched`,
      );
    }
    try {
      await take('holder = :previous', { ':previous': current.holder });
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Someone else reclaimed it first: start over, and let the rules above decide.
      return this.acquirePlanLock(args);
    }
  }

  async getPlanLock(planId: string): Promise<PlanLock | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: lockKey(planId), ConsistentRead: true }),
    );
    return out.Item ? (strip(out.Item) as unknown as PlanLock) : undefined;
  }

  /** Gives the plan's lock back, if this execution holds it. */
  async releasePlanLock(planId: string, executionId: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: lockKey(planId),
          ConditionExpression: 'holder = :me',
          ExpressionAttributeValues: { ':me': executionId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async getExecution(executionId: string): Promise<ExecutionRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: executionKey(executionId), ConsistentRead: true }),
    );
    return out.Item ? (strip(out.Item) as unknown as ExecutionRecord) : undefined;
  }

  async getWave(executionId: string, index: number): Promise<WaveRecord> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: waveKey(executionId, index), ConsistentRead: true }),
    );
    if (!out.Item) throw new RecordsInconsistent(`no record of wave ${index} of execution ${executionId}`);
    return strip(out.Item) as unknown as WaveRecord;
  }

  /**
   * Claims a wave for launching: the guard in front of every StartRecovery call. Succeeds only if
   * the execution is live, no wave is claimed and every earlier wave has COMPLETED.
   */
  async claimWave(executionId: string, index: number, startedAt: Date, deadline: Date): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: executionKey(executionId),
          UpdateExpression: 'SET #status = :polling, activeWave = :index, activeWaveClaimedAt = :claimedAt',
          ConditionExpression: `#status IN (${LIVE.join(', ')}) AND completedWaves = :index AND attribute_not_exists(activeWave)`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...LIVE_VALUES, ':index': index, ':claimedAt': startedAt.toISOString() },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new WaveNotStartable(await this.whyNotStartable(executionId, index), { cause: error });
    }
    await this.markWaveLaunching(executionId, index, startedAt, deadline);
  }

  /** The claimed wave's own item: LAUNCHING with its start and deadline. Safe to repeat. */
  async markWaveLaunching(executionId: string, index: number, startedAt: Date, deadline: Date): Promise<void> {
    await this.ignoringRepeat(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
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
      ),
    );
  }

  private async whyNotStartable(executionId: string, index: number): Promise<string> {
    const execution = await this.getExecution(executionId);
    const wave = await this.getWave(executionId, index).catch(() => undefined);
    const label = `wave ${index + 1}${wave ? ` '${wave.name}'` : ''}`;
    if (!execution) return `${label} not started: execution ${executionId} is not recorded`;
    if (execution.status !== 'PENDING' && execution.status !== 'POLLING') {
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

  /** Gives a claim back when DRS definitely created no job (e.g. StartRecovery was throttled), so a retry may claim again. */
  async releaseClaim(executionId: string, index: number): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: executionKey(executionId),
        UpdateExpression: 'REMOVE activeWave, activeWaveClaimedAt',
        ConditionExpression: 'activeWave = :index AND attribute_not_exists(activeJobId)',
        ExpressionAttributeValues: { ':index': index },
      }),
    );
    await this.ignoringRepeat(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: waveKey(executionId, index),
          UpdateExpression: 'SET #status = :notStarted REMOVE startedAt, deadline',
          ConditionExpression: '#status = :launching AND attribute_not_exists(jobId)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':launching': 'LAUNCHING', ':notStarted': 'NOT_STARTED' },
        }),
      ),
    );
  }

  /** Records the claimed wave's DRS job ID: once. */
  async recordJob(executionId: string, index: number, jobId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: executionKey(executionId),
        UpdateExpression: 'SET activeJobId = :jobId',
        ConditionExpression: 'activeWave = :index AND (attribute_not_exists(activeJobId) OR activeJobId = :jobId)',
        ExpressionAttributeValues: { ':index': index, ':jobId': jobId },
      }),
    );
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: waveKey(executionId, index),
        UpdateExpression: 'SET jobId = :jobId',
        ConditionExpression: '#status = :launching AND (attribute_not_exists(jobId) OR jobId = :jobId)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':launching': 'LAUNCHING', ':jobId': jobId },
      }),
    );
  }

  /** Records the servers' latest launch states while the wave is still launching. */
  async recordPoll(executionId: string, index: number, servers: ServerStatus[], polledAt: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
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
  }

  /**
   * Marks a wave COMPLETED, then counts it on the execution (which lets the next wave be
   * claimed). In that order, so a count always stands on a COMPLETED wave; both steps are safe
   * to repeat after a crash between them.
   */
  async completeWave(
    executionId: string,
    index: number,
    servers: ServerStatus[],
    endedAt: Date,
    startedAt?: Date,
  ): Promise<void> {
    const took = startedAt ? Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 1000)) : 0;
    await this.endWaveItem(executionId, index, {
      status: 'COMPLETED',
      servers,
      failedServers: [],
      reason: `all ${servers.length} servers LAUNCHED`,
      endedAt,
    });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: executionKey(executionId),
          UpdateExpression:
            'SET completedWaves = :next, lastWaveSeconds = :took REMOVE activeWave, activeJobId, activeWaveClaimedAt',
          ConditionExpression: `#status IN (${LIVE.join(', ')}) AND completedWaves = :index AND activeWave = :index`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...LIVE_VALUES, ':index': index, ':next': index + 1, ':took': took },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const execution = await this.getExecution(executionId);
      if (execution?.completedWaves !== index + 1) {
        throw new RecordsInconsistent(
          `wave ${index + 1} COMPLETED but execution ${executionId} could not count it (status ${execution?.status}, ${execution?.completedWaves} waves counted)`,
          { cause: error },
        );
      }
    }
  }

  /** Ends a launching wave as FAILED or TIMED_OUT. The claim stays: no later wave may start. */
  async endWave(
    executionId: string,
    index: number,
    outcome: { status: 'FAILED' | 'TIMED_OUT'; servers?: ServerStatus[]; failedServers: string[]; reason: string },
    endedAt: Date,
  ): Promise<void> {
    await this.endWaveItem(executionId, index, { ...outcome, endedAt });
  }

  /** Moves a wave item from LAUNCHING to its end; repeating the same end is fine, a different one is refused. */
  private async endWaveItem(
    executionId: string,
    index: number,
    end: {
      status: 'COMPLETED' | 'FAILED' | 'TIMED_OUT';
      servers?: ServerStatus[];
      failedServers: string[];
      reason: string;
      endedAt: Date;
    },
  ): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: waveKey(executionId, index),
          UpdateExpression: `SET #status = :status, failedServers = :failed, reason = :reason, endedAt = :endedAt${end.servers ? ', servers = :servers' : ''}`,
          ConditionExpression: '#status = :launching',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':launching': 'LAUNCHING',
            ':status': end.status,
            ':failed': end.failedServers,
            ':reason': end.reason,
            ':endedAt': end.endedAt.toISOString(),
            ...(end.servers ? { ':servers': end.servers } : {}),
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await this.getWave(executionId, index);
      if (current.status !== end.status) {
        throw new RecordsInconsistent(
          `wave ${index + 1} is ${current.status} in the records, cannot record it ${end.status}`,
          {
            cause: error,
          },
        );
      }
    }
  }

  private async ignoringRepeat(write: Promise<unknown>): Promise<void> {
    try {
      await write;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * Lists executions newest first, optionally of one plan and in one status, a page at a time.
   * `cursor` is the opaque `nextCursor` of the previous page.
   */
  async listExecutions(args: {
    planId?: string;
    status?: ExecutionStatus;
    limit: number;
    cursor?: Record<string, unknown>;
  }): Promise<{ items: ExecutionRecord[]; nextCursor?: Record<string, unknown> }> {
    const index = args.planId ? EXECUTION_INDEXES.byPlan : EXECUTION_INDEXES.byStartTime;
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ...(args.status ? { FilterExpression: '#status = :status' } : {}),
        ExpressionAttributeNames: { '#pk': index.partitionKey, ...(args.status ? { '#status': 'status' } : {}) },
        ExpressionAttributeValues: {
          ':pk': args.planId ? `PLAN#${args.planId}` : 'EXECUTIONS',
          ...(args.status ? { ':status': args.status } : {}),
        },
        ScanIndexForward: false,
        Limit: args.limit,
        ...(args.cursor ? { ExclusiveStartKey: args.cursor } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((item) => strip(item) as unknown as ExecutionRecord),
      ...(out.LastEvaluatedKey ? { nextCursor: out.LastEvaluatedKey } : {}),
    };
  }

  /** Reads an execution and all its waves (with servers) in one Query. */
  async loadExecution(executionId: string): Promise<{ execution: ExecutionRecord; waves: WaveRecord[] } | undefined> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': executionKey(executionId).pk },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(out.Items ?? []));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    const executionItem = items.find((item) => item.sk === 'EXECUTION');
    if (!executionItem) return undefined;
    const waves = items
      .filter((item) => String(item.sk).startsWith('WAVE#'))
      .map((item) => strip(item) as unknown as WaveRecord)
      .sort((a, b) => a.index - b.index);
    return { execution: strip(executionItem) as unknown as ExecutionRecord, waves };
  }

  /**
   * Ends the execution as COMPLETED, after checking the records agree: every wave COMPLETED and
   * every requested server LAUNCHED. If they do not, it refuses (RecordsInconsistent) rather
   * than report a recovery that did not happen.
   */
  async completeExecution(executionId: string, endedAt: Date): Promise<ExecutionResult> {
    const loaded = await this.loadExecution(executionId);
    if (!loaded) throw new RecordsInconsistent(`execution ${executionId} is not recorded`);
    const { execution, waves } = loaded;
    if (execution.status === 'COMPLETED') {
      // A retried task whose first attempt wrote the end: the same end, nothing more to do.
      await this.releasePlanLock(execution.planId, executionId);
      return toResult(execution, waves);
    }
    const problems: string[] = [];
    if (waves.length !== execution.waveCount || execution.completedWaves !== execution.waveCount) {
      problems.push(`${execution.completedWaves} of ${execution.waveCount} waves counted COMPLETED`);
    }
    for (const wave of waves) {
      if (wave.status !== 'COMPLETED') problems.push(`wave '${wave.name}' is ${wave.status}`);
      const launched = new Set(
        (wave.servers ?? []).filter((s) => s.launchStatus === 'LAUNCHED').map((s) => s.sourceServerID),
      );
      const notLaunched = wave.sourceServerIDs.filter((id) => !launched.has(id));
      if (notLaunched.length > 0)
        problems.push(`wave '${wave.name}' has servers not LAUNCHED: ${notLaunched.join(', ')}`);
    }
    if (problems.length > 0) {
      throw new RecordsInconsistent(`refusing to record execution ${executionId} as COMPLETED: ${problems.join('; ')}`);
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: executionKey(executionId),
        UpdateExpression: 'SET #status = :completed, endedAt = :endedAt',
        ConditionExpression: `#status IN (${LIVE.join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ...LIVE_VALUES, ':completed': 'COMPLETED', ':endedAt': endedAt.toISOString() },
      }),
    );
    await this.releasePlanLock(execution.planId, executionId);
    return toResult({ ...execution, status: 'COMPLETED', endedAt: endedAt.toISOString() }, waves);
  }

  /**
   * Ends the execution as FAILED or TIMED_OUT with its error and cause, and ends any wave still
   * LAUNCHING as FAILED (an execution that stopped never leaves a wave shown as launching).
   * Creates the record when the execution failed before it was recorded (an invalid plan).
   */
  async failExecution(args: {
    executionId: string;
    executionArn?: string;
    status: 'FAILED' | 'TIMED_OUT' | 'CANCELLED';
    error: string;
    cause: string;
    endedAt: Date;
    planId?: string;
    executionType?: string;
  }): Promise<ExecutionResult> {
    const endedAt = args.endedAt.toISOString();
    let loaded = await this.loadExecution(args.executionId);
    if (!loaded) {
      const record: ExecutionRecord = {
        executionId: args.executionId,
        ...(args.executionArn ? { executionArn: args.executionArn } : {}),
        planId: args.planId ?? 'unknown',
        executionType: args.executionType ?? 'unknown',
        status: args.status,
        waveCount: 0,
        completedWaves: 0,
        startedAt: endedAt,
        endedAt,
        error: args.error,
        cause: args.cause,
      };
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...executionKey(args.executionId), ...indexKeys(record), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      if (args.planId) await this.releasePlanLock(args.planId, args.executionId);
      return toResult(record, []);
    }
    for (const wave of loaded.waves.filter((w) => w.status === 'LAUNCHING')) {
      await this.endWaveItem(args.executionId, wave.index, {
        status: 'FAILED',
        failedServers: [],
        reason: `the execution stopped while the wave was launching: ${args.error}: ${args.cause}`,
        endedAt: args.endedAt,
      }).catch((error) => {
        // The wave reached its own end meanwhile: that end is the truer one.
        if (!(error instanceof RecordsInconsistent)) throw error;
      });
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: executionKey(args.executionId),
          UpdateExpression:
            'SET #status = :status, endedAt = :endedAt, #error = :error, cause = :cause REMOVE activeWave, activeJobId, activeWaveClaimedAt',
          ConditionExpression: `#status IN (${LIVE.join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: {
            ...LIVE_VALUES,
            ':status': args.status,
            ':endedAt': endedAt,
            ':error': args.error,
            ':cause': args.cause,
          },
        }),
      );
    } catch (error) {
      // Already ended (a retried task): keep the first ending, which is the true one.
      if (!isConditionFailure(error)) throw error;
    }
    loaded = await this.loadExecution(args.executionId);
    if (!loaded) throw new RecordsInconsistent(`execution ${args.executionId} disappeared`);
    // Every end releases the plan: a failed, timed-out or stopped execution never leaves it locked.
    await this.releasePlanLock(loaded.execution.planId, args.executionId);
    return toResult(loaded.execution, loaded.waves);
  }
}

/** The result shape (`--json`, the workflow's output) from the records. */
export function toResult(
  execution: ExecutionRecord,
  waves: WaveRecord[],
  options: { withServers?: boolean } = {},
): ExecutionResult {
  return {
    executionId: execution.executionId,
    ...(execution.executionArn ? { executionArn: execution.executionArn } : {}),
    planId: execution.planId,
    executionType: execution.executionType,
    status: execution.status,
    startedAt: execution.startedAt,
    ...(execution.endedAt ? { endedAt: execution.endedAt } : {}),
    ...(execution.error ? { error: execution.error } : {}),
    ...(execution.cause ? { cause: execution.cause } : {}),
    waves: waves.map(
      (wave): WaveResult => ({
        index: wave.index,
        name: wave.name,
        status: wave.status,
        ...(wave.jobId ? { jobId: wave.jobId } : {}),
        failedServers: wave.failedServers ?? [],
        ...(wave.reason ? { reason: wave.reason } : {}),
        ...(wave.startedAt ? { startedAt: wave.startedAt } : {}),
        ...(wave.endedAt ? { endedAt: wave.endedAt } : {}),
        ...(options.withServers
          ? {
              servers:
                wave.servers ??
                wave.sourceServerIDs.map((sourceServerID) => ({ sourceServerID, launchStatus: 'NOT_STARTED' })),
            }
          : {}),
      }),
    ),
  };
}
