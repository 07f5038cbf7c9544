/**
 * Every environment variable the Lambdas read, read and checked once at cold start.
 * A missing variable fails the cold start with its name, not a later call with `undefined`.
 */
export interface TaskEnv {
  executionsTableName: string;
  /** The stored plans, for executions started by planId (only the first task reads it). */
  plansTableName?: string;
  region: string;
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
