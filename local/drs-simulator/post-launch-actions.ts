/**
 * The post-launch actions of a LAUNCHED server: fixed SSM actions (one required, one optional)
 * whose runs end as the scenario says. As on DRS, no run exists until DRS has discovered the SSM
 * agent on the recovered instance (`postLaunchActionsStartAfterSeconds` after launch, 60 by
 * default): until then `runs` is empty. Then the runs are IN_PROGRESS for 30 simulated seconds and
 * end. They keep running after the job completes, so they follow the clock itself.
 */
import type { LaunchAction, LaunchActionRun, LaunchActionsStatus } from '@aws-sdk/client-drs';
import { deterministicUuid, iso } from './ids';
import type { LaunchJob, Participant } from './records';
import type { PostLaunchActionsOutcome } from './scenario';
import { POST_LAUNCH_ACTIONS_SECONDS } from './timeline';

// Field formats as the DRS API Reference gives them (LaunchAction, LaunchActionRun): UUID action and
// run IDs, `order` 2-10000 (1 is DRS's own), failure reasons of at most 256 characters of
// [0-9a-zA-Z ():/.,'-_#*;] (no double quotes).
const REQUIRED_ACTION: LaunchAction = {
  actionId: deterministicUuid('action/validate-application'),
  actionCode: 'AWS-RunShellScript',
  type: 'SSM_COMMAND',
  name: 'Validate application health',
  active: true,
  order: 2,
  actionVersion: '$DEFAULT',
  optional: false,
  parameters: {},
  description: 'Checks that the recovered application answers its health check',
  category: 'VALIDATION',
};

const OPTIONAL_ACTION: LaunchAction = {
  actionId: deterministicUuid('action/install-monitoring'),
  actionCode: 'AWS-ConfigureAWSPackage',
  type: 'SSM_COMMAND',
  name: 'Install monitoring agent',
  active: true,
  order: 3,
  actionVersion: '$DEFAULT',
  optional: true,
  parameters: {},
  description: 'Installs the monitoring agent on the recovered instance',
  category: 'MONITORING',
};

const REQUIRED_FAILURE =
  'Step ValidateApplicationHealth failed: command exited with code 1 (GET http://localhost/healthz returned 503)';
const OPTIONAL_FAILURE =
  'Package AmazonCloudWatchAgent failed to install: the instance has no route to the package repository';

/** The actions configured for a server (what ListLaunchActions lists), by the scenario's outcome of their runs. */
export function configuredActions(outcome: PostLaunchActionsOutcome): LaunchAction[] {
  const actions =
    outcome === 'NONE' ? [] : outcome === 'OPTIONAL_FAILED' ? [REQUIRED_ACTION, OPTIONAL_ACTION] : [REQUIRED_ACTION];
  return actions.map((action) => ({ ...action, parameters: {} }));
}

/** The post-launch actions: none until the SSM agent is discovered, then runs IN_PROGRESS for 30 s, then their final status. */
export function launchActionsStatus(p: Participant, job: LaunchJob, now: number): LaunchActionsStatus {
  const outcome: PostLaunchActionsOutcome = p.launch.postLaunchActions;
  const discoveredMs = p.terminalMs + p.launch.postLaunchActionsStartAfterSeconds * 1000;
  if (outcome === 'NONE' || now < discoveredMs) {
    return { runs: [] };
  }
  const finals: { action: LaunchAction; status: 'SUCCEEDED' | 'FAILED'; failureReason?: string }[] =
    outcome === 'SUCCEEDED'
      ? [{ action: REQUIRED_ACTION, status: 'SUCCEEDED' }]
      : outcome === 'FAILED'
        ? [{ action: REQUIRED_ACTION, status: 'FAILED', failureReason: REQUIRED_FAILURE }]
        : [
            { action: REQUIRED_ACTION, status: 'SUCCEEDED' },
            { action: OPTIONAL_ACTION, status: 'FAILED', failureReason: OPTIONAL_FAILURE },
          ];
  const finished = now >= discoveredMs + POST_LAUNCH_ACTIONS_SECONDS * 1000;
  const runs: LaunchActionRun[] = finals.map((run) => ({
    action: { ...run.action, parameters: {} },
    runId: deterministicUuid(`${job.jobID}/${p.sourceServerID}/${run.action.actionId}`),
    status: finished ? run.status : 'IN_PROGRESS',
    ...(finished && run.failureReason !== undefined ? { failureReason: run.failureReason } : {}),
  }));
  return { ssmAgentDiscoveryDatetime: iso(discoveredMs), runs };
}
