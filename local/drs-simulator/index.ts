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
} from './scenario';
export {
  DRS_OPERATIONS,
  type DrsCounts,
  type DrsOperation,
  type DrsResponse,
  DrsSimulator,
  type DrsSimulatorOptions,
} from './server';
export {
  DEFAULT_RAW_ERROR,
  DrsApiError,
  type DrsErrorType,
  POST_LAUNCH_ACTIONS_SECONDS,
  type StartRecoveryRequest,
  TERMINATE_JOB_SECONDS,
  World,
  type WorldOptions,
} from './world';
