/**
 * The DRS simulator's model, with no HTTP: the inventory, the jobs and the recovery instances.
 * Calls record what was asked and when; every read computes the state from the clock, so
 * advancing a simulated clock is all it takes to move jobs along.
 */
import { createHash } from 'node:crypto';
import type {
  Job,
  JobLog,
  LastLaunchResult,
  LaunchAction,
  LaunchActionRun,
  LaunchActionsStatus,
  LaunchStatus,
  ParticipatingServer,
  RecoveryInstance,
  SourceServer,
  ValidationExceptionField,
} from '@aws-sdk/client-drs';
import type { Clock } from '../../functions/shared/clock';
import {
  DEFAULT_LAUNCH_AFTER_SECONDS,
  type PostLaunchActionsOutcome,
  type ReplicationState,
  type Scenario,
  type ScenarioLaunch,
} from './scenario';

/** Seconds after launch during which post-launch action runs are IN_PROGRESS. */
export const POST_LAUNCH_ACTIONS_SECONDS = 30;
/** Seconds a TERMINATE job takes. */
export const TERMINATE_JOB_SECONDS = 60;
/** Seconds from a job's creation to STARTED. */
const JOB_STARTS_AFTER_SECONDS = 1;
/** A server goes IN_PROGRESS after min(this, afterSeconds / 2). */
const LAUNCH_IN_PROGRESS_AFTER_SECONDS = 10;

export const DEFAULT_RAW_ERROR =
  'An error occurred (InsufficientInstanceCapacity) when calling the RunInstances operation: We currently do not have sufficient t3.large capacity in the Availability Zone you requested (us-east-1a).';

/** The error types the simulator returns; the HTTP layer maps each to its status code. */
export type DrsErrorType =
  | 'ValidationException'
  | 'ConflictException'
  | 'ResourceNotFoundException'
  | 'ThrottlingException'
  | 'InternalServerException'
  | 'UnknownOperationException';

/** An error as DRS would return it: the error type, the message and the extra body fields. */
export class DrsApiError extends Error {
  readonly errorType: DrsErrorType;
  readonly fields: Record<string, unknown>;
  constructor(errorType: DrsErrorType, message: string, fields: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DrsApiError';
    this.errorType = errorType;
    this.fields = fields;
  }

  static validation(
    message: string,
    reason: 'fieldValidationFailed' | 'other' | 'cannotParse' | 'unknownOperation',
    fieldList: ValidationExceptionField[] = [],
  ): DrsApiError {
    return new DrsApiError('ValidationException', message, { reason, fieldList });
  }
}

export interface WorldOptions {
  scenario: Scenario;
  clock: Clock;
  planServerIDs: readonly string[];
  region: string;
  accountId: string;
}

interface InventoryServer {
  sourceServerID: string;
  hostname: string;
  replicationState: ReplicationState;
  addedMs: number;
}

interface Participant {
  sourceServerID: string;
  launch: ScenarioLaunch;
  /** Set for LAUNCHED and TERMINATED results: the instance the launch creates. */
  recoveryInstanceID?: string;
  inProgressMs: number;
  /** When the launch reaches its result; Infinity for STUCK. */
  terminalMs: number;
}

interface LaunchJob {
  kind: 'LAUNCH';
  seq: number;
  jobID: string;
  createdMs: number;
  completedMs: number;
  isDrill: boolean;
  tags: Record<string, string>;
  participants: Participant[];
}

interface TerminateJob {
  kind: 'TERMINATE';
  seq: number;
  jobID: string;
  createdMs: number;
  completedMs: number;
  targets: { recoveryInstanceID: string; sourceServerID: string }[];
}

type JobRecord = LaunchJob | TerminateJob;

interface InstanceRecord {
  recoveryInstanceID: string;
  sourceServerID: string;
  jobID: string;
  isDrill: boolean;
  launchedMs: number;
  /** From this time on, a TERMINATE job is shutting the instance down. */
  terminatingMs: number;
  terminatedMs: number;
}

export interface StartRecoveryRequest {
  sourceServerIDs: string[];
  isDrill: boolean;
  tags: Record<string, string>;
}

export class World {
  private readonly scenario: Scenario;
  private readonly clock: Clock;
  private readonly region: string;
  private readonly accountId: string;
  private readonly inventory: Map<string, InventoryServer>;
  private readonly jobRecords: JobRecord[] = [];
  private readonly instances: InstanceRecord[] = [];
  private instanceCounter = 0;

  constructor(opts: WorldOptions) {
    this.scenario = opts.scenario;
    this.clock = opts.clock;
    this.region = opts.region;
    this.accountId = opts.accountId;
    const addedMs = this.nowMs();
    const servers: { sourceServerID: string; hostname?: string; replicationState: ReplicationState }[] =
      opts.scenario.sourceServers ??
      opts.planServerIDs.map((sourceServerID) => ({ sourceServerID, replicationState: 'CONTINUOUS' as const }));
    this.inventory = new Map(
      servers.map((server) => [
        server.sourceServerID,
        {
          sourceServerID: server.sourceServerID,
          hostname: server.hostname ?? defaultHostname(server.sourceServerID),
          replicationState: server.replicationState,
          addedMs,
        },
      ]),
    );
  }

  /** The IDs of every source server that exists in DRS, in inventory order. */
  sourceServerIDs(): string[] {
    return [...this.inventory.keys()];
  }

  /** Creates a LAUNCH job. The caller has checked the request's shape (1–200 unique IDs). */
  startRecovery(request: StartRecoveryRequest): Job {
    const unknown = request.sourceServerIDs.filter((id) => !this.inventory.has(id));
    if (unknown.length > 0) {
      throw DrsApiError.validation(
        `Source server${unknown.length === 1 ? '' : 's'} not found: ${unknown.join(', ')}`,
        'other',
        unknown.map((id) => ({ name: 'sourceServers', message: `Source server ${id} does not exist` })),
      );
    }
    const now = this.nowMs();
    for (const id of request.sourceServerIDs) {
      const busy = this.jobRecords.find((job) => job.completedMs > now && jobServerIDs(job).includes(id));
      if (busy !== undefined) {
        throw new DrsApiError(
          'ConflictException',
          `Source server ${id} is already participating in job ${busy.jobID}, which has not completed`,
          { resourceId: id, resourceType: 'SOURCE_SERVER' },
        );
      }
    }

    const seq = this.jobRecords.length + 1;
    const jobID = `drsjob-${deterministicHex(`job/${seq}`, 17)}`;
    const participants: Participant[] = [];
    for (const sourceServerID of request.sourceServerIDs) {
      const launch = this.launchFor(sourceServerID);
      if (launch.omitFromJob) {
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
        participant.recoveryInstanceID = this.nextInstanceID();
      }
      participants.push(participant);
    }
    const allTerminalMs = participants.reduce((latest, p) => Math.max(latest, p.terminalMs), now);
    const deadlineMs =
      this.scenario.jobCompletesAfterSeconds === undefined
        ? Number.POSITIVE_INFINITY
        : now + this.scenario.jobCompletesAfterSeconds * 1000;
    const job: LaunchJob = {
      kind: 'LAUNCH',
      seq,
      jobID,
      createdMs: now,
      completedMs: Math.min(allTerminalMs, deadlineMs),
      isDrill: request.isDrill,
      tags: { ...request.tags },
      participants,
    };
    this.jobRecords.push(job);
    for (const p of participants) {
      // A launch the job's completion cut short never creates its instance.
      if (p.recoveryInstanceID !== undefined && p.terminalMs <= job.completedMs) {
        this.instances.push({
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
    return this.renderJob(job, now);
  }

  /** Creates a TERMINATE job for existing recovery instances. The caller has checked 1–200 IDs. */
  terminateRecoveryInstances(recoveryInstanceIDs: string[]): Job {
    const now = this.nowMs();
    const visible = new Map(
      this.instances.filter((i) => i.launchedMs <= now).map((i) => [i.recoveryInstanceID, i] as const),
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
    const seq = this.jobRecords.length + 1;
    const job: TerminateJob = {
      kind: 'TERMINATE',
      seq,
      jobID: `drsjob-${deterministicHex(`job/${seq}`, 17)}`,
      createdMs: now,
      completedMs: now + TERMINATE_JOB_SECONDS * 1000,
      targets: targets.map((i) => ({ recoveryInstanceID: i.recoveryInstanceID, sourceServerID: i.sourceServerID })),
    };
    this.jobRecords.push(job);
    for (const instance of targets) {
      if (instance.terminatedMs > now) {
        instance.terminatingMs = now;
        instance.terminatedMs = job.completedMs;
      }
    }
    return this.renderJob(job, now);
  }

  /** Every job as DescribeJobs returns it now, newest first. */
  jobs(filter: { jobIDs?: ReadonlySet<string>; fromMs?: number; toMs?: number } = {}): Job[] {
    const now = this.nowMs();
    // Filter before rendering: a poll of one job does not render every job of a long recovery.
    return [...this.jobRecords]
      .reverse()
      .filter(
        (job) =>
          (filter.jobIDs === undefined || filter.jobIDs.has(job.jobID)) &&
          (filter.fromMs === undefined || job.createdMs >= filter.fromMs) &&
          (filter.toMs === undefined || job.createdMs <= filter.toMs),
      )
      .map((job) => this.renderJob(job, now));
  }

  /** The job's log items up to now, oldest first; undefined for an unknown job. */
  jobLog(jobID: string): JobLog[] | undefined {
    const job = this.jobRecords.find((j) => j.jobID === jobID);
    if (job === undefined) {
      return undefined;
    }
    const visibleUntil = Math.min(this.nowMs(), job.completedMs);
    const items: { ms: number; item: JobLog }[] = [{ ms: job.createdMs, item: { event: 'JOB_START' } }];
    if (job.kind === 'LAUNCH') {
      for (const p of job.participants) {
        items.push({
          ms: p.inProgressMs,
          item: { event: 'LAUNCH_START', eventData: { sourceServerID: p.sourceServerID } },
        });
        const result = p.launch.result;
        // Real DRS logs no launch-success event (the SDK's JobLogEvent has none): success shows only in launchStatus.
        if (result === 'FAILED' || result === 'TERMINATED') {
          const rawError =
            p.launch.rawError ??
            (result === 'FAILED'
              ? DEFAULT_RAW_ERROR
              : `Recovery instance ${p.recoveryInstanceID} was terminated after launch (EC2 state transition reason: Server.InternalError: Internal error on launch).`);
          items.push({
            ms: p.terminalMs,
            item: {
              event: 'LAUNCH_FAILED',
              eventData: {
                sourceServerID: p.sourceServerID,
                ...(p.recoveryInstanceID === undefined ? {} : { targetInstanceID: p.recoveryInstanceID }),
                rawError,
              },
            },
          });
        }
      }
    } else {
      for (const t of job.targets) {
        const eventData = { sourceServerID: t.sourceServerID, targetInstanceID: t.recoveryInstanceID };
        items.push({
          ms: job.createdMs + JOB_STARTS_AFTER_SECONDS * 1000,
          item: { event: 'CLEANUP_START', eventData },
        });
        items.push({ ms: job.completedMs, item: { event: 'CLEANUP_END', eventData } });
      }
    }
    items.push({ ms: job.completedMs, item: { event: 'JOB_END' } });
    return items
      .filter((entry) => entry.ms <= visibleUntil)
      .sort((a, b) => a.ms - b.ms) // stable: items at the same time keep their order (JOB_END last)
      .map((entry) => ({ logDateTime: iso(entry.ms), ...entry.item }));
  }

  /** Every source server as DescribeSourceServers returns it now, in inventory order. */
  sourceServers(): SourceServer[] {
    const now = this.nowMs();
    return [...this.inventory.values()].map((server) => this.renderSourceServer(server, now));
  }

  /** Every recovery instance that has launched by now, oldest first. */
  recoveryInstances(): RecoveryInstance[] {
    const now = this.nowMs();
    return this.instances
      .filter((i) => i.launchedMs <= now)
      .sort((a, b) => a.launchedMs - b.launchedMs)
      .map((i) => ({
        recoveryInstanceID: i.recoveryInstanceID,
        ec2InstanceID: i.recoveryInstanceID,
        ec2InstanceState: instanceState(i, now),
        jobID: i.jobID,
        sourceServerID: i.sourceServerID,
        isDrill: i.isDrill,
        arn: this.arn('recovery-instance', i.recoveryInstanceID),
        tags: {},
        originEnvironment: 'AWS',
      }));
  }

  private launchFor(sourceServerID: string): ScenarioLaunch {
    return (
      this.scenario.launches[sourceServerID] ?? {
        result: 'LAUNCHED',
        afterSeconds: DEFAULT_LAUNCH_AFTER_SECONDS,
        omitFromJob: false,
        postLaunchActions: 'NONE',
      }
    );
  }

  private renderJob(job: JobRecord, now: number): Job {
    const completed = now >= job.completedMs;
    const status = completed
      ? 'COMPLETED'
      : now >= job.createdMs + JOB_STARTS_AFTER_SECONDS * 1000
        ? 'STARTED'
        : 'PENDING';
    const rendered: Job = {
      jobID: job.jobID,
      arn: this.arn('job', job.jobID),
      type: job.kind,
      initiatedBy:
        job.kind === 'TERMINATE' ? 'TERMINATE_RECOVERY_INSTANCES' : job.isDrill ? 'START_DRILL' : 'START_RECOVERY',
      creationDateTime: iso(job.createdMs),
      ...(completed ? { endDateTime: iso(job.completedMs) } : {}),
      status,
      participatingServers:
        job.kind === 'LAUNCH'
          ? job.participants.map((p) => this.renderParticipant(p, job, now))
          : job.targets.map((t) => ({
              sourceServerID: t.sourceServerID,
              recoveryInstanceID: t.recoveryInstanceID,
              launchStatus: completed ? 'TERMINATED' : 'PENDING',
            })),
      tags: job.kind === 'LAUNCH' ? { ...job.tags } : {},
    };
    return rendered;
  }

  private renderParticipant(p: Participant, job: LaunchJob, now: number): ParticipatingServer {
    // Once the job is COMPLETED its servers no longer change, launched or not (as in DRS).
    const launchStatus = participantStatus(p, Math.min(now, job.completedMs));
    const server: ParticipatingServer = { sourceServerID: p.sourceServerID, launchStatus };
    if (p.recoveryInstanceID !== undefined && (launchStatus === 'LAUNCHED' || launchStatus === 'TERMINATED')) {
      server.recoveryInstanceID = p.recoveryInstanceID;
    }
    if (launchStatus === 'LAUNCHED') {
      // Post-launch actions keep running after the job completes, so they follow the clock itself.
      server.launchActionsStatus = launchActionsStatus(p, job, now);
    }
    return server;
  }

  private renderSourceServer(server: InventoryServer, now: number): SourceServer {
    const rendered: SourceServer = {
      sourceServerID: server.sourceServerID,
      arn: this.arn('source-server', server.sourceServerID),
      tags: {},
      lastLaunchResult: 'NOT_STARTED',
      dataReplicationInfo: { dataReplicationState: server.replicationState, replicatedDisks: [] },
      lifeCycle: { addedToServiceDateTime: iso(server.addedMs) },
      sourceProperties: { identificationHints: { hostname: server.hostname } },
      replicationDirection: 'FAILOVER',
    };
    const last = this.lastLaunchOf(server.sourceServerID);
    if (last !== undefined) {
      const { job, participant } = last;
      const launchStatus = participantStatus(participant, Math.min(now, job.completedMs));
      rendered.lastLaunchResult = lastLaunchResult(launchStatus, now >= job.completedMs);
      rendered.lifeCycle = {
        ...rendered.lifeCycle,
        lastLaunch: {
          initiated: {
            apiCallDateTime: iso(job.createdMs),
            jobID: job.jobID,
            type: job.isDrill ? 'DRILL' : 'RECOVERY',
          },
          status: launchStatus,
        },
      };
    }
    const live = this.instances
      .filter((i) => i.sourceServerID === server.sourceServerID && i.launchedMs <= now && i.terminatedMs > now)
      .at(-1);
    if (live !== undefined) {
      rendered.recoveryInstanceId = live.recoveryInstanceID;
    }
    return rendered;
  }

  private lastLaunchOf(sourceServerID: string): { job: LaunchJob; participant: Participant } | undefined {
    for (let index = this.jobRecords.length - 1; index >= 0; index--) {
      const job = this.jobRecords[index];
      if (job?.kind !== 'LAUNCH') {
        continue;
      }
      const participant = job.participants.find((p) => p.sourceServerID === sourceServerID);
      if (participant !== undefined) {
        return { job, participant };
      }
    }
    return undefined;
  }

  private nextInstanceID(): string {
    this.instanceCounter += 1;
    return `i-${deterministicHex(`instance/${this.instanceCounter}`, 17)}`;
  }

  private arn(resource: string, id: string): string {
    return `arn:aws:drs:${this.region}:${this.accountId}:${resource}/${id}`;
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }
}

function participantStatus(p: Participant, atMs: number): LaunchStatus {
  if (atMs < p.inProgressMs) {
    return 'PENDING';
  }
  if (atMs < p.terminalMs) {
    return 'IN_PROGRESS';
  }
  // STUCK never gets here (terminalMs is Infinity).
  return p.launch.result === 'FAILED' ? 'FAILED' : p.launch.result === 'TERMINATED' ? 'TERMINATED' : 'LAUNCHED';
}

function lastLaunchResult(status: LaunchStatus, jobCompleted: boolean): LastLaunchResult {
  if (status === 'LAUNCHED') {
    return 'SUCCEEDED';
  }
  if (status === 'FAILED' || status === 'TERMINATED' || jobCompleted) {
    return 'FAILED';
  }
  return 'PENDING';
}

function instanceState(instance: InstanceRecord, now: number): 'RUNNING' | 'SHUTTING-DOWN' | 'TERMINATED' {
  if (now >= instance.terminatedMs) {
    return 'TERMINATED';
  }
  return now >= instance.terminatingMs ? 'SHUTTING-DOWN' : 'RUNNING';
}

const REQUIRED_ACTION: LaunchAction = {
  actionId: 'drs-sim-validate-application',
  actionCode: 'AWS-RunShellScript',
  type: 'SSM_COMMAND',
  name: 'Validate application health',
  active: true,
  order: 1,
  actionVersion: '$DEFAULT',
  optional: false,
  parameters: {},
  description: 'Checks that the recovered application answers its health check',
  category: 'VALIDATION',
};

const OPTIONAL_ACTION: LaunchAction = {
  actionId: 'drs-sim-install-monitoring',
  actionCode: 'AWS-ConfigureAWSPackage',
  type: 'SSM_COMMAND',
  name: 'Install monitoring agent',
  active: true,
  order: 2,
  actionVersion: '$DEFAULT',
  optional: true,
  parameters: {},
  description: 'Installs the monitoring agent on the recovered instance',
  category: 'MONITORING',
};

const REQUIRED_FAILURE =
  'Step "ValidateApplicationHealth" failed: command exited with code 1 (GET http://localhost/healthz returned 503)';
const OPTIONAL_FAILURE =
  'Package "AmazonCloudWatchAgent" failed to install: the instance has no route to the package repository';

/** The post-launch actions: planned runs with their final status, IN_PROGRESS for the first 30 s after launch. */
function launchActionsStatus(p: Participant, job: LaunchJob, now: number): LaunchActionsStatus {
  const outcome: PostLaunchActionsOutcome = p.launch.postLaunchActions;
  if (outcome === 'NONE') {
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
  const finished = now >= p.terminalMs + POST_LAUNCH_ACTIONS_SECONDS * 1000;
  const runs: LaunchActionRun[] = finals.map((run) => ({
    action: { ...run.action, parameters: {} },
    runId: deterministicUuid(`${job.jobID}/${p.sourceServerID}/${run.action.actionId}`),
    status: finished ? run.status : 'IN_PROGRESS',
    ...(finished && run.failureReason !== undefined ? { failureReason: run.failureReason } : {}),
  }));
  return { ssmAgentDiscoveryDatetime: iso(p.terminalMs), runs };
}

function jobServerIDs(job: JobRecord): string[] {
  return job.kind === 'LAUNCH'
    ? job.participants.map((p) => p.sourceServerID)
    : job.targets.map((t) => t.sourceServerID);
}

function defaultHostname(sourceServerID: string): string {
  return `host-${sourceServerID.slice(-6).toLowerCase()}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function deterministicHex(seed: string, length: number): string {
  return createHash('sha256').update(`drs-simulator/${seed}`).digest('hex').slice(0, length);
}

function deterministicUuid(seed: string): string {
  const hex = deterministicHex(seed, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
