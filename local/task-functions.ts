import { admitWave } from '../functions/admit-wave/admit-wave';
import { awaitLaunch } from '../functions/await-launch/await-launch';
import { beginExecution } from '../functions/begin-execution/begin-execution';
import { checkDrillCleanup } from '../functions/check-drill-cleanup/check-drill-cleanup';
import { classifyWave } from '../functions/classify-wave/classify-wave';
import { finishExecution } from '../functions/finish-execution/finish-execution';
import { type RequestApprovalDeps, requestApproval } from '../functions/request-approval/request-approval';
import type { TaskDeps } from '../functions/shared/clients';
import { startWave } from '../functions/start-wave/start-wave';
import { terminateDrillInstances } from '../functions/terminate-drill-instances/terminate-drill-instances';
import { waveActions } from '../functions/wave-actions/wave-actions';
import { ASL_PATH, CLEANUP_ASL_PATH } from '../statemachine/definition';

/** What the local stack gives its task functions: the tasks' deps, and the gate's notifier and Step Functions. */
export type LocalTaskDeps = TaskDeps & Pick<RequestApprovalDeps, 'notify' | 'sfn'>;

/**
 * The task function behind each ASL placeholder: the same factories the Lambda entry points
 * (`functions/<task>/handler.ts`) bind to their environment. Each function's name is its
 * placeholder without `FunctionArn`.
 */
export type TaskFactory = (deps: LocalTaskDeps) => (event: never) => Promise<unknown>;

export const TASK_FUNCTIONS: Record<string, TaskFactory> = {
  BeginExecutionFunctionArn: beginExecution,
  StartWaveFunctionArn: startWave,
  ClassifyWaveFunctionArn: classifyWave,
  FinishExecutionFunctionArn: finishExecution,
  RequestApprovalFunctionArn: requestApproval,
  WaveActionsFunctionArn: waveActions,
  AwaitLaunchFunctionArn: awaitLaunch,
  AdmitWaveFunctionArn: admitWave,
};

export const localFunctionArn = (placeholder: string) =>
  `arn:aws:lambda:us-east-1:000000000000:function:drs-orchestrator-local-${placeholder.replace(/FunctionArn$/, '')}`;

/** The drill cleanup workflow's tasks, bound the same way. */
export const CLEANUP_TASK_FUNCTIONS: Record<string, TaskFactory> = {
  TerminateDrillInstancesFunctionArn: terminateDrillInstances,
  CheckDrillCleanupFunctionArn: checkDrillCleanup,
};

/** A workflow definition the local engine runs, and the task code behind its placeholders. */
export interface LocalWorkflow {
  aslPath: string;
  tasks: Record<string, TaskFactory>;
}

export const RECOVERY_WORKFLOW: LocalWorkflow = { aslPath: ASL_PATH, tasks: TASK_FUNCTIONS };
export const CLEANUP_WORKFLOW: LocalWorkflow = { aslPath: CLEANUP_ASL_PATH, tasks: CLEANUP_TASK_FUNCTIONS };
