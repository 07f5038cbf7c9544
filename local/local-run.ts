import type { Job } from '@aws-sdk/client-drs';
import type { Notification } from '../functions/execution-events/notification';
import type { TaskDeps } from '../functions/shared/clients';
import type { ExecutionResult, ServerStatus, WaveResult } from '../functions/shared/types';
import type { LocalApprovals } from './approvals';
import type { DrsCounts } from './drs-simulator';
import type { EngineEnding, EngineOptions } from './engine';
import type { RoutedLaunchEvent } from './event-routing';
import type { ActionInvocation } from './wave-action-runner';

// What a local execution is asked to do and what it hands back: the records, the workflow's own ending
// and the simulator's ground truth, so tests can compare what was recorded with what really happened.

export interface ExecuteOptions extends EngineOptions {
  /** The execution's name; by default the API's naming, with the stack's execution count as its hex. */
  executionName?: string;
  /** Who decides at the plan's approval gates (the scenario's `approvals` unless given). */
  approvals?: LocalApprovals;
  /** A DRILL: clean up on demand right after it ends (`run --cleanup-now`), instead of leaving it SCHEDULED. */
  cleanupNow?: boolean;
}

/** The `--json` result of a local run: the records, with every server, plus the simulator's own counts. */
export type LocalRunResult = Omit<ExecutionResult, 'waves'> & {
  waves: (WaveResult & { servers: ServerStatus[] })[];
  drs: DrsCounts;
};

export interface LocalRun {
  result: LocalRunResult;
  /** How the workflow itself ended, for tests that compare it with the records. */
  workflow: EngineEnding;
  /** The simulator's ground truth: every job DRS created. */
  jobs: Job[];
  simulatedSeconds: number;
  /** How many times each Task state's code ran (retries and the engine's stray Map iterations included). */
  taskCalls: Record<string, number>;
  /** How many times each Task state was retried by the workflow's Retry rules. */
  retries: Record<string, number>;
  /** The history events Step Functions would have written (it fails an execution past 25,000). */
  historyEvents: number;
  /** What subscribers would have been told (the SNS topic on AWS). */
  notifications: Notification[];
  /** Every invocation of a wave action's function in this execution (the simulated runner's ground truth). */
  actionInvocations: ActionInvocation[];
  /** The execution's records as the run left them (the report is built from them); absent if it has none. */
  records?: Awaited<ReturnType<TaskDeps['store']['loadExecution']>>;
  /** DRS's launch result events of this execution's jobs, and how the local EventBridge delivered them. */
  launchEvents: RoutedLaunchEvent[];
}
