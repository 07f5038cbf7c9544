import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionDoesNotExist,
  type ExecutionStatus,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
} from '@aws-sdk/client-sfn';
import type { ExecutionDescriber } from '../functions/execution-events/execution-events';
import { executionArnOf } from '../functions/shared/execution-naming';
import type { TaskTokens } from './task-tokens';

/** The local workflow's state machine ARN (the local engine runs the deployed definition under this name). */
export const LOCAL_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:drs-orchestrator-local';

/** What a local Step Functions knows of one execution: DescribeExecution's fields. */
export interface KnownExecution {
  name: string;
  status: ExecutionStatus;
  input: string;
  startDate: Date;
  stopDate?: Date;
  error?: string;
  cause?: string;
}
type Known = KnownExecution;

/** DescribeExecution's answer for a known execution, as AWS shapes it (absent fields left out). */
export function describeExecutionOutput(
  executionArn: string,
  stateMachineArn: string,
  known: KnownExecution,
): DescribeExecutionCommandOutput {
  return {
    $metadata: {},
    executionArn,
    stateMachineArn,
    name: known.name,
    status: known.status,
    input: known.input,
    startDate: known.startDate,
    ...(known.stopDate ? { stopDate: known.stopDate } : {}),
    ...(known.error ? { error: known.error } : {}),
    ...(known.cause ? { cause: known.cause } : {}),
  };
}

/**
 * Step Functions as the local runner knows it, for the one call execution-events makes:
 * DescribeExecution answers what the local engine really did (RUNNING from its start, then how it
 * ended), so the real check of a status change (`functions/execution-events/confirm-status.ts`) runs
 * in every local drill. An execution it never ran is ExecutionDoesNotExist, as on AWS.
 */
export class LocalStepFunctions implements ExecutionDescriber {
  private readonly executions = new Map<string, Known>();

  constructor(
    readonly stateMachineArn: string = LOCAL_STATE_MACHINE_ARN,
    /** The stack's task tokens, for SendTaskSuccess and SendTaskFailure (absent: the stack has no token waits). */
    private readonly tokens?: TaskTokens,
  ) {}

  executionArn(name: string): string {
    return executionArnOf(this.stateMachineArn, name);
  }

  /** The engine is about to run this execution. */
  started(name: string, input: unknown, at: Date): void {
    this.executions.set(this.executionArn(name), {
      name,
      status: 'RUNNING',
      input: JSON.stringify(input),
      startDate: at,
    });
  }

  /** The engine has ended this execution. */
  ended(name: string, ending: { status: ExecutionStatus; error?: string; cause?: string }, at: Date): void {
    const known = this.executions.get(this.executionArn(name));
    if (!known) throw new Error(`the local engine never started execution ${name}`);
    this.executions.set(this.executionArn(name), { ...known, ...ending, stopDate: at });
  }

  send(command: DescribeExecutionCommand): Promise<DescribeExecutionCommandOutput>;
  send(command: SendTaskSuccessCommand | SendTaskFailureCommand): Promise<Record<string, never>>;
  async send(
    command: DescribeExecutionCommand | SendTaskSuccessCommand | SendTaskFailureCommand,
  ): Promise<DescribeExecutionCommandOutput | Record<string, never>> {
    // The decision module's calls: the same refusals as AWS for an ended or unknown token (task-tokens.ts).
    if (command instanceof SendTaskSuccessCommand || command instanceof SendTaskFailureCommand) {
      if (!this.tokens) throw new Error('the local Step Functions has no task tokens');
      const { taskToken = '' } = command.input;
      if (command instanceof SendTaskSuccessCommand) this.tokens.succeed(taskToken, command.input.output ?? '{}');
      else this.tokens.fail(taskToken, command.input.error ?? '', command.input.cause ?? '');
      return {};
    }
    if (!(command instanceof DescribeExecutionCommand)) {
      throw new Error('the local Step Functions answers DescribeExecution, SendTaskSuccess and SendTaskFailure only');
    }
    const executionArn = command.input.executionArn ?? '';
    const known = this.executions.get(executionArn);
    if (!known) {
      throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${executionArn}'`, $metadata: {} });
    }
    return describeExecutionOutput(executionArn, this.stateMachineArn, known);
  }
}
