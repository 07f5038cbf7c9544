export type { DrsCounts } from './counts';
export { DrsApiError, type DrsErrorType, DrsSimulatorAlreadyStarted } from './errors';
export type { StartRecoveryRequest } from './job-lifecycle';
export { DEFAULT_RAW_ERROR } from './job-log';
export { DRS_OPERATIONS, type DrsOperation } from './requests';
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
export { DrsSimulator, type DrsSimulatorOptions } from './server';
export { POST_LAUNCH_ACTIONS_SECONDS, TERMINATE_JOB_SECONDS } from './timeline';
export type { DrsResponse } from './wire';
export { World, type WorldOptions } from './world';
