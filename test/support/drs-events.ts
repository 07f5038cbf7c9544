/**
 * The DRS EventBridge event "DRS Source Server Launch Result" as the DRS User Guide documents it
 * (test/fixtures/drs-model/events/drs-source-server-launch-result.json names the source). The
 * launch-events function parses it at its boundary with this schema; the contract test checks the
 * schema against the documented samples.
 */
export {
  type LaunchResultEvent as SourceServerLaunchResultEvent,
  launchResultEventSchema as sourceServerLaunchResultEvent,
} from '../../functions/shared/launch-result-event';
