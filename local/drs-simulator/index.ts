export { DrsApiError, type DrsErrorType } from './errors';
export type { StartRecoveryRequest } from './job-lifecycle';
export { DEFAULT_RAW_ERROR } from './job-log';
export {
  defaultScenario,
  LAUNCH_RESULTS,
  type LaunchResult,
  POST_LAUNCH_ACTIONS,
  type PostLaunchActionsOutcome,
  parseScenario,
  REPLICATION_STATES,
  type ReplicationState,
  type Scenario,
  type ScenarioInput,
  ScenarioInvalid,
  type ScenarioLaunch,
  type ScenarioSourceServer,
  SOURCE_SERVER_ID_PATTERN,
} from './scenario';
export {
  DRS_OPERATIONS,
  type DrsCounts,
  type DrsOperation,
  type DrsResponse,
  DrsSimulator,
  type DrsSimulatorOptions,
} from './server';
export { POST_LAUNCH_ACTIONS_SECONDS, TERMINATE_JOB_SECONDS } from './timeline';
export { World, type WorldOptions } from './world';
