import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PlanScheduling } from '../wave-graph';
import { executionKey } from './keys';
import { isConditionFailure, type RecordsTable } from './table';

/**
 * What DRS taught the execution about the account's quotas (issue 12): when StartRecovery is refused
 * with ServiceQuotaExceededException while jobs run in the account, the account's quota is lower than
 * the plan assumes. `drsJobsLimit` is the number of jobs DRS was running when it refused: more never
 * fit, so admission and the claim use min(plan's maxConcurrentJobs, drsJobsLimit) and a wave waits
 * for a job to end instead of asking DRS again and again. Only ever lowered.
 */
export interface LearnedLimits {
  drsJobsLimit?: number;
}

/** The plan's scheduling bounded by what DRS refused: the room admission and the claim count with. */
export function effectiveScheduling(scheduling: PlanScheduling, learned: LearnedLimits): PlanScheduling {
  if (learned.drsJobsLimit === undefined || learned.drsJobsLimit >= scheduling.maxConcurrentJobs) return scheduling;
  return { ...scheduling, maxConcurrentJobs: learned.drsJobsLimit };
}

/**
 * Records `drsJobsLimit` on the execution item, in one conditional write that only ever lowers it
 * (a refusal seen with more jobs running teaches nothing new). A refused write is that: not an error.
 */
export async function learnDrsJobsLimitOnExecution(
  table: RecordsTable,
  executionId: string,
  jobs: number,
): Promise<void> {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: executionKey(executionId),
        UpdateExpression: 'SET drsJobsLimit = :jobs',
        ConditionExpression:
          'attribute_exists(#status) AND (attribute_not_exists(drsJobsLimit) OR drsJobsLimit > :jobs)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':jobs': jobs },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * The claim's guard on the learned limit it counted with: unchanged since it was read (it only ever
 * lowers, so "not below what was read"), so a limit learned between the read and the claim refuses it.
 */
export function learnedLimitCondition(learned: LearnedLimits) {
  return learned.drsJobsLimit === undefined
    ? { expression: 'attribute_not_exists(drsJobsLimit)', values: {} }
    : { expression: 'drsJobsLimit >= :learnedJobs', values: { ':learnedJobs': learned.drsJobsLimit } };
}
