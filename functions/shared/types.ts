/** Shapes shared by the tasks, the records and the local runner. */

import type { ApprovalGate } from './approval-gate';
import type { WaveApprovalResult } from './records/approval-record';
import type { RtoCheck } from './targets';
import type { WaveAction, WaveActionPhase } from './wave-actions-schema';
import type { OnWaveFailure } from './wave-graph';

export const EXECUTION_TYPES = ['DRILL', 'RECOVERY'] as const;
export type ExecutionType = (typeof EXECUTION_TYPES)[number];

/**
 * Execution status: PENDING → POLLING (a wave is launching) → COMPLETED | FAILED | TIMED_OUT, or
 * CANCELLED when the execution was stopped (console Stop, the API's cancel).
 */
export type ExecutionStatus = 'PENDING' | 'POLLING' | 'COMPLETED' | 'FAILED' | 'TIMED_OUT' | 'CANCELLED';
export const FINAL_EXECUTION_STATUSES: readonly ExecutionStatus[] = ['COMPLETED', 'FAILED', 'TIMED_OUT', 'CANCELLED'];
/** The statuses of an execution still under way: it may claim waves and it holds its plan's lock. */
export const LIVE_EXECUTION_STATUSES: readonly ExecutionStatus[] = ['PENDING', 'POLLING'];

/** Whether an execution in this status is still under way (the one test; undefined, as for no record, is not). */
export const isLive = (status: ExecutionStatus | undefined): boolean =>
  status !== undefined && LIVE_EXECUTION_STATUSES.includes(status);

/**
 * Wave status: NOT_STARTED → LAUNCHING → COMPLETED | FAILED | TIMED_OUT; a gated wave is
 * AWAITING_APPROVAL before it starts, and back to NOT_STARTED once decided (or when the gate ends unanswered).
 * WAITING_FOR_CAPACITY: its dependencies are COMPLETED, but starting it now would exceed the DRS
 * quotas or the plan's limits (`wave-admission.ts`); it starts when a running wave frees room.
 */
export const WAVE_STATUSES = [
  'NOT_STARTED',
  'WAITING_FOR_CAPACITY',
  'AWAITING_APPROVAL',
  'LAUNCHING',
  'COMPLETED',
  'FAILED',
  'TIMED_OUT',
] as const;
export type WaveStatus = (typeof WAVE_STATUSES)[number];

/** The classifier's verdict on one poll of a wave. */
export type Verdict = 'LAUNCHING' | 'COMPLETED' | 'FAILED' | 'TIMED_OUT';

export interface PlanWave {
  name: string;
  /**
   * The wave's servers. In a plan as written, the IDs listed; once the preflight has resolved the
   * wave's tags (`withMembers`), every member: these IDs, the optional ones and the tag matches.
   */
  sourceServerIDs: string[];
  /** Selects every DRS source server that carries all these tags, resolved once when the execution starts. */
  sourceServerTags?: Record<string, string>;
  /** Launched in the wave's job, but the wave's verdict ignores their failure (reported, never hidden). */
  optionalSourceServerIDs?: string[];
  /** Set by the preflight's resolution, never in a plan: the members the wave's tags selected. */
  taggedSourceServerIDs?: string[];
  timeoutMinutes: number;
  /** A person's decision is awaited before the wave starts (`approval-gate.ts`). */
  approval?: ApprovalGate;
  /** Run in order just before the wave's DRS job starts; a failure fails the wave with nothing launched. */
  preWaveActions?: WaveAction[];
  /** Run in order once every required server LAUNCHED; a failure fails the wave unless `continueOnFailure`. */
  postWaveActions?: WaveAction[];
  /** The wave's recovery target: minutes from its start to its verdict (`targets.ts`). */
  targetMinutes?: number;
  /** The waves that must be COMPLETED before this one starts; absent: the previous wave; []: none (`wave-graph.ts`). */
  dependsOn?: string[];
}

export interface Plan {
  planId: string;
  name: string;
  pollIntervalSeconds: number;
  /** Recovery time objective: minutes from the execution's start to its last wave's verdict (`targets.ts`). */
  rtoMinutes?: number;
  /** Recovery point objective: the largest data age allowed at launch, in minutes. */
  rpoMinutes?: number;
  /** DRILL only: minutes after the end at which its recovery instances are terminated (0: on demand only). */
  drillCleanupAfterMinutes?: number;
  waves: PlanWave[];
  /** STOP (default): no new wave once one failed; CONTINUE: independent branches go on. */
  onWaveFailure?: OnWaveFailure;
  maxConcurrentWaves?: number;
  /** Default: the DRS quotas (`drs-limits.ts`). */
  maxConcurrentJobs?: number;
  maxServersInAllJobs?: number;
}

/**
 * A launching wave's progress as the workflow carries it between tasks (`$.progress`): written by
 * start-wave, then read and rewritten by each check; the Choice branches on `status`.
 */
export interface WaveProgress {
  status: Verdict;
  jobId: string;
  deadline: string;
  /** How long to wait before the next check (never past the deadline). */
  nextPollSeconds: number;
  /** How long the wave is expected to take (the previous wave's time; 0 when unknown), for the poll schedule. */
  expectedSeconds: number;
  /** When the wave was claimed (its start). */
  startedAt: string;
  /** A digest of the servers' states as last recorded ('' before the first check): a check writes only on change. */
  serversDigest: string;
  /** Requested servers by launch status (absent before the first check). */
  counts?: Record<string, number>;
  failedServers?: string[];
  /** A sentence a person can act on, for the Fail state's Cause. */
  cause?: string;
  /** While DRS does not answer the wave's reads: what failed, since when (the verdict is then the last one known). */
  outage?: string;
}

/**
 * A time DRS did not answer a launching wave's reads (DescribeJobs, ListLaunchActions): the wave
 * kept polling, backing off, until DRS answered (`until`) or the deadline came.
 */
export interface WaveOutage {
  /** The DRS operation that failed last. */
  operation: string;
  /** The first failed poll. */
  since: string;
  /** The last failed poll. */
  lastAt: string;
  /** Failed polls (each one after the SDK's own retries). */
  attempts: number;
  lastError: string;
  /** The first poll DRS answered again; absent while the outage lasts. */
  until?: string;
}

/** One server as the records and the result show it. */
export interface ServerStatus {
  sourceServerID: string;
  /** DRS launchStatus, or NOT_IN_JOB when DRS left the server out of the job. */
  launchStatus: string;
  recoveryInstanceID?: string;
  /** RECOVERY: the IDs of the server's required post-launch actions that have a SUCCEEDED run (the completion audit reads them). */
  succeededActions?: string[];
  /** When a check first saw the server LAUNCHED (`records/launch-times.ts`): the report's launch mark. */
  launchedAt?: string;
}

/** The part of a DRS Job the classifier needs, as the poll task hands it on. */
export interface JobSnapshot {
  jobID: string;
  status: string;
  participatingServers: JobServer[];
}

export interface JobServer {
  sourceServerID: string;
  launchStatus: string;
  recoveryInstanceID?: string;
  launchActionsStatus?: { runs: ActionRun[] };
}

export interface ActionRun {
  status: string;
  /** The action this run is of (`action.actionId`), to match it with the server's required actions. */
  actionId?: string;
  actionName?: string;
  optional: boolean;
  failureReason?: string;
}

/**
 * A post-launch action a server must run in a RECOVERY (ListLaunchActions: `active` and not
 * `optional`). A wave is COMPLETED only when each has a SUCCEEDED run.
 */
export interface RequiredAction {
  actionId: string;
  name?: string;
}

/** Each requested server's required post-launch actions, by source server ID (an empty list: none). */
export type RequiredActions = Readonly<Record<string, readonly RequiredAction[]>>;

/** How old a server's data is: the recovery point it is launched from, in seconds before the execution started. */
export interface ServerDataAge {
  sourceServerID: string;
  dataAgeSeconds: number;
}

/**
 * The recovery point an execution reports: the oldest data among its servers, and each server's.
 * `servers` is left out only of the workflow's own output (as the waves' servers are, to stay
 * within Step Functions' 256 KiB); the records' result, the API and `--json` carry it.
 */
export interface RecoveryPoint {
  maxDataAgeSeconds: number;
  servers?: ServerDataAge[];
  /** The plan's `rpoMinutes` (null: none). */
  targetMinutes?: number | null;
  /** Whether the oldest data launched is within `rpoMinutes` (null: no target, or no data age known). */
  met?: boolean | null;
}

/**
 * A wave action as the result reports it. SUCCEEDED, FAILED (a thrown error, a timeout, `ok: false`,
 * a malformed answer, or an outcome never learnt) or SKIPPED (an earlier action of the wave failed);
 * RUNNING only while it runs.
 */
export interface WaveActionResult {
  name: string;
  phase: WaveActionPhase;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED';
  message?: string;
  startedAt?: string;
  endedAt?: string;
  /** A failure the plan lets the wave go on after (`continueOnFailure`): the result warns about it. */
  continueOnFailure?: boolean;
}

/** What the workflow, the records and `--json` report for a wave. */
export interface WaveResult {
  index: number;
  name: string;
  status: WaveStatus;
  /** The waves this one waits for, resolved: the plan's `dependsOn`, else the previous wave ([] for the first, or none). */
  dependsOn: string[];
  jobId?: string;
  /** Required servers that did not launch (the wave FAILED because of them). */
  failedServers: string[];
  /** Optional servers that did not launch: the wave's verdict ignores them; the result's `warnings` name them too. */
  optionalFailedServers: string[];
  /** The wave's tags as the plan gave them, when it selects servers by tag. */
  sourceServerTags?: Record<string, string>;
  /** The members the tags selected when the execution started (they are in `servers` like the others). */
  taggedSourceServerIDs?: string[];
  /** The wave's optional members. */
  optionalSourceServerIDs?: string[];
  reason?: string;
  /** When the wave was claimed (ISO; absent until it starts). */
  startedAt?: string;
  /** When its verdict was recorded (ISO; absent until it ends). Waves end in any order; `waves` stays in plan order. */
  endedAt?: string;
  servers?: ServerStatus[];
  /** The DRS outages the wave lived through while launching (absent: none). */
  outages?: WaveOutage[];
  /** A gated wave's approval: asked when, decided how, by whom, when (`records/approval-record.ts`). */
  approval?: WaveApprovalResult;
  /** The wave's actions that ran, run or were skipped, pre-wave first (absent: the wave has none). */
  actions?: WaveActionResult[];
  /** The wave's target in minutes, from its start to its verdict (null: none). */
  targetMinutes: number | null;
  /** Whether the wave met its target (null: no target, or not decided yet); a miss never fails the wave. */
  targetMet: boolean | null;
}

/** Where a DRILL's cleanup stands (a RECOVERY's is NOT_APPLICABLE: nothing of it is ever terminated). */
export const CLEANUP_STATUSES = ['NOT_APPLICABLE', 'SCHEDULED', 'RUNNING', 'DONE', 'FAILED'] as const;
export type CleanupStatus = (typeof CLEANUP_STATUSES)[number];

/** A recovery instance the cleanup could not terminate, and why. */
export interface CleanupFailure {
  recoveryInstanceID: string;
  reason: string;
}

/**
 * The drill cleanup as the result shows it (docs/cleanup.md). `scheduledFor` is null while the
 * drill runs, and for good when the plan keeps its instances until a cleanup on demand
 * (`drillCleanupAfterMinutes: 0`).
 */
export interface DrillCleanup {
  status: CleanupStatus;
  scheduledFor: string | null;
  terminatedInstanceIDs: string[];
  failed: CleanupFailure[];
}

export interface ExecutionResult {
  executionId: string;
  executionArn?: string;
  planId: string;
  executionType: ExecutionType | string;
  status: ExecutionStatus;
  startedAt?: string;
  endedAt?: string;
  error?: string;
  cause?: string;
  /** The recovery time against the plan's `rtoMinutes` (`targets.ts`); a miss never fails the execution. */
  rto: RtoCheck;
  /** The recovery point (see {@link RecoveryPoint}); zero and no servers when nothing was checked. */
  rpo: RecoveryPoint;
  /** What an operator must know although nothing failed (e.g. a RECOVERY from an old snapshot); empty when none. */
  warnings: string[];
  waves: WaveResult[];
  /**
   * The drill cleanup: what was (or will be) terminated, when, and what could not be. Every result
   * read from the records has it (`toResult`); only a result made up without records lacks it.
   */
  cleanup?: DrillCleanup;
}
