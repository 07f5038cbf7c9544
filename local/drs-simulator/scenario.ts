/**
 * The DRS simulator's scenario: what exists in DRS and how each server's launch turns out.
 * Every field is optional; an empty scenario means every plan server exists, replicates
 * CONTINUOUS and launches after 60 simulated seconds.
 */

import { z } from 'zod';
import { DEFAULT_DRS_LIMITS } from '../../functions/shared/drs-limits';
import { SOURCE_SERVER_ID } from '../../functions/shared/ids';
import { approvalsScenarioSchema } from '../approval-scenario';
import { launchEventsScenarioSchema } from '../launch-events-scenario';
import { waveActionScriptSchema, waveActionsScenarioSchema } from '../wave-actions-scenario';
import { DRS_MODEL_ERRORS } from './errors';
import { crossCheck, describeIssue, type Path } from './scenario-problems';

export const REPLICATION_STATES = [
  'STOPPED',
  'INITIATING',
  'INITIAL_SYNC',
  'BACKLOG',
  'CREATING_SNAPSHOT',
  'CONTINUOUS',
  'PAUSED',
  'RESCAN',
  'STALLED',
  'DISCONNECTED',
] as const;
export type ReplicationState = (typeof REPLICATION_STATES)[number];

/**
 * How a launch ends: LAUNCHED, FAILED, TERMINATED (launched, then terminated), STUCK (IN_PROGRESS
 * forever) or SKIPPED (DRS skips the server: a SERVER_SKIPPED job-log event, and no launch).
 */
export const LAUNCH_RESULTS = ['LAUNCHED', 'FAILED', 'TERMINATED', 'STUCK', 'SKIPPED'] as const;
export type LaunchResult = (typeof LAUNCH_RESULTS)[number];

/** How the post-launch actions of a LAUNCHED server end. */
export const POST_LAUNCH_ACTIONS = ['SUCCEEDED', 'FAILED', 'OPTIONAL_FAILED', 'NONE'] as const;
export type PostLaunchActionsOutcome = (typeof POST_LAUNCH_ACTIONS)[number];

export const DEFAULT_LAUNCH_AFTER_SECONDS = 60;
/** How old a server's latest point-in-time snapshot is when the simulation starts. */
export const DEFAULT_LAST_SNAPSHOT_AGE_SECONDS = 300;
/** How long after a server LAUNCHED DRS discovers its SSM agent and its post-launch action runs appear. */
export const DEFAULT_POST_LAUNCH_ACTIONS_START_AFTER_SECONDS = 60;

const sourceServerSchema = z.strictObject({
  sourceServerID: z.string().regex(SOURCE_SERVER_ID),
  hostname: z.string().min(1).optional(),
  replicationState: z.enum(REPLICATION_STATES).default('CONTINUOUS'),
  // null: DRS has no snapshot of the server (DescribeRecoverySnapshots returns none).
  lastSnapshotAgeSeconds: z.number().min(0).nullable().default(DEFAULT_LAST_SNAPSHOT_AGE_SECONDS),
  // The server's DRS tags, as DescribeSourceServers returns them (AWS: keys 1-128, values 0-256 characters, at most 50).
  tags: z
    .record(z.string().min(1).max(128), z.string().max(256))
    .refine((tags) => Object.keys(tags).length <= 50, { message: 'a source server carries at most 50 tags' })
    .default({}),
});

const launchSchema = z.strictObject({
  result: z.enum(LAUNCH_RESULTS).default('LAUNCHED'),
  afterSeconds: z.number().min(0).default(DEFAULT_LAUNCH_AFTER_SECONDS),
  omitFromJob: z.boolean().default(false),
  postLaunchActions: z.enum(POST_LAUNCH_ACTIONS).default('NONE'),
  postLaunchActionsStartAfterSeconds: z.number().min(0).default(DEFAULT_POST_LAUNCH_ACTIONS_START_AFTER_SECONDS),
  rawError: z.string().min(1).optional(),
});

/**
 * A recovery instance that exists before the simulation starts, launched by a job the orchestrator
 * did not start (an earlier drill, a recovery by hand): a drill's cleanup must leave it alone.
 */
const existingRecoveryInstanceSchema = z.strictObject({
  sourceServerID: z.string().regex(SOURCE_SERVER_ID),
  isDrill: z.boolean().default(true),
  jobID: z
    .string()
    .regex(/^drsjob-[0-9a-zA-Z]{17}$/, { error: 'expected a DRS job ID, drsjob- and 17 letters or digits' }),
});

/** How TerminateRecoveryInstances turns out for a server's recovery instance (default TERMINATED). */
export const TERMINATION_RESULTS = ['TERMINATED', 'FAILED'] as const;
const terminationSchema = z.strictObject({ result: z.enum(TERMINATION_RESULTS).default('TERMINATED') });

/** The DRS operations a scenario may inject faults into. */
export const FAULTABLE_OPERATIONS = [
  'StartRecovery',
  'DescribeJobs',
  'DescribeJobLogItems',
  'DescribeSourceServers',
  'DescribeRecoveryInstances',
  'TerminateRecoveryInstances',
  'ListLaunchActions',
  'DescribeRecoverySnapshots',
] as const;

/**
 * Faults for one operation, applied to its first calls in this order: `throttleTimes` calls get a
 * ThrottlingException, the next `internalErrorTimes` an InternalServerException (DRS did nothing),
 * the next `errorTimes` the DRS error `error` (nothing done), the next `loseResponseTimes` a lost response (DRS did the work, e.g. created the job, but the
 * client gets a dropped connection, or a 500 with `loseResponseAs: "error"`), the next `hangTimes`
 * do their work and are never answered (the connection stays open until the client gives up).
 */
const faultSchema = z
  .strictObject({
    throttleTimes: z.number().int().min(0).max(1000).default(0),
    internalErrorTimes: z.number().int().min(0).max(1000).default(0),
    // The next `errorTimes` calls are refused with the DRS error `error` (nothing done), e.g.
    // AccessDeniedException or UninitializedAccountException.
    errorTimes: z.number().int().min(0).max(1000).default(0),
    error: z.enum(DRS_MODEL_ERRORS).optional(),
    loseResponseTimes: z.number().int().min(0).max(1000).default(0),
    loseResponseAs: z.enum(['disconnect', 'error']).default('disconnect'),
    hangTimes: z.number().int().min(0).max(1000).default(0),
  })
  .superRefine((fault, ctx) => {
    if (fault.errorTimes > 0 && fault.error === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['error'],
        message: `errorTimes needs the DRS error to answer, one of ${DRS_MODEL_ERRORS.join(', ')}`,
      });
    }
  });

/** The errors an outage answers with: DRS failing inside (500) or throttling every caller (429). */
export const OUTAGE_ERRORS = ['InternalServerException', 'ThrottlingException'] as const;

/**
 * A window of simulated time (seconds since the simulation started) in which every call to the
 * named operations (or to `"all"`) fails with `error`, having done nothing: a regional API that
 * wobbles during a disaster. Unlike the positional faults above it strikes by time, so it lasts as
 * long as it lasts however often (or rarely) the orchestrator calls.
 */
const outageSchema = z.strictObject({
  // One message for the union (zod's own would say only "Invalid input").
  operations: z.union([z.literal('all'), z.array(z.enum(FAULTABLE_OPERATIONS)).min(1)], {
    error: () => `expected "all" or a non-empty list of ${FAULTABLE_OPERATIONS.join(', ')}`,
  }),
  fromSeconds: z.number().min(0),
  forSeconds: z.number().positive(),
  error: z.enum(OUTAGE_ERRORS).default('InternalServerException'),
});
/** An outage, defaults applied. */
export type ScenarioOutage = z.output<typeof outageSchema>;

/**
 * The DRS quotas the simulator enforces (ServiceQuotaExceededException, HTTP 402), by default the
 * DRS defaults the orchestrator's preflight assumes. A lower value reproduces an account whose
 * quotas are lower than the orchestrator was told, or jobs started outside the orchestrator.
 */
const quotasSchema = z.strictObject({
  maxServersPerJob: z.number().int().min(1).max(10_000).default(DEFAULT_DRS_LIMITS.maxServersPerJob),
  maxConcurrentJobs: z.number().int().min(1).max(10_000).default(DEFAULT_DRS_LIMITS.maxConcurrentJobs),
  maxServersInAllJobs: z.number().int().min(1).max(100_000).default(DEFAULT_DRS_LIMITS.maxServersInAllJobs),
});

/**
 * Task crashes for the local runner (not DRS's world, but part of the same fault scenario): the
 * first n calls of each named records write fail as a crashed Lambda does (`Lambda.Unknown`),
 * after the task's DRS call and before its DynamoDB write.
 */
export const CRASHABLE_WRITES = [
  'acquirePlanLock',
  'createExecution',
  'claimWave',
  'markWaveLaunching',
  'recordJob',
  'recordPoll',
  'completeWave',
  'endWave',
  'completeExecution',
  'failExecution',
  'recordRequiredActions',
  'openGate',
  'beginWaveAction',
  'endWaveAction',
] as const;

/** The names under which Step Functions reports a crashed or timed-out Lambda attempt. */
export const TASK_CRASH_NAMES = [
  'Lambda.Unknown',
  'Sandbox.Timedout',
  'Runtime.ExitError',
  'Runtime.OutOfMemory',
  // The Lambda service itself: a throttled invoke (the code never runs) and a Lambda-side 500.
  'Lambda.TooManyRequestsException',
  'Lambda.ServiceException',
] as const;
const crashCount = z.number().int().min(0).max(100);
const crashObject = z.strictObject({
  times: crashCount,
  as: z.enum(TASK_CRASH_NAMES).default('Lambda.Unknown'),
  // After the write instead of before it: the write stands, the task's answer is lost (it crashed before returning).
  after: z.boolean().optional(),
});
/** Crashes of one records write, defaults applied. */
export type TaskCrash = z.output<typeof crashObject>;
/**
 * A count (crashes as `Lambda.Unknown`) or `{ times, as }`. Parsed by the value's own shape, so a
 * problem is named in that shape's terms (a union would only say "invalid input").
 */
type TaskCrashInput = number | { times: number; as?: (typeof TASK_CRASH_NAMES)[number]; after?: boolean };
const taskCrashSchema = z
  .custom<TaskCrashInput>(() => true)
  .transform((value, ctx): TaskCrash => {
    if (typeof value !== 'number' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `expected a count 0-100 or { "times": n, "as": ${TASK_CRASH_NAMES.map((n) => `"${n}"`).join(' | ')} }`,
      });
      return z.NEVER;
    }
    const parsed = typeof value === 'number' ? crashObject.safeParse({ times: value }) : crashObject.safeParse(value);
    if (parsed.success) return parsed.data;
    // A bad count is reported at the count itself, not at a `times` field the file does not have.
    for (const issue of parsed.error.issues) {
      ctx.issues.push({ ...issue, input: value, path: typeof value === 'number' ? [] : issue.path } as never);
    }
    return z.NEVER;
  });

/**
 * A job already running in the account from something else (another tool, a person in the DRS
 * console) when the simulation starts: DescribeJobs lists it (no tags of ours, a LAUNCH drill of
 * `servers` source servers outside the plan), and it counts against the quotas until it completes,
 * `forSeconds` after the start. Its servers never launch here (nothing of it is ours to watch).
 */
const otherJobSchema = z.strictObject({
  servers: z.number().int().min(1).max(10_000),
  forSeconds: z.number().positive(),
});
/** An other job, as the scenario gives it. */
export type ScenarioOtherJob = z.output<typeof otherJobSchema>;

// Record keys are checked by hand (see crossCheck) so that a bad key does not hide the problems of its value.
const scenarioSchema = z.strictObject({
  sourceServers: z.array(sourceServerSchema).optional(),
  launches: z.record(z.string(), launchSchema).default({}),
  jobCompletesAfterSeconds: z.number().positive().optional(),
  /** DescribeJobs leaves a new job out of its answers for this long (default 0); DRS is eventually consistent. */
  jobVisibleAfterSeconds: z.number().min(0).max(3600).optional(),
  faults: z.partialRecord(z.enum(FAULTABLE_OPERATIONS), faultSchema).default({}),
  outages: z.array(outageSchema).max(100).optional(),
  quotas: quotasSchema.optional(),
  taskCrashes: z.partialRecord(z.enum(CRASHABLE_WRITES), taskCrashSchema).optional(),
  /** Decisions at the plan's approval gates, by wave name (`local/approval-scenario.ts`). */
  approvals: approvalsScenarioSchema.optional(),
  /** How each wave action answers, by action name (not DRS's world: the local runner's `wave-action-runner.ts`). */
  waveActions: waveActionsScenarioSchema.optional(),
  existingRecoveryInstances: z.array(existingRecoveryInstanceSchema).max(1000).optional(),
  /** By source server ID: a TERMINATE job that ends FAILED for its recovery instance (it keeps running). */
  terminations: z.record(z.string(), terminationSchema).optional(),
  /** How EventBridge delivers DRS's launch result events (`local/launch-events-scenario.ts`; default: all, 2 s late). */
  events: launchEventsScenarioSchema.optional(),
  /** Jobs already running in the account from something else; they count against the quotas (issue 12). */
  otherJobs: z.array(otherJobSchema).max(100).optional(),
});

/** The DRS quotas the simulator enforces, defaults applied. */
export type ScenarioQuotas = z.output<typeof quotasSchema>;
/** The quotas of a scenario that names none: DRS's defaults. */
export const DEFAULT_QUOTAS: ScenarioQuotas = { ...DEFAULT_DRS_LIMITS };

/** The faults of one operation, defaults applied. */
export type ScenarioFault = z.output<typeof faultSchema>;

/** A scenario source server, defaults applied. */
export type ScenarioSourceServer = z.output<typeof sourceServerSchema>;
/** A scenario launch outcome, defaults applied. */
export type ScenarioLaunch = z.output<typeof launchSchema>;
/** A parsed scenario, defaults applied. Build one with `parseScenario` or `defaultScenario`. */
export type Scenario = z.output<typeof scenarioSchema>;
/** What a scenario file may contain (every field optional). */
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** The scenario is not valid; `problems` lists every problem found, each naming its path. */
export class ScenarioInvalid extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `The DRS simulator scenario is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`,
    );
    this.name = 'ScenarioInvalid';
    this.problems = problems;
  }
}

/** The empty scenario: every plan server exists and launches after 60 s. */
export function defaultScenario(): Scenario {
  return { launches: {}, faults: {} };
}

/** Validates a scenario (e.g. parsed JSON) and applies defaults; throws ScenarioInvalid naming every problem. */
export function parseScenario(input: unknown): Scenario {
  const parsed = scenarioSchema.safeParse(input);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => describeIssue(issue, input, allowedKeysAt))),
    ...crossCheck(input),
  ];
  if (problems.length > 0 || !parsed.success) {
    throw new ScenarioInvalid(problems);
  }
  return parsed.data;
}

function allowedKeysAt(path: Path): string[] {
  if (path.length === 0) {
    return Object.keys(scenarioSchema.shape);
  }
  if (path[0] === 'sourceServers') {
    return Object.keys(sourceServerSchema.shape);
  }
  if (path[0] === 'faults') {
    return path.length === 1 ? [...FAULTABLE_OPERATIONS] : Object.keys(faultSchema.shape);
  }
  if (path[0] === 'taskCrashes') {
    return path.length === 1 ? [...CRASHABLE_WRITES] : Object.keys(crashObject.shape);
  }
  if (path[0] === 'outages') {
    return Object.keys(outageSchema.shape);
  }
  if (path[0] === 'quotas') {
    return Object.keys(quotasSchema.shape);
  }
  if (path[0] === 'events') {
    return Object.keys(launchEventsScenarioSchema.shape);
  }
  if (path[0] === 'waveActions') {
    return Object.keys(waveActionScriptSchema.shape);
  }
  if (path[0] === 'existingRecoveryInstances') {
    return Object.keys(existingRecoveryInstanceSchema.shape);
  }
  if (path[0] === 'otherJobs') {
    return Object.keys(otherJobSchema.shape);
  }
  if (path[0] === 'terminations') {
    return Object.keys(terminationSchema.shape);
  }
  return Object.keys(launchSchema.shape);
}
