import { DescribeExecutionCommand, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import { ForeignEvent, StatusNotConfirmed } from '../shared/errors';
import { executionArnOf } from '../shared/execution-naming';
import type { ExecutionStatusChange } from './status-change';

/** The one Step Functions call this function makes (the SDK's SFNClient, or the local runner's stand-in). */
export interface ExecutionDescriber {
  send(command: DescribeExecutionCommand): Promise<DescribeExecutionCommandOutput>;
}

type Detail = ExecutionStatusChange['detail'];

/**
 * The status change as Step Functions confirms it: an event is a claim, not a fact. Anyone allowed
 * events:PutEvents on the bus can send one shaped like Step Functions' (a forged ABORTED would mark a
 * live execution CANCELLED and free its locks), and EventBridge may deliver a real one late or twice.
 * So:
 * - it must be this stack's workflow: the state machine ARN, and an execution ARN that is that state
 *   machine's execution of that name (ForeignEvent otherwise);
 * - the execution's facts (status, input, error, cause, stop time) are read from DescribeExecution,
 *   never from the event (ForeignEvent if Step Functions has no such execution);
 * - an ending Step Functions does not confirm (it says RUNNING, or another ending) is
 *   StatusNotConfirmed: nothing is written, EventBridge retries, and an event that never comes true
 *   ends in the rule's dead-letter queue;
 * - a RUNNING event for an execution that has since ended is stale: undefined, nothing to do (its
 *   ending has an event of its own).
 */
export async function confirmStatus(
  deps: { sfn: ExecutionDescriber; stateMachineArn: string },
  detail: Detail,
): Promise<Detail | undefined> {
  if (detail.stateMachineArn !== deps.stateMachineArn) {
    throw new ForeignEvent(
      `the event is about state machine ${detail.stateMachineArn ?? '(none)'}, not this stack's ${deps.stateMachineArn}: nothing was recorded`,
    );
  }
  const expectedArn = executionArnOf(deps.stateMachineArn, detail.name);
  if (detail.executionArn !== expectedArn) {
    throw new ForeignEvent(
      `the event's execution ARN ${detail.executionArn} is not ${expectedArn}, the execution named ${detail.name}: nothing was recorded`,
    );
  }
  let real: DescribeExecutionCommandOutput;
  try {
    real = await deps.sfn.send(new DescribeExecutionCommand({ executionArn: expectedArn }));
  } catch (error) {
    if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
    throw new ForeignEvent(`Step Functions has no execution ${expectedArn}: nothing was recorded`, { cause: error });
  }
  if (real.stateMachineArn !== deps.stateMachineArn || real.name !== detail.name) {
    throw new ForeignEvent(
      `Step Functions describes ${expectedArn} as execution ${real.name} of ${real.stateMachineArn}: nothing was recorded`,
    );
  }
  const status = real.status ?? 'UNKNOWN';
  if (status !== detail.status) {
    if (detail.status === 'RUNNING') return undefined;
    throw new StatusNotConfirmed(
      `the event says execution ${detail.name} is ${detail.status}, Step Functions says ${status}: nothing was recorded`,
    );
  }
  return {
    executionArn: expectedArn,
    stateMachineArn: deps.stateMachineArn,
    name: detail.name,
    status,
    startDate: real.startDate?.getTime() ?? null,
    stopDate: real.stopDate?.getTime() ?? null,
    input: real.input ?? null,
    error: real.error ?? null,
    cause: real.cause ?? null,
  };
}
