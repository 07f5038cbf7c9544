import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { LaunchResult } from '../launch-result-event';
import type { LaunchResults, WakeDecision } from '../launch-wake';
import { launchWaitKey } from './keys';
import { isConditionFailure, parseRecord, type RecordsTable } from './table';

/**
 * A launching wave's wait for its DRS job's launch results, one item per job (`launchWaitKey`): the
 * event carries only the job ID, so the job ID is the key. It holds which wave waits (execution,
 * index), the members and which of them are required, the task token of the wave's current wait,
 * the results the events reported, and the last decision a wake was claimed for.
 *
 * Token and results live on one item so that an event and a new wait can never miss each other:
 * each write returns the item as written, and whichever of the two writes second sees both.
 * Results are string sets (`ADD`), so a duplicate event changes nothing and order does not matter.
 */
const itemSchema = z.object({
  jobId: z.string(),
  executionId: z.string(),
  waveIndex: z.number().int().min(0),
  servers: z.array(z.string()),
  required: z.array(z.string()),
  taskToken: z.string().optional(),
  launched: z.set(z.string()).optional(),
  failed: z.set(z.string()).optional(),
  wokenFor: z.string().optional(),
  wokenToken: z.string().optional(),
});

export type LaunchWait = z.output<typeof itemSchema>;

export const resultsOf = (wait: LaunchWait): LaunchResults => ({
  servers: wait.servers,
  required: wait.required,
  launched: wait.launched ?? new Set(),
  failed: wait.failed ?? new Set(),
});

export class LaunchWaits {
  constructor(private readonly table: RecordsTable) {}

  /** Records the wave's current wait (its attempt's token); the item as written, with every result so far. */
  async open(wait: {
    jobId: string;
    executionId: string;
    waveIndex: number;
    servers: string[];
    required: string[];
    taskToken: string;
    at: Date;
  }): Promise<LaunchWait> {
    const out = await this.table.db.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: launchWaitKey(wait.jobId),
        UpdateExpression:
          'SET jobId = :job, executionId = :execution, waveIndex = :index, servers = :servers, #required = :required, taskToken = :token, waitingSince = :at',
        // A job is one wave's: a wait of another wave on the same job ID would be a records fault.
        ConditionExpression: 'attribute_not_exists(executionId) OR (executionId = :execution AND waveIndex = :index)',
        ExpressionAttributeNames: { '#required': 'required' },
        ExpressionAttributeValues: {
          ':job': wait.jobId,
          ':execution': wait.executionId,
          ':index': wait.waveIndex,
          ':servers': wait.servers,
          ':required': wait.required,
          ':token': wait.taskToken,
          ':at': wait.at.toISOString(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return parseRecord(itemSchema, out.Attributes ?? {}, `the launch wait of job ${wait.jobId}`);
  }

  /**
   * Records one server's launch result, once (a duplicate changes nothing). Only for a job a wave
   * waits on: any other job of the account (DRS sends events for every launch) is not ours, and
   * nothing is written (undefined).
   */
  async record(result: {
    jobId: string;
    sourceServerID: string;
    result: LaunchResult;
  }): Promise<LaunchWait | undefined> {
    try {
      const out = await this.table.db.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: launchWaitKey(result.jobId),
          UpdateExpression: `ADD ${result.result === 'LAUNCHED' ? 'launched' : 'failed'} :server`,
          ConditionExpression: 'attribute_exists(executionId)',
          ExpressionAttributeValues: { ':server': new Set([result.sourceServerID]) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return parseRecord(itemSchema, out.Attributes ?? {}, `the launch wait of job ${result.jobId}`);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /**
   * Claims the wake for `decision` with the token of the wait the caller read: true for exactly one
   * caller, and only while that token is still the wave's current one and no wake was claimed for
   * this decision. The claimant then sends the token its success.
   */
  async claimWake(jobId: string, taskToken: string, decision: WakeDecision): Promise<boolean> {
    try {
      await this.table.db.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: launchWaitKey(jobId),
          UpdateExpression: 'SET wokenFor = :decision, wokenToken = :token',
          ConditionExpression: 'taskToken = :token AND (attribute_not_exists(wokenFor) OR wokenFor <> :decision)',
          ExpressionAttributeValues: { ':token': taskToken, ':decision': decision },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * The claimed wake found its token's wait already over (it timed out, or its attempt was retried):
   * the claim is given back, so the wave's next wait is woken for the same decision.
   */
  async releaseWake(jobId: string, taskToken: string): Promise<void> {
    try {
      await this.table.db.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: launchWaitKey(jobId),
          UpdateExpression: 'REMOVE wokenFor, wokenToken',
          ConditionExpression: 'wokenToken = :token',
          ExpressionAttributeValues: { ':token': taskToken },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** The job's wait as recorded, or undefined (no wave has waited on it). */
  async get(jobId: string): Promise<LaunchWait | undefined> {
    const out = await this.table.db.send(
      new GetCommand({ TableName: this.table.tableName, Key: launchWaitKey(jobId), ConsistentRead: true }),
    );
    return out.Item ? parseRecord(itemSchema, out.Item, `the launch wait of job ${jobId}`) : undefined;
  }
}
