import { awaitLaunch } from '../functions/await-launch/await-launch';
import { beginExecution } from '../functions/begin-execution/begin-execution';
import { classifyWave } from '../functions/classify-wave/classify-wave';
import { finishExecution } from '../functions/finish-execution/finish-execution';
import { type RequestApprovalDeps, requestApproval } from '../functions/request-approval/request-approval';
import type { TaskDeps } from '../functions/shared/clients';
import { startWave } from '../functions/start-wave/start-wave';
import { waveActions } from '../functions/wave-actions/wave-actions';

/** What the local stack gives its task functions: the tasks' deps, and the gate's notifier and Step Functions. */
export type LocalTaskDeps = TaskDeps & Pick<RequestApprovalDeps, 'notify' | 'sfn'>;

/**
 * The task function behind each ASL placeholder: the same factories the Lambda entry points
 * (`functions/<task>/handler.ts`) bind to their environment. Each function's name is its
 * placeholder without `FunctionArn`.
 */
export const TASK_FUNCTIONS: Record<string, (deps: LocalTaskDeps) => (event: never) => Promise<unknown>> = {
  BeginExecutionFunctionArn: beginExecution,
  StartWaveFunctionArn: startWave,
  ClassifyWaveFunctionArn: classifyWave,
  FinishExecutionFunctionArn: finishExecution,
  RequestApprovalFunctionArn: requestApproval,
  WaveActionsFunctionArn: waveActions,
  AwaitLaunchFunctionArn: awaitLaunch,
};

export const localFunctionArn = (placeholder: string) =>
  `arn:aws:lambda:us-east-1:000000000000:function:drs-orchestrator-local-${placeholder.replace(/FunctionArn$/, '')}`;
