/**
 * Every environment variable the task Lambdas read, read and checked once at cold start.
 * A missing variable fails the cold start with its name, not a later call with `undefined`.
 */
export interface TaskEnv {
  executionsTableName: string;
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
    region: required('AWS_REGION', env),
  };
}
