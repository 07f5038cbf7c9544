import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AdmissionWaits } from './records/admission-waits';
import { type DecisionDelivery, type DecisionRequest, decideApproval } from './records/approval-decision';
import type { WaveApprovalResult } from './records/approval-record';
import { type GateOpened, type GateRequest, openGate } from './records/approval-request';
import { CleanupRecords } from './records/cleanup-records';
import { completeExecution, createExecution, failExecution } from './records/execution-lifecycle';

export { STOPPED_EXECUTION_ERROR } from './records/execution-lifecycle';

import { type ExecutionRecord, getExecution, listExecutions, loadExecution } from './records/execution-records';
import { recordedServers, stampLaunchTimes } from './records/launch-times';
import { LaunchWaits } from './records/launch-waits';
import { acquirePlanLock, getPlanLock, liveHolderOf, type PlanLock, releasePlanLock } from './records/plan-lock';
import { RequiredActionsRecords } from './records/required-actions';
import { claimServers } from './records/server-claim';
import { getServerLock, releaseServerLocks, type ServerLock, serversHeldElsewhere } from './records/server-locks';
import type { RecordsTable } from './records/table';
import { WaveActionRecords } from './records/wave-actions';
import { WaveClaimSteps } from './records/wave-claim-steps';
import type { OtherJobs } from './records/wave-claims';
import { WaveOutages } from './records/wave-outages';
import { getWave, recordPoll, type WaveRecord, type WaveSpec, WaveSpecs } from './records/wave-records';
import type { ExecutionResult, ExecutionStatus, Plan, RequiredActions, ServerStatus, WaveOutage } from './types';

export type { ExecutionRecord } from './records/execution-records';
export { lockExpiresAt, type PlanLock } from './records/plan-lock';
export { toResult } from './records/result';
export { inAnotherExecution, type ServerLock } from './records/server-locks';
export { claimedJobIds, claimOf, heldJobIds, type OtherJobs, type WaveClaim } from './records/wave-claims';
export type { WaveRecord, WaveSpec } from './records/wave-records';

/**
 * The execution records in DynamoDB, and the safety invariants that live there: the one door the
 * tasks, the API and the CLI go through. Each concern has its module in `records/` (keys, plan
 * lock, execution item, wave items, completion audit, result); this class puts the steps that span
 * items in their safe order.
 *
 * The execution item is the authority on progress. Every change to it is a single-item
 * conditional write, and the invariants hold whatever the workflow does (the local engine, for
 * one, starts the next Map iteration after an iteration failed):
 * - a wave is claimed once, only while the execution is live, every wave it depends on has
 *   COMPLETED (no failure under STOP), and the running counters leave room under the quotas
 *   (`records/wave-claims.ts`): whatever order the engine runs the waves' iterations in;
 * - a claimed wave records one DRS job ID, once; its verdict gives its room back;
 * - `completedWaves` counts up by one, only after the wave's own item says COMPLETED;
 * - one live execution per plan (the plan lock), and per server (the server locks, taken when the
 *   execution records itself and given back by every ending).
 * Wave items are written in the same task, each write conditional and safe to repeat, so a
 * retried task converges on the same records.
 */
export class ExecutionStore {
  private readonly table: RecordsTable;
  private readonly specs: WaveSpecs;
  private readonly requiredActions: RequiredActionsRecords;
  private readonly outages: WaveOutages;
  private readonly actions: WaveActionRecords;
  private readonly claims: WaveClaimSteps;
  /** The drill cleanups (`records/cleanup-records.ts`). */
  readonly cleanups: CleanupRecords;
  /** Each launching wave's wait for its job's launch events (`records/launch-waits.ts`). */
  readonly launchWaits: LaunchWaits;
  /** The tokens of waves waiting in "Wait for dependencies and room" (`records/admission-waits.ts`). */
  readonly admissionWaits: AdmissionWaits;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.table = { db, tableName };
    this.cleanups = new CleanupRecords(this.table);
    this.launchWaits = new LaunchWaits(this.table);
    this.admissionWaits = new AdmissionWaits(this.table);
    this.specs = new WaveSpecs(this.table);
    this.requiredActions = new RequiredActionsRecords(this.table);
    this.outages = new WaveOutages(this.table);
    this.actions = new WaveActionRecords(this.table);
    this.claims = new WaveClaimSteps(this.table, this.specs);
  }

  // Wave actions (`records/wave-actions.ts`): an action is started once, before its invoke, and ended once.
  readonly beginWaveAction: WaveActionRecords['begin'] = (ref, at) => this.actions.begin(ref, at);
  readonly endWaveAction: WaveActionRecords['end'] = (ref, outcome, at) => this.actions.end(ref, outcome, at);
  readonly skipWaveActions: WaveActionRecords['skip'] = (refs, reason, at) => this.actions.skip(refs, reason, at);
  readonly failWaveBeforeStart: WaveActionRecords['failBeforeStart'] = (...args) =>
    this.actions.failBeforeStart(...args);
  readonly holdLaunchedWave: WaveActionRecords['holdLaunched'] = (...args) => this.actions.holdLaunched(...args);

  /** A launching wave's DRS read failed (after the SDK's retries): counted on its outage under way, or a new one. */
  recordOutage(
    executionId: string,
    index: number,
    read: { operation: string; error: string; at: Date },
  ): Promise<{ wave: WaveRecord; outage: WaveOutage }> {
    return this.outages.failedRead(executionId, index, read);
  }

  /** DRS answered a launching wave's reads again: its outage under way ends. */
  endOutage(executionId: string, index: number, at: Date): Promise<void> {
    return this.outages.answered(executionId, index, at);
  }

  /** Opens a wave's approval gate for one attempt of the gate task (`records/approval-request.ts`). */
  openGate(request: GateRequest): Promise<GateOpened> {
    return openGate(this.table, request);
  }

  /** Takes a decision on a wave's gate, once, and delivers it to the workflow (`records/approval-decision.ts`). */
  decideApproval(delivery: DecisionDelivery, request: DecisionRequest): Promise<WaveApprovalResult> {
    return decideApproval(this.table, delivery, request);
  }

  /** A wave's requested servers, name and timeout: read once, then from memory (they never change). */
  getWaveSpec(executionId: string, index: number): Promise<WaveSpec> {
    return this.specs.get(executionId, index);
  }

  /** A RECOVERY wave's required post-launch actions as recorded, or undefined before they were read from DRS. */
  getRequiredActions(executionId: string, index: number): Promise<RequiredActions | undefined> {
    return this.requiredActions.get(executionId, index);
  }

  /** Records a wave's required post-launch actions once; returns the list that stands (an earlier attempt's, if any). */
  recordRequiredActions(executionId: string, index: number, actions: RequiredActions): Promise<RequiredActions> {
    return this.requiredActions.record(executionId, index, actions);
  }

  /**
   * Records a new execution (PENDING) and its waves (NOT_STARTED), each wave with the preflight's
   * data ages and warnings for its servers. Safe to repeat for the same execution.
   */
  createExecution(args: Parameters<typeof createExecution>[1]): Promise<void> {
    return createExecution(this.table, args);
  }

  /**
   * Claims the recorded execution's servers (its first task, right after createExecution, before
   * anything is launched): a server another live execution holds is PlanNotReady naming both, and
   * two executions claiming at once never both win (see `records/server-locks.ts`). Safe to repeat.
   */
  claimServers(args: { executionId: string; plan: Plan; now: Date }): Promise<void> {
    return claimServers(this.table, this.lockHolders(), args);
  }

  /** What taking a lock over needs of the executions that hold it: their records, and ending a lost one. */
  private lockHolders() {
    return {
      get: (executionId: string) => this.getExecution(executionId),
      endLost: (lost: { executionId: string; error: string; cause: string; endedAt: Date }) =>
        this.failExecution({ ...lost, status: 'FAILED' }),
    };
  }

  /** Takes the plan's lock for an execution (see `records/plan-lock.ts` for when a lock is reclaimed). */
  acquirePlanLock(args: { planId: string; executionId: string; now: Date; expiresAt: Date }): Promise<void> {
    return acquirePlanLock(this.table, this.lockHolders(), args);
  }

  getPlanLock(planId: string): Promise<PlanLock | undefined> {
    return getPlanLock(this.table, planId);
  }

  /** Gives the plan's lock back, if this execution holds it. */
  releasePlanLock(planId: string, executionId: string): Promise<void> {
    return releasePlanLock(this.table, planId, executionId);
  }

  getServerLock(sourceServerID: string): Promise<ServerLock | undefined> {
    return getServerLock(this.table, sourceServerID);
  }

  /** The servers another live execution holds (the preflight's check; the claim itself settles a race). */
  serversHeldElsewhere(args: {
    sourceServerIDs: readonly string[];
    executionId: string;
    now: Date;
  }): Promise<Map<string, ExecutionRecord>> {
    return serversHeldElsewhere(this.table, this.lockHolders(), args);
  }

  /** Gives back an ended execution's locks: its plan's and its servers'. */
  private async releaseLocks(execution: ExecutionRecord, waves: WaveRecord[], at: Date): Promise<void> {
    await this.releasePlanLock(execution.planId, execution.executionId);
    await releaseServerLocks(this.table, execution, waves, at);
  }

  getExecution(executionId: string): Promise<ExecutionRecord | undefined> {
    return getExecution(this.table, executionId);
  }

  getWave(executionId: string, index: number): Promise<WaveRecord> {
    return getWave(this.table, executionId, index);
  }

  // Wave claims (`records/wave-claim-steps.ts`): the guard in front of every StartRecovery call.
  /** Claims a wave (WaveNotStartable, or WaveWaitingForCapacity when only room is missing); `others`: the account's other running jobs. */
  claimWave(executionId: string, index: number, startedAt: Date, deadline: Date, others?: OtherJobs): Promise<void> {
    return this.claims.claim(executionId, index, startedAt, deadline, others);
  }

  /** The claimed wave's own item: LAUNCHING with its start and deadline. Safe to repeat. */
  markWaveLaunching(executionId: string, index: number, startedAt: Date, deadline: Date): Promise<void> {
    return this.claims.markLaunching(executionId, index, startedAt, deadline);
  }

  /** Gives a claim back when DRS definitely created no job (e.g. StartRecovery was throttled), so a retry may claim again. */
  releaseClaim(executionId: string, index: number): Promise<void> {
    return this.claims.release(executionId, index);
  }

  /** Records the claimed wave's DRS job ID: once. */
  recordJob(executionId: string, index: number, jobId: string): Promise<void> {
    return this.claims.recordJob(executionId, index, jobId);
  }

  /** A wave that can never start (STOP after a failure, or a dependency failed or never started) ends NOT_STARTED. */
  skipWave(executionId: string, index: number): Promise<void> {
    return this.claims.endUnlaunched(executionId, index, 'NOT_STARTED');
  }

  /**
   * A wave whose iteration ended FAILED without a launch (a rejected or timed-out gate, a task error
   * before its claim): recorded on its claim so its dependants see it ended. Safe to repeat.
   */
  failUnlaunchedWave(executionId: string, index: number): Promise<void> {
    return this.claims.endUnlaunched(executionId, index, 'FAILED');
  }

  /** A ready wave without room is marked WAITING_FOR_CAPACITY on its claim (`waiting`), or the mark goes once admitted. */
  markWaitingForCapacity(executionId: string, index: number, waiting: boolean): Promise<void> {
    return this.claims.markWaiting(executionId, index, waiting);
  }

  /** The execution's waves as the admission rule sees them (`wave-admission.ts`), in plan order. */
  admissionWaves(executionId: string) {
    return this.claims.admissionWaves(executionId);
  }

  /** `admissionWaves` and the limit DRS's quota refusals taught the execution (`records/learned-limits.ts`), in one read. */
  admissionView(executionId: string) {
    return this.claims.admissionView(executionId);
  }

  /** DRS refused a start for a quota with `jobs` running in the account: records that limit (only ever lowered). */
  learnDrsJobsLimit(executionId: string, jobs: number): Promise<void> {
    return this.claims.learnDrsJobsLimit(executionId, jobs);
  }

  /** Records the servers' latest launch states while the wave is still launching. */
  async recordPoll(executionId: string, index: number, servers: ServerStatus[], polledAt: Date): Promise<void> {
    const stamped = await this.withLaunchTimes(executionId, index, servers, polledAt);
    await recordPoll(this.table, executionId, index, stamped, polledAt);
  }

  /** The servers with the time each was first seen LAUNCHED, earlier times kept (`records/launch-times.ts`). */
  private async withLaunchTimes(executionId: string, index: number, servers: ServerStatus[], at: Date) {
    return stampLaunchTimes(await recordedServers(this.table, executionId, index), servers, at);
  }

  /**
   * Marks a wave COMPLETED, then counts it on the execution and gives its room back (which may let
   * its dependants be claimed). In that order, so a count always stands on a COMPLETED wave; both
   * steps are safe to repeat after a crash between them.
   */
  async completeWave(
    executionId: string,
    index: number,
    servers: ServerStatus[],
    endedAt: Date,
    startedAt?: Date,
    verdict: { reason?: string; optionalFailedServers?: string[] } = {},
  ): Promise<void> {
    const end = {
      status: 'COMPLETED' as const,
      servers: await this.withLaunchTimes(executionId, index, servers, endedAt),
      failedServers: [],
      ...(verdict.optionalFailedServers ? { optionalFailedServers: verdict.optionalFailedServers } : {}),
      reason: verdict.reason ?? `all ${servers.length} servers LAUNCHED`,
      endedAt,
    };
    await this.claims.end(executionId, index, end, startedAt);
  }

  /** Ends a launching wave as FAILED or TIMED_OUT, and its claim: its dependants can never be claimed. */
  async endWave(
    executionId: string,
    index: number,
    outcome: {
      status: 'FAILED' | 'TIMED_OUT';
      servers?: ServerStatus[];
      failedServers: string[];
      optionalFailedServers?: string[];
      reason: string;
    },
    endedAt: Date,
  ): Promise<void> {
    const servers = outcome.servers && (await this.withLaunchTimes(executionId, index, outcome.servers, endedAt));
    await this.claims.end(executionId, index, { ...outcome, ...(servers ? { servers } : {}), endedAt });
  }

  /**
   * Lists executions newest first, optionally of one plan and in one status, a page at a time.
   * `cursor` is the opaque `nextCursor` of the previous page.
   */
  listExecutions(args: {
    planId?: string;
    status?: ExecutionStatus;
    limit: number;
    cursor?: Record<string, unknown>;
  }): Promise<{ items: ExecutionRecord[]; nextCursor?: Record<string, unknown> }> {
    return listExecutions(this.table, args);
  }

  /** The plan's live execution in the records, if there is one: its lock's holder (not a read of the plan's history). */
  findLiveExecution(planId: string): Promise<ExecutionRecord | undefined> {
    return liveHolderOf(this.table, this.lockHolders(), planId);
  }

  /** Reads an execution and all its waves (with servers) in one Query. */
  loadExecution(executionId: string): Promise<{ execution: ExecutionRecord; waves: WaveRecord[] } | undefined> {
    return loadExecution(this.table, executionId);
  }

  /**
   * Ends the execution as COMPLETED, after checking the records agree (every wave COMPLETED, every
   * required server LAUNCHED); refuses with RecordsInconsistent rather than report a recovery that
   * did not happen. Gives the locks back.
   */
  completeExecution(executionId: string, endedAt: Date): Promise<ExecutionResult> {
    return completeExecution(this.table, executionId, endedAt, (e, w, at) => this.releaseLocks(e, w, at));
  }

  /**
   * Ends the execution as FAILED, TIMED_OUT or CANCELLED with its error and cause, ends any wave
   * still LAUNCHING, and gives the locks back; records an execution that failed before it was
   * recorded (an invalid plan).
   */
  failExecution(args: Parameters<typeof failExecution>[1]): Promise<ExecutionResult> {
    return failExecution(this.table, args, (e, w, at) => this.releaseLocks(e, w, at));
  }
}
