import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionDoesNotExist,
  type ExecutionStatus,
} from '@aws-sdk/client-sfn';
import type { ExecutionDescriber } from '../functions/execution-events/execution-events';
import { executionArnOf } from '../functions/shared/execution-naming';

/** The local workflow's state machine ARN (the local engine runs the deployed definition under this name). */
export const LOCAL_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:drs-orchestrator-local';

interface Known {
  name: string;
  status: ExecutionStatus;
  input: string;
  startDate: Date;
  stopDate?: Date;
  error?: string;
  cause?: string;
}

/**
 * Step Functions as the local runner knows it, for the one call execution-events makes:
 * DescribeExecution answers what the local engine really did (RUNNING from its start, then how it
 * ended), so the real check of a status change (`functions/execution-events/confirm-status.ts`) runs
 * in every local drill. An execution it never ran is ExecutionDoesNotExist, as on AWS.
 */
export class LocalStepFunctions implements ExecutionDescriber {
  private readonly executions = new Map<string, Known>();

  constructor(readonly stateMachineArn: string = LOCAL_STATE_MACHINE_ARN) {}

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

  async send(command: DescribeExecutionCommand): Promise<DescribeExecutionCommandOutput> {
    if (!(command instanceof DescribeExecutionCommand)) {
      throw new Error('the local Step Functions answers DescribeExecution only');
    }
    const executionArn = command.input.executionArn ?? '';
    const known = this.executions.get(executionArn);
    if (!known) {
      throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${executionArn}'`, $metadata: {} });
    }
    return {
      $metadata: {},
      executionArn,
      stateMachineArn: this.stateMachineArn,
      name: known.name,
      status: known.status,
      input: known.input,
      startDate: known.startDate,
      ...(known.stopDate ? { stopDate: known.stopDate } : {}),
      ...(known.error ? { error: known.error } : {}),
      ...(known.cause ? { cause: known.cause } : {}),
    };
  }
}
