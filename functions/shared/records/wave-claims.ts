import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ON_WAVE_FAILURE, type OnWaveFailure, type PlanScheduling, schedulingOf } from '../wave-graph';
import { executionKey } from './keys';
import { effectiveScheduling, type LearnedLimits, learnedLimitCondition } from './learned-limits';
import { LIVE_CONDITION, type RecordsTable } from './table';

/**
 * Each wave's claim on the execution item (issue 12): the execution item is the authority on every
 * wave's progress, so that every invariant is one single-item conditional write (dynalite has no
 * transactions). The item holds a small entry per wave that has left the waiting state, under
 * `waves.<index>`, and the running-capacity counters of this execution:
 * - `runningWaves`: waves holding room (claimed, no verdict yet): each is, or is about to be, one DRS job;
 * - `runningServers`: the servers of those waves' jobs;
 * - `failedWaves`: waves that ended FAILED or TIMED_OUT (a STOP plan starts no wave after one).
 * A wave with no entry, or a WAITING_FOR_CAPACITY entry, is waiting (NOT_STARTED, or AWAITING_APPROVAL
 * on its own item).
 */

/**
 * The claim-side state of a wave: WAITING_FOR_CAPACITY is a waiting wave that an admission round found
 * ready but without room (it holds none, and may still be claimed or skipped); LAUNCHING holds room;
 * every other state is an end (NOT_STARTED: never started).
 */
export const WAVE_CLAIM_STATUSES = [
  'WAITING_FOR_CAPACITY',
  'LAUNCHING',
  'COMPLETED',
  'FAILED',
  'TIMED_OUT',
  'NOT_STARTED',
] as const;
export type WaveClaimStatus = (typeof WAVE_CLAIM_STATUSES)[number];

export interface WaveClaim {
  status: WaveClaimStatus;
  /** When it was claimed: a retried start looks for the wave's job among jobs created since. */
  claimedAt?: string;
  /** The servers its job carries: the room it holds in `runningServers` until its verdict. */
  servers: number;
  /** Its DRS job, once StartRecovery returned it: set once, never a second job for the wave. */
  jobId?: string;
}

export const waveClaimSchema: z.ZodType<WaveClaim> = z.object({
  status: z.enum(WAVE_CLAIM_STATUSES),
  claimedAt: z.string().optional(),
  servers: z.number().int(),
  jobId: z.string().optional(),
});

export const schedulingSchema: z.ZodType<PlanScheduling> = z.object({
  onWaveFailure: z.enum(ON_WAVE_FAILURE),
  maxConcurrentWaves: z.number().int().optional(),
  maxConcurrentJobs: z.number().int(),
  maxServersInAllJobs: z.number().int(),
});

/** The claim fields of the execution item, as a new execution records them. */
export interface ClaimFields extends LearnedLimits {
  waves?: Record<string, WaveClaim>;
  runningWaves?: number;
  runningServers?: number;
  failedWaves?: number;
  /** The plan's scheduling with its defaults, copied when the execution starts (absent on older records: the defaults). */
  scheduling?: PlanScheduling;
}

export const claimFieldsShape = {
  waves: z.record(z.string(), waveClaimSchema).optional(),
  runningWaves: z.number().int().optional(),
  runningServers: z.number().int().optional(),
  failedWaves: z.number().int().optional(),
  scheduling: schedulingSchema.optional(),
  drsJobsLimit: z.number().int().optional(),
};

export const initialClaimFields = (
  plan: Parameters<typeof schedulingOf>[0],
): Required<Omit<ClaimFields, keyof LearnedLimits>> => ({
  waves: {},
  runningWaves: 0,
  runningServers: 0,
  failedWaves: 0,
  scheduling: schedulingOf(plan),
});

/** Jobs running in the account that are not this execution's (DescribeJobs): they count against the quotas. */
export interface OtherJobs {
  jobs: number;
  servers: number;
}

export const NO_OTHER_JOBS: OtherJobs = { jobs: 0, servers: 0 };

/** What a claim needs to know of the wave: its dependencies (indices) and its job's size. */
export interface ClaimedWaveSpec {
  dependsOn: readonly number[];
  servers: number;
}

/** Wave `#w` is still waiting: no entry, or only the WAITING_FOR_CAPACITY mark (`#st` status, `:waiting`). */
const WAITING_CONDITION = '(attribute_not_exists(waves.#w) OR waves.#w.#st = :waiting)';

/**
 * The names and values of "wave `index` may start": the execution is live, the wave has no entry
 * (never claimed, never ended), every wave it depends on is COMPLETED and, under STOP, no wave has
 * failed. Shared by the claim and by the approval gate (a gate opens only for a startable wave).
 */
export function startableCondition(index: number, dependsOn: readonly number[], onWaveFailure: OnWaveFailure) {
  // DynamoDB refuses a name or value the expressions do not use: each is added with its use.
  const names: Record<string, string> = { '#status': 'status', '#w': String(index), '#st': 'status' };
  const values: Record<string, unknown> = { ...LIVE_CONDITION.values, ':waiting': 'WAITING_FOR_CAPACITY' };
  const parts = [LIVE_CONDITION.expression, WAITING_CONDITION];
  dependsOn.forEach((d, i) => {
    names[`#d${i}`] = String(d);
    parts.push(`waves.#d${i}.#st = :completed`);
    values[':completed'] = 'COMPLETED';
  });
  if (onWaveFailure === 'STOP') {
    parts.push('(attribute_not_exists(failedWaves) OR failedWaves = :zero)');
    values[':zero'] = 0;
  }
  return { expression: parts.join(' AND '), names, values };
}

/**
 * The room a wave needs, as bounds on this execution's counters (a condition cannot add): at most
 * `maxConcurrentJobs` jobs counting the account's other running jobs, at most `maxConcurrentWaves`
 * of this execution's waves, and at most `maxServersInAllJobs` servers counting the others'. A
 * bound below zero can never hold: the wave does not fit now.
 */
export function roomBounds(scheduling: PlanScheduling, others: OtherJobs, servers: number) {
  const jobs = scheduling.maxConcurrentJobs - others.jobs - 1;
  const waves = scheduling.maxConcurrentWaves === undefined ? jobs : Math.min(jobs, scheduling.maxConcurrentWaves - 1);
  return { runningWaves: waves, runningServers: scheduling.maxServersInAllJobs - others.servers - servers };
}

/**
 * Claims wave `index` for launching, in one conditional write: startable (`startableCondition`) and
 * room under every quota (`roomBounds`). The wave's entry becomes LAUNCHING with its claim time and
 * size, and the counters take its room. Throws DynamoDB's condition failure when refused.
 */
export function claimOnExecution(
  table: RecordsTable,
  args: {
    executionId: string;
    index: number;
    claimedAt: Date;
    wave: ClaimedWaveSpec;
    scheduling: PlanScheduling;
    others: OtherJobs;
    /** The learned limit `scheduling` was bounded with (`schedulingOfRecord`): the claim holds only while it stands. */
    learned?: LearnedLimits;
  },
) {
  const learned = learnedLimitCondition(args.learned ?? {});
  const startable = startableCondition(args.index, args.wave.dependsOn, args.scheduling.onWaveFailure);
  const room = roomBounds(args.scheduling, args.others, args.wave.servers);
  const claim: WaveClaim = { status: 'LAUNCHING', claimedAt: args.claimedAt.toISOString(), servers: args.wave.servers };
  return table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(args.executionId),
      UpdateExpression:
        'SET #status = :polling, waves.#w = :claim, runningWaves = runningWaves + :one, runningServers = runningServers + :servers',
      // The counters exist from the execution's creation (`initialClaimFields`), so a missing one refuses.
      ConditionExpression: `${startable.expression} AND ${learned.expression} AND runningWaves <= :wavesRoom AND runningServers <= :serversRoom`,
      ExpressionAttributeNames: startable.names,
      ExpressionAttributeValues: {
        ...startable.values,
        ...learned.values,
        ':claim': claim,
        ':one': 1,
        ':servers': args.wave.servers,
        ':wavesRoom': room.runningWaves,
        ':serversRoom': room.runningServers,
      },
    }),
  );
}

/** Gives a claim back, only while its wave has no job: the wave waits again and its room is free. */
export const releaseClaimOnExecution = (table: RecordsTable, executionId: string, index: number) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(executionId),
      UpdateExpression:
        'SET runningWaves = runningWaves - :one, runningServers = runningServers - waves.#w.servers REMOVE waves.#w',
      ConditionExpression: 'waves.#w.#st = :launching AND attribute_not_exists(waves.#w.jobId)',
      ExpressionAttributeNames: { '#w': String(index), '#st': 'status' },
      ExpressionAttributeValues: { ':one': 1, ':launching': 'LAUNCHING' },
    }),
  );

/** The claimed wave's DRS job ID: once (the same ID again is a repeat, any other is refused). */
export const recordJobOnExecution = (table: RecordsTable, executionId: string, index: number, jobId: string) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(executionId),
      UpdateExpression: 'SET waves.#w.jobId = :jobId',
      ConditionExpression:
        'waves.#w.#st = :launching AND (attribute_not_exists(waves.#w.jobId) OR waves.#w.jobId = :jobId)',
      ExpressionAttributeNames: { '#w': String(index), '#st': 'status' },
      ExpressionAttributeValues: { ':launching': 'LAUNCHING', ':jobId': jobId },
    }),
  );

/**
 * The claimed wave's verdict on the execution: its entry ends, its room is released (in the same
 * write), and a COMPLETED wave is counted (`completedWaves`, only while the execution is live, as
 * before) or a FAILED / TIMED_OUT one counted in `failedWaves`. Only from LAUNCHING, so a repeat
 * never releases twice.
 */
export function verdictOnExecution(
  table: RecordsTable,
  executionId: string,
  index: number,
  verdict: { status: 'COMPLETED'; tookSeconds: number } | { status: 'FAILED' | 'TIMED_OUT' },
) {
  const completed = verdict.status === 'COMPLETED';
  const release = 'runningWaves = runningWaves - :one, runningServers = runningServers - waves.#w.servers';
  return table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(executionId),
      UpdateExpression: completed
        ? `SET waves.#w.#st = :end, ${release}, completedWaves = completedWaves + :one, lastWaveSeconds = :took`
        : `SET waves.#w.#st = :end, ${release}, failedWaves = if_not_exists(failedWaves, :zero) + :one`,
      ConditionExpression: `${completed ? `${LIVE_CONDITION.expression} AND ` : ''}waves.#w.#st = :launching`,
      ExpressionAttributeNames: { '#w': String(index), '#st': 'status', ...(completed ? { '#status': 'status' } : {}) },
      ExpressionAttributeValues: {
        ':end': verdict.status,
        ':launching': 'LAUNCHING',
        ':one': 1,
        ...(completed ? { ...LIVE_CONDITION.values, ':took': verdict.tookSeconds } : { ':zero': 0 }),
      },
    }),
  );
}

/**
 * A wave that ends without a launch, holding no room: FAILED (its pre-wave action failed; counted
 * in `failedWaves`) or NOT_STARTED (it can never start: STOP after a failure, or a dependency failed
 * or never started). Only while it has no entry, so it can never be claimed afterwards.
 */
export function endUnlaunchedOnExecution(
  table: RecordsTable,
  executionId: string,
  index: number,
  status: 'FAILED' | 'NOT_STARTED',
) {
  const claim: WaveClaim = { status, servers: 0 };
  const failed = status === 'FAILED';
  return table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(executionId),
      UpdateExpression: `SET waves.#w = :claim${failed ? ', failedWaves = if_not_exists(failedWaves, :zero) + :one' : ''}`,
      ConditionExpression: WAITING_CONDITION,
      ExpressionAttributeNames: { '#w': String(index), '#st': 'status' },
      ExpressionAttributeValues: {
        ':claim': claim,
        ':waiting': 'WAITING_FOR_CAPACITY',
        ...(failed ? { ':zero': 0, ':one': 1 } : {}),
      },
    }),
  );
}

/**
 * An admission round found wave `index` ready (every dependency COMPLETED) but without room: it is
 * marked WAITING_FOR_CAPACITY while the execution is live, and only while it has no entry, so the
 * mark never lands on a claimed or ended wave. The claim replaces it (LAUNCHING); a skip ends it.
 */
export const markWaitingOnExecution = (table: RecordsTable, executionId: string, index: number) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(executionId),
      UpdateExpression: 'SET waves.#w = :mark',
      ConditionExpression: `${LIVE_CONDITION.expression} AND attribute_not_exists(waves.#w)`,
      ExpressionAttributeNames: { '#status': 'status', '#w': String(index) },
      ExpressionAttributeValues: {
        ...LIVE_CONDITION.values,
        ':mark': { status: 'WAITING_FOR_CAPACITY', servers: 0 } satisfies WaveClaim,
      },
    }),
  );

/** An admitted wave's WAITING_FOR_CAPACITY mark goes (it is waiting no longer for room); only that mark. */
export const unmarkWaitingOnExecution = (table: RecordsTable, executionId: string, index: number) =>
  table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: executionKey(executionId),
      UpdateExpression: 'REMOVE waves.#w',
      ConditionExpression: 'waves.#w.#st = :waiting',
      ExpressionAttributeNames: { '#w': String(index), '#st': 'status' },
      ExpressionAttributeValues: { ':waiting': 'WAITING_FOR_CAPACITY' },
    }),
  );

/** The claim entry of a wave, if it has one. */
export const claimOf = (execution: ClaimFields, index: number): WaveClaim | undefined =>
  execution.waves?.[String(index)];

/**
 * The DRS jobs of the waves holding room (LAUNCHING): the room their claims count. An ended wave's
 * job that DRS still runs (a FAILED verdict while other servers still launch) is not among them: it
 * counts as one of DRS's other running jobs.
 */
export const heldJobIds = (execution: ClaimFields): string[] =>
  Object.values(execution.waves ?? {}).flatMap((claim) =>
    claim.status === 'LAUNCHING' && claim.jobId ? [claim.jobId] : [],
  );

/** The DRS jobs of the execution's waves, as its item records them (in wave order). */
export const claimedJobIds = (execution: ClaimFields): string[] =>
  Object.entries(execution.waves ?? {})
    .sort(([a], [b]) => Number(a) - Number(b))
    .flatMap(([, claim]) => (claim.jobId ? [claim.jobId] : []));

/**
 * The execution's scheduling as recorded (the defaults for a record made before it was kept),
 * bounded by the limit DRS's quota refusals taught it (`learned-limits.ts`).
 */
export const schedulingOfRecord = (execution: ClaimFields): PlanScheduling =>
  effectiveScheduling(execution.scheduling ?? schedulingOf({}), execution);
