/**
 * The DRS simulator: AWS Elastic Disaster Recovery's REST-JSON API on loopback, driven by a
 * scenario and a (simulated) clock, for local drills and tests. This is its only public entry.
 *
 * - `server.ts` ties the socket to the rest: `wire.ts` (HTTP format), `requests.ts` (request
 *   shapes), `operations.ts` (handlers), `pagination.ts`, `counts.ts`, `faults.ts` (injection).
 * - `world.ts` holds the state and the clock: `records.ts` (what is remembered), `timeline.ts`
 *   (status at a time), `job-lifecycle.ts` (creating jobs), `job-log.ts`, `post-launch-actions.ts`,
 *   `render-job.ts` and `render-servers.ts` (the API's shapes), `ids.ts`, `errors.ts`.
 * - `scenario.ts` is the scenario format.
 */
export type { DrsCounts } from './counts';
export {
  DRS_ERROR_STATUS,
  DRS_MODEL_ERRORS,
  DrsApiError,
  type DrsErrorType,
  type DrsModelError,
  DrsSimulatorAlreadyStarted,
} from './errors';
export type { StartRecoveryRequest } from './job-lifecycle';
export { DEFAULT_RAW_ERROR } from './job-log';
export type { EmittedLaunchEvent } from './launch-events';
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
} from './scenario';
export { type DrsExchange, DrsSimulator, type DrsSimulatorOptions } from './server';
export { POST_LAUNCH_ACTIONS_SECONDS, TERMINATE_JOB_SECONDS } from './timeline';
export type { DrsResponse } from './wire';
export { World, type WorldOptions } from './world';
