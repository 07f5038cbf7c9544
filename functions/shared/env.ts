import { DEFAULT_DRS_LIMITS, type DrsLimits } from './drs-limits';

/**
 * Every environment variable the Lambdas read, read and checked once at cold start.
 * A missing variable fails the cold start with its name, not a later call with `undefined`.
 */
export interface TaskEnv {
  executionsTableName: string;
  /** The stored plans, for executions started by planId (only the first task reads it). */
  plansTableName?: string;
  region: string;
  /** The DRS quotas the preflight checks plans against (defaults from the DRS docs, overridable). */
  drsLimits: DrsLimits;
}

/** The DRS quotas, from DRS_MAX_SERVERS_PER_JOB, DRS_MAX_CONCURRENT_JOBS and DRS_MAX_SERVERS_IN_ALL_JOBS when set. */
export function readDrsLimits(env: NodeJS.ProcessEnv = process.env): DrsLimits {
  const limit = (name: string, fallback: number) => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`environment variable ${name} must be a whole number of at least 1 (got "${text}")`);
    }
    return value;
  };
  return {
    maxServersPerJob: limit('DRS_MAX_SERVERS_PER_JOB', DEFAULT_DRS_LIMITS.maxServersPerJob),
    maxConcurrentJobs: limit('DRS_MAX_CONCURRENT_JOBS', DEFAULT_DRS_LIMITS.maxConcurrentJobs),
    maxServersInAllJobs: limit('DRS_MAX_SERVERS_IN_ALL_JOBS', DEFAULT_DRS_LIMITS.maxServersInAllJobs),
  };
}

function required(name: string, env: NodeJS.ProcessEnv): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export function readTaskEnv(env: NodeJS.ProcessEnv = process.env): TaskEnv {
  return {
    executionsTableName: required('EXECUTIONS_TABLE_NAME', env),
    ...(env.PLANS_TABLE_NAME ? { plansTableName: env.PLANS_TABLE_NAME } : {}),
    region: required('AWS_REGION', env),
    drsLimits: readDrsLimits(env),
  };
}

/** What the execution-events Lambda reads. */
export interface EventsEnv {
  executionsTableName: string;
  notificationTopicArn: string;
}

export function readEventsEnv(env: NodeJS.ProcessEnv = process.env): EventsEnv {
  return {
    executionsTableName: required('EXECUTIONS_TABLE_NAME', env),
    notificationTopicArn: required('NOTIFICATION_TOPIC_ARN', env),
  };
}

/** What the REST API's Lambda reads. */
export interface ApiEnv {
  executionsTableName: string;
  plansTableName: string;
  /** The recovery-plan workflow the API starts and stops executions of. */
  stateMachineArn: string;
  region: string;
}

/** Reads the API Lambda's environment; every missing variable is named in one error. */
export function readApiEnv(env: NodeJS.ProcessEnv = process.env): ApiEnv {
  const names = {
    executionsTableName: 'EXECUTIONS_TABLE_NAME',
    plansTableName: 'PLANS_TABLE_NAME',
    stateMachineArn: 'STATE_MACHINE_ARN',
    region: 'AWS_REGION',
  } as const;
  const missing = Object.values(names).filter((name) => !env[name]);
  if (missing.length === 1) throw new Error(`environment variable ${missing[0]} is not set`);
  if (missing.length > 1) throw new Error(`environment variables ${missing.join(', ')} are not set`);
  return {
    executionsTableName: required(names.executionsTableName, env),
    plansTableName: required(names.plansTableName, env),
    stateMachineArn: required(names.stateMachineArn, env),
    region: required(names.region, env),
  };
}
