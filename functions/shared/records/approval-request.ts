import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RecordsInconsistent } from '../errors';
import type { ApprovalDecision, ApprovalRecord } from './approval-record';
import { getExecution } from './execution-records';
import { executionKey, waveKey } from './keys';
import { isConditionFailure, type RecordsTable } from './table';
import { schedulingOfRecord, startableCondition } from './wave-claims';
import { dependenciesOfSpec, getWave } from './wave-records';

/** What the gate task asks for: one attempt, with its token and deadline. */
export interface GateRequest {
  executionId: string;
  index: number;
  taskToken: string;
  message?: string;
  requestedAt: Date;
  timeoutAt: Date;
}

export type GateOpened =
  /** The wave now awaits a decision on this attempt's token. */
  | { kind: 'opened' }
  /** A decision was taken on an earlier attempt's token and not yet delivered: this attempt delivers it. */
  | { kind: 'decided'; decision: ApprovalDecision; by: string; comment?: string };

/**
 * Opens the gate for one attempt of the gate task: the wave becomes AWAITING_APPROVAL with this
 * attempt's token, only while the execution is live, and only from NOT_STARTED with no decision or
 * for a new attempt of a gate still undecided. A decision already recorded for an earlier attempt
 * is handed over to this one (its token replaces the old, in the same conditional write) so a
 * retried gate task never loses it.
 */
export async function openGate(table: RecordsTable, request: GateRequest, tries = 3): Promise<GateOpened> {
  const { executionId, index, taskToken } = request;
  // The execution item is the authority on liveness and order: a gate opens only for a wave that
  // could be claimed now but for room (an ended execution, or a dependency not COMPLETED, opens none).
  const [execution, wave] = await Promise.all([getExecution(table, executionId), getWave(table, executionId, index)]);
  const startable = startableCondition(
    index,
    dependenciesOfSpec(wave, index),
    schedulingOfRecord(execution ?? {}).onWaveFailure,
  );
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: executionKey(executionId),
        UpdateExpression: 'SET #status = #status',
        ConditionExpression: startable.expression,
        ExpressionAttributeNames: startable.names,
        ExpressionAttributeValues: startable.values,
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    throw new RecordsInconsistent(
      `the approval gate of wave ${index + 1} was not opened: execution ${executionId} is not live, the wave was already started, or a wave it depends on has not COMPLETED`,
      { cause: error },
    );
  }
  const approval: ApprovalRecord = {
    ...(request.message ? { message: request.message } : {}),
    requestedAt: request.requestedAt.toISOString(),
    timeoutAt: request.timeoutAt.toISOString(),
    taskToken,
  };
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: waveKey(executionId, index),
        UpdateExpression: 'SET #status = :awaiting, approval = :approval',
        ConditionExpression:
          '(#status = :notStarted AND attribute_not_exists(approval.decision)) OR (#status = :awaiting AND attribute_not_exists(approval.decision))',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':awaiting': 'AWAITING_APPROVAL',
          ':notStarted': 'NOT_STARTED',
          ':approval': approval,
        },
      }),
    );
    return { kind: 'opened' };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  return takeOverDecision(table, request, tries);
}

/** The gate's write was refused: a decision is recorded. Hand it to this attempt's token, or say why not. */
async function takeOverDecision(table: RecordsTable, request: GateRequest, tries: number): Promise<GateOpened> {
  const { executionId, index, taskToken } = request;
  const wave = await getWave(table, executionId, index);
  const approval = wave.approval;
  const decision = approval?.decision;
  if (!approval || wave.status !== 'NOT_STARTED' || (decision !== 'APPROVE' && decision !== 'REJECT')) {
    throw new RecordsInconsistent(
      `the approval gate of wave ${index + 1} '${wave.name}' cannot open: the wave is ${wave.status}${decision ? ` (decision ${decision})` : ''}`,
    );
  }
  if (approval.taskToken !== taskToken) {
    try {
      await table.db.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: waveKey(executionId, index),
          UpdateExpression: 'SET approval.taskToken = :token',
          ConditionExpression: '#status = :notStarted AND approval.taskToken = :old AND approval.decision = :decision',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':token': taskToken,
            ':old': approval.taskToken,
            ':notStarted': 'NOT_STARTED',
            ':decision': decision,
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The decision was withdrawn meanwhile (its delivery refused) or another attempt took it: look again.
      if (tries <= 1) throw error;
      return openGate(table, request, tries - 1);
    }
  }
  return {
    kind: 'decided',
    decision,
    by: approval.by ?? 'unknown',
    ...(approval.comment ? { comment: approval.comment } : {}),
  };
}

/**
 * The execution ended: a gate still open (or undecided) closes, its wave NOT_STARTED (nothing was
 * launched). `ApprovalTimedOut` records the decision TIMED_OUT; any other ending says why it closed.
 * A decision already taken stays as it is.
 */
export async function closeGates(
  table: RecordsTable,
  executionId: string,
  waves: readonly { index: number; status: string; approval?: ApprovalRecord }[],
  ending: { error: string; endedAt: Date },
): Promise<void> {
  for (const wave of waves) {
    if (!wave.approval || wave.approval.decision) continue;
    if (wave.status !== 'AWAITING_APPROVAL' && wave.status !== 'NOT_STARTED') continue;
    const timedOut = ending.error === 'ApprovalTimedOut';
    try {
      await table.db.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: waveKey(executionId, wave.index),
          UpdateExpression: timedOut
            ? 'SET #status = :notStarted, approval.decision = :timedOut, approval.#at = :at'
            : 'SET #status = :notStarted, approval.closedBecause = :why',
          ConditionExpression: '#status IN (:awaiting, :notStarted) AND attribute_not_exists(approval.decision)',
          ExpressionAttributeNames: { '#status': 'status', ...(timedOut ? { '#at': 'at' } : {}) },
          ExpressionAttributeValues: {
            ':notStarted': 'NOT_STARTED',
            ':awaiting': 'AWAITING_APPROVAL',
            ...(timedOut
              ? { ':timedOut': 'TIMED_OUT', ':at': ending.endedAt.toISOString() }
              : { ':why': `the execution ended (${ending.error}) while the gate awaited a decision` }),
          },
        }),
      );
    } catch (error) {
      // Decided meanwhile: that decision is the truer record.
      if (!isConditionFailure(error)) throw error;
    }
  }
}
