import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type StartExecutionCommandOutput,
  StopExecutionCommand,
  type StopExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { executionArnOf } from '../../functions/shared/execution-naming';
import type { EngineEnding } from '../engine';
import { describeExecutionOutput, type KnownExecution, LOCAL_STATE_MACHINE_ARN } from '../step-functions';

/** Runs one execution to its end in the local engine; `signal` is its StopExecution. */
export type RunWorkflow = (run: { name: string; input: unknown; signal: AbortSignal }) => Promise<EngineEnding>;

interface Known extends KnownExecution {
  stop: AbortController;
  done: Promise<void>;
}

type Command =
  | StartExecutionCommand
  | DescribeExecutionCommand
  | StopExecutionCommand
  | SendTaskSuccessCommand
  | SendTaskFailureCommand;

/** Where an approval's SendTaskSuccess/SendTaskFailure goes: the task tokens every execution's gates wait on. */
export interface TaskDecisions {
  send(command: SendTaskSuccessCommand | SendTaskFailureCommand): Promise<unknown>;
}

/**
 * Step Functions for the API on the local console server: the calls the API makes
 * (StartExecution, DescribeExecution, StopExecution; SendTaskSuccess/Failure for a gate's decision), answered as AWS answers them, each
 * StartExecution running the deployed definition in the local engine in the background. The API
 * gets this object as its `sfn`, so its start and cancel routes run unchanged.
 */
export class LocalWorkflows {
  private readonly executions = new Map<string, Known>();

  constructor(
    private readonly runWorkflow: RunWorkflow,
    private readonly clock: { now(): Date },
    readonly stateMachineArn: string = LOCAL_STATE_MACHINE_ARN,
    private readonly onError: (name: string, error: unknown) => void = () => {},
    private readonly decisions?: TaskDecisions,
  ) {}

  send(command: StartExecutionCommand): Promise<StartExecutionCommandOutput>;
  send(command: DescribeExecutionCommand): Promise<DescribeExecutionCommandOutput>;
  send(command: StopExecutionCommand): Promise<StopExecutionCommandOutput>;
  send(command: SendTaskSuccessCommand | SendTaskFailureCommand): Promise<unknown>;
  async send(command: Command): Promise<unknown> {
    // The approval route's decision (SendTaskSuccess/Failure), refused as AWS refuses a stale token.
    if (command instanceof SendTaskSuccessCommand || command instanceof SendTaskFailureCommand) {
      if (!this.decisions) throw new Error('this local Step Functions has no task tokens');
      return this.decisions.send(command);
    }
    if (command instanceof StartExecutionCommand) return this.start(command);
    if (command instanceof DescribeExecutionCommand) return this.describe(command.input.executionArn ?? '');
    if (command instanceof StopExecutionCommand) return this.stop(command.input.executionArn ?? '');
    throw new Error(`the local Step Functions does not answer ${(command as object).constructor.name}`);
  }

  /** Resolves when every execution started so far has ended (the server's shutdown waits for it). */
  async settled(): Promise<void> {
    await Promise.all([...this.executions.values()].map((known) => known.done));
  }

  /** Stops every running execution (the server is shutting down). */
  stopAll(): void {
    for (const known of this.executions.values()) known.stop.abort();
  }

  private start(command: StartExecutionCommand): StartExecutionCommandOutput {
    const { stateMachineArn, name, input } = command.input;
    if (stateMachineArn !== this.stateMachineArn) {
      throw new ExecutionDoesNotExist({ message: `State Machine Does Not Exist: '${stateMachineArn}'`, $metadata: {} });
    }
    if (!name) throw new Error('StartExecution without a name: the API always names its executions');
    const executionArn = executionArnOf(this.stateMachineArn, name);
    if (this.executions.has(executionArn)) {
      throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${executionArn}'`, $metadata: {} });
    }
    const stop = new AbortController();
    const known: Known = {
      name,
      input: input ?? '{}',
      status: 'RUNNING',
      startDate: this.clock.now(),
      stop,
      done: Promise.resolve(),
    };
    known.done = this.runWorkflow({ name, input: JSON.parse(known.input), signal: stop.signal }).then(
      (ending) => {
        Object.assign(known, {
          status: ending.status,
          ...(ending.error ? { error: ending.error } : {}),
          ...(ending.cause ? { cause: ending.cause } : {}),
          stopDate: this.clock.now(),
        });
      },
      (error: unknown) => {
        this.onError(name, error);
        Object.assign(known, {
          status: 'FAILED',
          error: 'LocalEngineError',
          cause: (error as Error).message,
          stopDate: this.clock.now(),
        });
      },
    );
    this.executions.set(executionArn, known);
    return { $metadata: {}, executionArn, startDate: known.startDate };
  }

  private describe(executionArn: string): DescribeExecutionCommandOutput {
    const known = this.known(executionArn);
    return describeExecutionOutput(executionArn, this.stateMachineArn, known);
  }

  private stop(executionArn: string): StopExecutionCommandOutput {
    const known = this.known(executionArn);
    known.stop.abort();
    return { $metadata: {}, stopDate: this.clock.now() };
  }

  private known(executionArn: string): Known {
    const known = this.executions.get(executionArn);
    if (!known) {
      throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${executionArn}'`, $metadata: {} });
    }
    return known;
  }
}
