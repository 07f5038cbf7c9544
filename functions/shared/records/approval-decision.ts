import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  ApprovalTargetNotFound,
  DecisionNotDelivered,
  GateNotAwaiting,
  REFUSED_TOKEN_ERRORS,
} from '../approval-errors';
import { isLive } from '../types';
import { type ApprovalDecision, approvalResultOf, type WaveApprovalResult } from './approval-record';
import { getExecution } from './execution-records';
import { waveKey } from './keys';
import { isConditionFailure, type RecordsTable } from './table';
import { getWave, type WaveRecord } from './wave-records';

/**
 * Hands a decision to the waiting workflow: SendTaskSuccess / SendTaskFailure on AWS and in the local
 * stack (`approval-delivery.ts`). Kept behind this interface so that the records, which every task
 * imports, do not import Step Functions' task calls (the stack grants them only where they are made).
 */
export interface DecisionDelivery {
  deliver(taskToken: string, wave: Pick<WaveRecord, 'index' | 'name'>, decision: DecisionToDeliver): Promise<void>;
}

export type DecisionToDeliver = Pick<DecisionRequest, 'decision' | 'by' | 'comment' | 'at'>;

export interface DecisionRequest {
  executionId: string;
  waveIndex: number;
  decision: ApprovalDecision;
  /** Who decides: the IAM principal on AWS. */
  by: string;
  comment?: string;
  at: Date;
}

/**
 * Takes a decision on a wave's gate, once, and delivers it to the waiting workflow.
 *
 * Once: the decision is written by a conditional write (the wave AWAITING_APPROVAL, no decision
 * yet, the token the decider read), which also puts the wave back to NOT_STARTED (so an APPROVE
 * lets "Start wave recovery" claim it). Then SendTaskSuccess (APPROVE) or SendTaskFailure
 * (`ApprovalRejected`) with that token. If Step Functions refuses the token (TaskTimedOut,
 * InvalidToken, TaskDoesNotExist: the gate closed, by its timeout or a retried gate task), the
 * decision is withdrawn from the records (kept under `undelivered`) and DecisionNotDelivered is
 * thrown: a decision that did not reach the workflow never reads as taken. The one exception is a
 * retried gate task that took the decision over (its token replaced the old one in the records):
 * that attempt delivers it, and the decision stands.
 *
 * Any other failure of the delivery (throttling, a network error) leaves the decision recorded but
 * unconfirmed (no `deliveredAt`): the same decision sent again re-delivers it.
 */
export async function decideApproval(
  table: RecordsTable,
  delivery: DecisionDelivery,
  request: DecisionRequest,
): Promise<WaveApprovalResult> {
  const { executionId, waveIndex } = request;
  const execution = await getExecution(table, executionId);
  if (!execution) throw new ApprovalTargetNotFound(`no execution with executionId '${executionId}'`);
  if (!Number.isInteger(waveIndex) || waveIndex < 0 || waveIndex >= execution.waveCount) {
    throw new ApprovalTargetNotFound(
      `execution ${executionId} has no wave ${waveIndex} (it has ${execution.waveCount}, numbered from 0)`,
    );
  }
  const label = (wave: WaveRecord) => `wave ${waveIndex} '${wave.name}' of execution ${executionId}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    const wave = await getWave(table, executionId, waveIndex);
    const approval = wave.approval;
    if (!isLive(execution.status)) {
      throw new GateNotAwaiting(`${label(wave)} is not awaiting approval: the execution is ${execution.status}`);
    }
    const unconfirmed =
      wave.status === 'NOT_STARTED' && approval?.decision === request.decision && approval.deliveredAt === undefined;
    if (unconfirmed && approval) {
      // The same decision again, its delivery unconfirmed: deliver it again (SendTask* on a closed token is refused).
      return deliver(table, delivery, wave, approval.taskToken, {
        ...request,
        by: approval.by ?? request.by,
        ...(approval.comment ? { comment: approval.comment } : {}),
        at: new Date(approval.at ?? request.at.toISOString()),
      });
    }
    if (wave.status !== 'AWAITING_APPROVAL' || !approval || approval.decision) {
      throw new GateNotAwaiting(notAwaitingText(label(wave), wave));
    }
    try {
      await table.db.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: waveKey(executionId, waveIndex),
          UpdateExpression: `SET #status = :notStarted, approval.decision = :decision, approval.#by = :by, approval.#at = :at${request.comment ? ', approval.#comment = :comment' : ''}`,
          ConditionExpression:
            '#status = :awaiting AND approval.taskToken = :token AND attribute_not_exists(approval.decision)',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#by': 'by',
            '#at': 'at',
            ...(request.comment ? { '#comment': 'comment' } : {}),
          },
          ExpressionAttributeValues: {
            ':notStarted': 'NOT_STARTED',
            ':awaiting': 'AWAITING_APPROVAL',
            ':decision': request.decision,
            ':by': request.by,
            ':at': request.at.toISOString(),
            ':token': approval.taskToken,
            ...(request.comment ? { ':comment': request.comment } : {}),
          },
        }),
      );
    } catch (error) {
      // Decided meanwhile, or a retried gate task replaced the token: read again.
      if (!isConditionFailure(error)) throw error;
      continue;
    }
    return deliver(table, delivery, wave, approval.taskToken, request);
  }
  throw new GateNotAwaiting(`wave ${waveIndex} of execution ${executionId} changed while the decision was written`);
}

async function deliver(
  table: RecordsTable,
  delivery: DecisionDelivery,
  wave: WaveRecord,
  taskToken: string,
  request: DecisionRequest,
): Promise<WaveApprovalResult> {
  const { executionId, waveIndex } = request;
  try {
    await delivery.deliver(taskToken, wave, request);
  } catch (error) {
    const name = (error as Error)?.name;
    if (!REFUSED_TOKEN_ERRORS.includes(name)) throw error;
    await withdraw(table, taskToken, request, name);
    const now = await getWave(table, executionId, waveIndex);
    // A retried gate task took the decision over (its token replaced this one) and delivers it.
    if (now.approval?.decision === request.decision && now.approval.taskToken !== taskToken) {
      return approvalResultOf(now.approval);
    }
    throw new DecisionNotDelivered(
      `the decision ${request.decision} on wave ${waveIndex} '${wave.name}' of execution ${executionId} did not reach the workflow: Step Functions answered ${name} (the gate had closed, by its timeout or because the execution ended). Nothing was decided.`,
      { cause: error },
    );
  }
  // Confirmed: mark it delivered (the records keep it either way; this only stops a re-delivery).
  await table.db
    .send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: waveKey(executionId, waveIndex),
        UpdateExpression: 'SET approval.deliveredAt = :now',
        ConditionExpression: 'approval.taskToken = :token AND approval.decision = :decision',
        ExpressionAttributeValues: {
          ':now': request.at.toISOString(),
          ':token': taskToken,
          ':decision': request.decision,
        },
      }),
    )
    .catch((error) => {
      if (!isConditionFailure(error)) throw error;
    });
  const after = await getWave(table, executionId, waveIndex);
  if (!after.approval) throw new Error(`wave ${waveIndex} of execution ${executionId} lost its approval record`);
  return approvalResultOf(after.approval);
}

/** The decision Step Functions refused is taken back: kept under `undelivered`, so it is seen but not counted. */
async function withdraw(
  table: RecordsTable,
  taskToken: string,
  request: DecisionRequest,
  refusal: string,
): Promise<void> {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: waveKey(request.executionId, request.waveIndex),
        UpdateExpression:
          'REMOVE approval.decision, approval.#by, approval.#at, approval.#comment SET approval.undelivered = list_append(if_not_exists(approval.undelivered, :none), :refused)',
        ConditionExpression: '#status = :notStarted AND approval.taskToken = :token AND approval.decision = :decision',
        ExpressionAttributeNames: { '#status': 'status', '#by': 'by', '#at': 'at', '#comment': 'comment' },
        ExpressionAttributeValues: {
          ':notStarted': 'NOT_STARTED',
          ':token': taskToken,
          ':decision': request.decision,
          ':none': [],
          ':refused': [{ decision: request.decision, by: request.by, at: request.at.toISOString(), error: refusal }],
        },
      }),
    );
  } catch (error) {
    // The token changed: a retried gate task took the decision over. The caller reads what stands.
    if (!isConditionFailure(error)) throw error;
  }
}

function notAwaitingText(label: string, wave: WaveRecord): string {
  const approval = wave.approval;
  if (!approval) {
    return wave.status === 'NOT_STARTED'
      ? `${label} is not awaiting approval: its gate has not opened (the wave has no approval gate, or an earlier wave is still running)`
      : `${label} is not awaiting approval: it is ${wave.status} and has no approval gate`;
  }
  if (approval.decision === 'TIMED_OUT')
    return `${label} is not awaiting approval: its gate timed out at ${approval.timeoutAt}`;
  if (approval.decision) {
    return `${label} is not awaiting approval: ${approval.decision} was already decided by ${approval.by ?? 'unknown'} at ${approval.at ?? 'unknown'}`;
  }
  return `${label} is not awaiting approval: it is ${wave.status}${approval.closedBecause ? ` (${approval.closedBecause})` : ''}`;
}
