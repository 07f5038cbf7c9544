/**
 * How jobs come to exist: the checks DRS makes before it accepts StartRecovery or
 * TerminateRecoveryInstances, and the record of when each server and instance will change.
 * Everything about a job's future is decided here, when it is created; reads only compare
 * those times with the clock.
 */
import { DrsApiError } from './errors';
import { instanceIdFor, jobIdFor } from './ids';
import { jobServerIDs, type LaunchJob, type Participant, type TerminateJob, type WorldState } from './records';
import {
  DEFAULT_LAUNCH_AFTER_SECONDS,
  DEFAULT_POST_LAUNCH_ACTIONS_START_AFTER_SECONDS,
  DEFAULT_QUOTAS,
  type Scenario,
  type ScenarioLaunch,
  type ScenarioOtherJob,
} from './scenario';
import { JOB_STARTS_AFTER_SECONDS, LAUNCH_IN_PROGRESS_AFTER_SECONDS, TERMINATE_JOB_SECONDS } from './timeline';

export interface StartRecoveryRequest {
  sourceServerIDs: string[];
  isDrill: boolean;
  tags: Record<string, string>;
}

/**
 * Records a LAUNCH job and the instances its launches create. The caller has checked the
 * request's shape (1–200 unique IDs); this checks what only the world knows: the DRS quotas, that
 * every server exists and that none is in a job that has not completed.
 */
export function createLaunchJob(
  state: WorldState,
  scenario: Scenario,
  request: StartRecoveryRequest,
  now: number,
): LaunchJob {
  const quotas = scenario.quotas ?? DEFAULT_QUOTAS;
  if (request.sourceServerIDs.length > quotas.maxServersPerJob) {
    throw quotaExceeded(
      `Cannot start a job with ${request.sourceServerIDs.length} source servers: the quota of source servers in a single job is ${quotas.maxServersPerJob}`,
    );
  }
  const unknown = request.sourceServerIDs.filter((id) => !state.inventory.has(id));
  if (unknown.length > 0) {
    throw DrsApiError.validation(
      `Source server${unknown.length === 1 ? '' : 's'} not found: ${unknown.join(', ')}`,
      'other',
      unknown.map((id) => ({ name: 'sourceServers', message: `Source server ${id} does not exist` })),
    );
  }
  for (const id of request.sourceServerIDs) {
    const busy = state.jobs.find((job) => job.completedMs > now && jobServerIDs(job).includes(id));
    if (busy !== undefined) {
      throw new DrsApiError(
        'ConflictException',
        `Source server ${id} is already participating in job ${busy.jobID}, which has not completed`,
        { resourceId: id, resourceType: 'SOURCE_SERVER' },
      );
    }
  }

  checkRunningJobQuotas(state, scenario, request.sourceServerIDs.length, now);

  const seq = state.jobs.length + 1;
  const jobID = jobIdFor(seq, state.idSeed);
  const participants: Participant[] = [];
  const skipped: LaunchJob['skipped'] = [];
  for (const sourceServerID of request.sourceServerIDs) {
    const launch = launchFor(scenario, sourceServerID);
    if (launch.omitFromJob) {
      continue;
    }
    if (launch.result === 'SKIPPED') {
      // DRS logs SERVER_SKIPPED as the job starts and never launches the server.
      skipped.push({ sourceServerID, launch, atMs: now + JOB_STARTS_AFTER_SECONDS * 1000 });
      continue;
    }
    const afterMs = launch.afterSeconds * 1000;
    const participant: Participant = {
      sourceServerID,
      launch,
      inProgressMs: now + Math.min(LAUNCH_IN_PROGRESS_AFTER_SECONDS * 1000, afterMs / 2),
      terminalMs: launch.result === 'STUCK' ? Number.POSITIVE_INFINITY : now + afterMs,
    };
    if (launch.result === 'LAUNCHED' || launch.result === 'TERMINATED') {
      state.instanceCount += 1;
      participant.recoveryInstanceID = instanceIdFor(state.instanceCount, state.idSeed);
    }
    participants.push(participant);
  }
  const allTerminalMs = [...participants.map((p) => p.terminalMs), ...skipped.map((s) => s.atMs)].reduce(
    (latest, ms) => Math.max(latest, ms),
    now,
  );
  const deadlineMs =
    scenario.jobCompletesAfterSeconds === undefined
      ? Number.POSITIVE_INFINITY
      : now + scenario.jobCompletesAfterSeconds * 1000;
  const job: LaunchJob = {
    kind: 'LAUNCH',
    seq,
    jobID,
    createdMs: now,
    completedMs: Math.min(allTerminalMs, deadlineMs),
    isDrill: request.isDrill,
    tags: { ...request.tags },
    participants,
    skipped,
  };
  state.jobs.push(job);
  for (const p of participants) {
    // A launch the job's completion cut short never creates its instance.
    if (p.recoveryInstanceID !== undefined && p.terminalMs <= job.completedMs) {
      state.instances.push({
        recoveryInstanceID: p.recoveryInstanceID,
        sourceServerID: p.sourceServerID,
        jobID,
        isDrill: request.isDrill,
        launchedMs: p.terminalMs,
        terminatingMs: p.launch.result === 'TERMINATED' ? p.terminalMs : Number.POSITIVE_INFINITY,
        terminatedMs: p.launch.result === 'TERMINATED' ? p.terminalMs : Number.POSITIVE_INFINITY,
      });
    }
  }
  return job;
}

/**
 * Records the scenario's jobs already running from something else at the start (`otherJobs`): LAUNCH
 * drill jobs whose servers (outside the inventory: not the plan's) never finish launching, that
 * complete `forSeconds` later, and that the quota check counts as every running job. No launch
 * result events: their servers reach no result.
 */
export function createOtherJobs(state: WorldState, others: readonly ScenarioOtherJob[], now: number): void {
  others.forEach((other, j) => {
    const seq = state.jobs.length + 1;
    const participants: Participant[] = Array.from({ length: other.servers }, (_, i) => ({
      sourceServerID: otherServerId(j, i),
      launch: {
        result: 'STUCK',
        afterSeconds: other.forSeconds,
        omitFromJob: false,
        postLaunchActions: 'NONE',
        postLaunchActionsStartAfterSeconds: DEFAULT_POST_LAUNCH_ACTIONS_START_AFTER_SECONDS,
      },
      inProgressMs: now + LAUNCH_IN_PROGRESS_AFTER_SECONDS * 1000,
      terminalMs: Number.POSITIVE_INFINITY,
    }));
    state.jobs.push({
      kind: 'LAUNCH',
      seq,
      jobID: jobIdFor(seq, state.idSeed),
      createdMs: now,
      completedMs: now + other.forSeconds * 1000,
      isDrill: true,
      tags: {},
      participants,
      skipped: [],
    });
  });
}

/** A source server ID of an other job (`s-` and 17 letters or digits), never one of a plan's (they start `o`). */
const otherServerId = (job: number, server: number) =>
  `s-o${job.toString(36).padStart(4, '0')}${server.toString(36).padStart(12, '0')}`;

/**
 * Records a TERMINATE job for recovery instances that have launched, and moves their end to the
 * job's end. The caller has checked 1–200 unique IDs. An instance that is already terminated is
 * accepted and left as it is; one that another job is still terminating is a conflict.
 */
export function createTerminateJob(
  state: WorldState,
  scenario: Scenario,
  recoveryInstanceIDs: string[],
  now: number,
): TerminateJob {
  const visible = new Map(
    state.instances.filter((i) => i.launchedMs <= now).map((i) => [i.recoveryInstanceID, i] as const),
  );
  const unknown = recoveryInstanceIDs.filter((id) => !visible.has(id));
  if (unknown.length > 0) {
    throw DrsApiError.validation(
      `Recovery instance${unknown.length === 1 ? '' : 's'} not found: ${unknown.join(', ')}`,
      'other',
      unknown.map((id) => ({ name: 'recoveryInstanceIDs', message: `Recovery instance ${id} does not exist` })),
    );
  }
  const targets = recoveryInstanceIDs.map((id) => visible.get(id)).filter((i) => i !== undefined);
  for (const instance of targets) {
    if (instance.terminatingMs <= now && instance.terminatedMs > now) {
      throw new DrsApiError(
        'ConflictException',
        `Recovery instance ${instance.recoveryInstanceID} is being terminated`,
        {
          resourceId: instance.recoveryInstanceID,
          resourceType: 'RECOVERY_INSTANCE',
        },
      );
    }
  }
  checkRunningJobQuotas(state, scenario, targets.length, now);
  const seq = state.jobs.length + 1;
  const job: TerminateJob = {
    kind: 'TERMINATE',
    seq,
    jobID: jobIdFor(seq, state.idSeed),
    createdMs: now,
    completedMs: now + TERMINATE_JOB_SECONDS * 1000,
    targets: targets.map((i) => ({
      recoveryInstanceID: i.recoveryInstanceID,
      sourceServerID: i.sourceServerID,
      fails: scenario.terminations?.[i.sourceServerID]?.result === 'FAILED',
    })),
  };
  state.jobs.push(job);
  const failing = new Set(job.targets.filter((t) => t.fails).map((t) => t.recoveryInstanceID));
  for (const instance of targets) {
    if (instance.terminatedMs > now && !failing.has(instance.recoveryInstanceID)) {
      instance.terminatingMs = now;
      instance.terminatedMs = job.completedMs;
    }
  }
  return job;
}

/**
 * The quotas on jobs that run at once: concurrent jobs, and source servers in all of them (DRS
 * counts every job that has not completed, TERMINATE jobs included).
 */
function checkRunningJobQuotas(state: WorldState, scenario: Scenario, servers: number, now: number): void {
  const quotas = scenario.quotas ?? DEFAULT_QUOTAS;
  const running = state.jobs.filter((job) => job.completedMs > now);
  if (running.length + 1 > quotas.maxConcurrentJobs) {
    throw quotaExceeded(
      `Cannot start another job: ${running.length} jobs are running and the quota of concurrent jobs is ${quotas.maxConcurrentJobs}`,
    );
  }
  const busy = running.reduce((n, job) => n + jobServerIDs(job).length, 0);
  if (busy + servers > quotas.maxServersInAllJobs) {
    throw quotaExceeded(
      `Cannot start a job with ${servers} source servers: ${busy} source servers are in running jobs and the quota of source servers in all jobs is ${quotas.maxServersInAllJobs}`,
    );
  }
}

function quotaExceeded(message: string): DrsApiError {
  return new DrsApiError('ServiceQuotaExceededException', message, { serviceCode: 'drs', resourceType: 'JOB' });
}

/** The scenario's launch for a server; a server it does not name launches after 60 s, without post-launch actions. */
export function launchFor(scenario: Scenario, sourceServerID: string): ScenarioLaunch {
  return (
    scenario.launches[sourceServerID] ?? {
      result: 'LAUNCHED',
      afterSeconds: DEFAULT_LAUNCH_AFTER_SECONDS,
      omitFromJob: false,
      postLaunchActions: 'NONE',
      postLaunchActionsStartAfterSeconds: DEFAULT_POST_LAUNCH_ACTIONS_START_AFTER_SECONDS,
    }
  );
}
