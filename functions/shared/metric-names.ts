/** The custom metrics (CloudWatch EMF) the functions emit; the stack's dashboard and alarms name the same strings. */
export const METRIC = {
  executionCompleted: 'ExecutionCompleted',
  executionFailed: 'ExecutionFailed',
  executionTimedOut: 'ExecutionTimedOut',
  executionCancelled: 'ExecutionCancelled',
  waveDurationSeconds: 'WaveDurationSeconds',
  serversLaunched: 'ServersLaunched',
  serversFailed: 'ServersFailed',
} as const;

export const METRICS_NAMESPACE = 'DrsOrchestrator';
