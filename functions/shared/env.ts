import { z } from 'zod';
import { DEFAULT_DRS_LIMITS, type DrsLimits } from './drs-limits';
import { type ActionGrant, parseActionGrant } from './wave-action-grant';

/**
 * The environment variable names, defined once: the stack sets them (`infra/constructs/`) and the
 * functions read them here, so a renamed variable cannot leave one side reading what the other no
 * longer sets.
 */
export const ENV = {
  executionsTableName: 'EXECUTIONS_TABLE_NAME',
  plansTableName: 'PLANS_TABLE_NAME',
  stateMachineArn: 'STATE_MACHINE_ARN',
  /** The drill cleanup workflow (execution-events schedules it, the API starts it on demand). */
  cleanupStateMachineArn: 'CLEANUP_STATE_MACHINE_ARN',
  notificationTopicArn: 'NOTIFICATION_TOPIC_ARN',
  /** The reports bucket: execution-events writes each ended execution's report there (docs/report.md). */
  reportsBucketName: 'REPORTS_BUCKET_NAME',
  /** Set by the Lambda runtime itself, never by the stack. */
  region: 'AWS_REGION',
  maxServersPerJob: 'DRS_MAX_SERVERS_PER_JOB',
  maxConcurrentJobs: 'DRS_MAX_CONCURRENT_JOBS',
  maxServersInAllJobs: 'DRS_MAX_SERVERS_IN_ALL_JOBS',
  /** The wave action functions the stack may invoke: comma-separated ARNs, and an ARN prefix (`wave-action-grant.ts`). */
  waveActionFunctionArns: 'WAVE_ACTION_FUNCTION_ARNS',
  waveActionFunctionArnPrefix: 'WAVE_ACTION_FUNCTION_ARN_PREFIX',
} as const;

/** The DRS quota variables, by the DrsLimits field they set. */
export const DRS_LIMIT_ENV: Readonly<Record<keyof DrsLimits, string>> = {
  maxServersPerJob: ENV.maxServersPerJob,
  maxConcurrentJobs: ENV.maxConcurrentJobs,
  maxServersInAllJobs: ENV.maxServersInAllJobs,
};

const NOT_SET = 'is not set';

/** A variable that must be set; empty counts as unset (a stack token that resolved to nothing). */
const required = z.string({ error: NOT_SET }).min(1, { error: NOT_SET });
/** A variable that may be absent; empty counts as absent. */
const optional = z
  .string()
  .optional()
  .transform((value) => value || undefined);
/** A DRS quota: absent or empty keeps the documented default. */
const quota = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === '') return fallback;
      const value = Number(text);
      if (Number.isInteger(value) && value >= 1) return value;
      ctx.addIssue({ code: 'custom', message: `must be a whole number of at least 1 (got "${text}")` });
      return z.NEVER;
    });

const drsLimitsShape = {
  [ENV.maxServersPerJob]: quota(DEFAULT_DRS_LIMITS.maxServersPerJob),
  [ENV.maxConcurrentJobs]: quota(DEFAULT_DRS_LIMITS.maxConcurrentJobs),
  [ENV.maxServersInAllJobs]: quota(DEFAULT_DRS_LIMITS.maxServersInAllJobs),
};
type DrsLimitsVariables = z.output<z.ZodObject<typeof drsLimitsShape>>;
const toDrsLimits = (env: DrsLimitsVariables): DrsLimits => ({
  maxServersPerJob: env[ENV.maxServersPerJob],
  maxConcurrentJobs: env[ENV.maxConcurrentJobs],
  maxServersInAllJobs: env[ENV.maxServersInAllJobs],
});

/**
 * Parses the environment with one schema and fails once, naming every unset variable together and
 * every bad value with what was received, so one failed cold start shows everything to fix.
 */
function parse<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const unset: string[] = [];
  const bad: string[] = [];
  for (const issue of result.error.issues) {
    const name = String(issue.path[0]);
    if (issue.message === NOT_SET) unset.push(name);
    else bad.push(`environment variable ${name} ${issue.message}`);
  }
  const problems = [
    ...(unset.length === 1 ? [`environment variable ${unset[0]} ${NOT_SET}`] : []),
    ...(unset.length > 1 ? [`environment variables ${unset.join(', ')} are not set`] : []),
    ...bad,
  ];
  throw new Error(problems.join('; '));
}

const drsLimitsSchema = z.object(drsLimitsShape).transform(toDrsLimits);

/** The DRS quotas, from DRS_MAX_SERVERS_PER_JOB, DRS_MAX_CONCURRENT_JOBS and DRS_MAX_SERVERS_IN_ALL_JOBS when set. */
export function readDrsLimits(env: NodeJS.ProcessEnv = process.env): DrsLimits {
  return parse(drsLimitsSchema, env);
}

/**
 * What the workflow's task functions read, checked once at cold start: a missing variable fails the
 * cold start with its name, not a later call with `undefined`.
 */
export interface TaskEnv {
  executionsTableName: string;
  /** The stored plans, for executions started by planId (only the first task reads it). */
  plansTableName?: string;
  region: string;
  /** The DRS quotas the preflight checks plans against (defaults from the DRS docs, overridable). */
  drsLimits: DrsLimits;
  /** The wave action functions the stack may invoke (neither variable set: none). */
  actionGrant: ActionGrant;
}

const taskSchema = z
  .object({
    [ENV.executionsTableName]: required,
    [ENV.plansTableName]: optional,
    [ENV.region]: required,
    [ENV.waveActionFunctionArns]: optional,
    [ENV.waveActionFunctionArnPrefix]: optional,
    ...drsLimitsShape,
  })
  .transform(
    (env): TaskEnv => ({
      executionsTableName: env[ENV.executionsTableName],
      ...(env[ENV.plansTableName] ? { plansTableName: env[ENV.plansTableName] } : {}),
      region: env[ENV.region],
      drsLimits: toDrsLimits(env),
      actionGrant: parseActionGrant(env[ENV.waveActionFunctionArns], env[ENV.waveActionFunctionArnPrefix]),
    }),
  );

export function readTaskEnv(env: NodeJS.ProcessEnv = process.env): TaskEnv {
  return parse(taskSchema, env);
}

/** What the execution-events Lambda reads. */
export interface EventsEnv {
  executionsTableName: string;
  notificationTopicArn: string;
  /** This stack's workflow: the only state machine whose status changes it acts on. */
  stateMachineArn: string;
  cleanupStateMachineArn: string;
  /** Where each ended execution's report (HTML and JSON) is written. */
  reportsBucketName: string;
  region: string;
}

const eventsSchema = z
  .object({
    [ENV.executionsTableName]: required,
    [ENV.notificationTopicArn]: required,
    [ENV.stateMachineArn]: required,
    [ENV.cleanupStateMachineArn]: required,
    [ENV.reportsBucketName]: required,
    [ENV.region]: required,
  })
  .transform(
    (env): EventsEnv => ({
      executionsTableName: env[ENV.executionsTableName],
      notificationTopicArn: env[ENV.notificationTopicArn],
      stateMachineArn: env[ENV.stateMachineArn],
      cleanupStateMachineArn: env[ENV.cleanupStateMachineArn],
      reportsBucketName: env[ENV.reportsBucketName],
      region: env[ENV.region],
    }),
  );

export function readEventsEnv(env: NodeJS.ProcessEnv = process.env): EventsEnv {
  return parse(eventsSchema, env);
}

/** What the REST API's Lambda reads (its DRS quotas: `readDrsLimits`). */
export interface ApiEnv {
  executionsTableName: string;
  plansTableName: string;
  /** The recovery-plan workflow the API starts and stops executions of. */
  stateMachineArn: string;
  /** The drill cleanup workflow the API starts on demand. */
  cleanupStateMachineArn: string;
  region: string;
}

const apiSchema = z
  .object({
    [ENV.executionsTableName]: required,
    [ENV.plansTableName]: required,
    [ENV.stateMachineArn]: required,
    [ENV.cleanupStateMachineArn]: required,
    [ENV.region]: required,
  })
  .transform(
    (env): ApiEnv => ({
      executionsTableName: env[ENV.executionsTableName],
      plansTableName: env[ENV.plansTableName],
      stateMachineArn: env[ENV.stateMachineArn],
      cleanupStateMachineArn: env[ENV.cleanupStateMachineArn],
      region: env[ENV.region],
    }),
  );

/** Reads the API Lambda's environment; every missing variable is named in one error. */
export function readApiEnv(env: NodeJS.ProcessEnv = process.env): ApiEnv {
  return parse(apiSchema, env);
}

/** What the approval gate's task (request-approval) reads: the records and the topic it notifies. */
export interface ApprovalEnv {
  executionsTableName: string;
  notificationTopicArn: string;
  region: string;
}

const approvalSchema = z
  .object({
    [ENV.executionsTableName]: required,
    [ENV.notificationTopicArn]: required,
    [ENV.region]: required,
  })
  .transform(
    (env): ApprovalEnv => ({
      executionsTableName: env[ENV.executionsTableName],
      notificationTopicArn: env[ENV.notificationTopicArn],
      region: env[ENV.region],
    }),
  );

export function readApprovalEnv(env: NodeJS.ProcessEnv = process.env): ApprovalEnv {
  return parse(approvalSchema, env);
}

/** What the launch wait's two functions read (await-launch, launch-events): the records, and Step Functions in their region. */
export interface LaunchWaitEnv {
  executionsTableName: string;
  region: string;
}

const launchWaitSchema = z
  .object({ [ENV.executionsTableName]: required, [ENV.region]: required })
  .transform((env): LaunchWaitEnv => ({ executionsTableName: env[ENV.executionsTableName], region: env[ENV.region] }));

export function readLaunchWaitEnv(env: NodeJS.ProcessEnv = process.env): LaunchWaitEnv {
  return parse(launchWaitSchema, env);
}
