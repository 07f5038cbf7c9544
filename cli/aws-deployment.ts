import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../functions/shared/clients';
import { executionArnOf } from '../functions/shared/execution-naming';
import { ExecutionStore, toResult } from '../functions/shared/execution-store';
import type { ProgressEvent } from '../functions/shared/progress-event';
import { reconcileOutcome } from '../functions/shared/reconcile-outcome';
import { type ExecutionResult, isLive } from '../functions/shared/types';
import { BadInput } from './exit-codes';
import type { AwsTargetOptions } from './options';
import { actionEventsBetween } from './progress-actions';
import { gateEventsBetween } from './progress-gates';

export { executionArnOf };

/** Where the deployed orchestrator is: from flags, or from the stack's outputs. */
export interface DeploymentTarget {
  stateMachineArn: string;
  executionsTableName: string;
  /** The REST API (stack output `ApiUrl`), which `run --aws` starts executions through; read only when asked for. */
  apiUrl?: string;
}

export interface AwsClients {
  sfn: SFNClient;
  cfn: CloudFormationClient;
  db: DynamoDBDocumentClient;
}

export function awsClients(region?: string): AwsClients {
  const config = region ? { region } : {};
  return {
    sfn: new SFNClient(config),
    cfn: new CloudFormationClient(config),
    db: createDocumentClient(config),
  };
}

/**
 * Resolves the client's region now, before any call: without one the SDK fails on the first call
 * with a plain Error, which the CLI could only recognise by its text.
 */
export async function requireRegion(client: { config: { region: () => Promise<string> } }): Promise<string> {
  try {
    return await client.config.region();
  } catch (error) {
    throw new BadInput('no AWS region: set AWS_REGION or pass --region', { cause: error });
  }
}

/**
 * The clients, the region and the deployed target that `run --aws` and `status` work with;
 * `withApi`: the API's URL too (`run --aws` starts through it).
 */
export async function connectToStack(
  options: AwsTargetOptions & { apiUrl?: string },
  { withApi = false }: { withApi?: boolean } = {},
): Promise<{ clients: AwsClients; region: string; target: DeploymentTarget }> {
  const clients = awsClients(options.region);
  const region = await requireRegion(clients.sfn);
  const target = await resolveTarget(clients, {
    stackName: options.stackName,
    ...(options.stateMachineArn ? { stateMachineArn: options.stateMachineArn } : {}),
    ...(options.tableName ? { executionsTableName: options.tableName } : {}),
    ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
    withApi,
  });
  return { clients, region, target };
}

/**
 * Reads the state machine ARN, the executions table and (`withApi`) the API's URL from the
 * stack's outputs, unless all of them were given.
 */
export async function resolveTarget(
  clients: AwsClients,
  options: {
    stackName: string;
    stateMachineArn?: string;
    executionsTableName?: string;
    apiUrl?: string;
    withApi?: boolean;
  },
): Promise<DeploymentTarget> {
  const given = {
    ...(options.stateMachineArn ? { stateMachineArn: options.stateMachineArn } : {}),
    ...(options.executionsTableName ? { executionsTableName: options.executionsTableName } : {}),
    ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
  };
  if (given.stateMachineArn && given.executionsTableName && (given.apiUrl || !options.withApi)) {
    return { ...given, stateMachineArn: given.stateMachineArn, executionsTableName: given.executionsTableName };
  }
  const out = await clients.cfn.send(new DescribeStacksCommand({ StackName: options.stackName }));
  const outputs = out.Stacks?.[0]?.Outputs ?? [];
  const output = (key: string) => outputs.find((o) => o.OutputKey === key || o.OutputKey?.startsWith(key))?.OutputValue;
  const stateMachineArn = given.stateMachineArn ?? output('StateMachineArn');
  const executionsTableName = given.executionsTableName ?? output('ExecutionsTableName');
  const apiUrl = given.apiUrl ?? output('ApiUrl');
  if (!stateMachineArn || !executionsTableName) {
    throw new Error(
      `stack ${options.stackName} has no StateMachineArn / ExecutionsTableName outputs: deploy it (docs/deploy.md) or pass --state-machine-arn and --table-name`,
    );
  }
  if (options.withApi && !apiUrl) {
    throw new Error(
      `stack ${options.stackName} has no ApiUrl output (a stack deployed before the API): deploy this version (docs/deploy.md) or pass --api-url`,
    );
  }
  return { stateMachineArn, executionsTableName, ...(apiUrl ? { apiUrl } : {}) };
}

/**
 * Progress events from two readings of the records, so a deployed execution shows the same
 * lines as a local one: a wave that got its job, a gate opened or decided, an action's status, and a
 * wave whose status or counts changed.
 */
export function progressBetween(before: ExecutionResult | undefined, now: ExecutionResult, at: Date): ProgressEvent[] {
  const events: ProgressEvent[] = [];
  if (!before) {
    events.push({
      type: 'execution-started',
      executionId: now.executionId,
      at,
      waves: now.waves.map((w) => ({
        index: w.index,
        name: w.name,
        servers: w.servers?.length ?? 0,
        dependsOn: w.dependsOn,
      })),
    });
  }
  for (const wave of now.waves) {
    const previous = before?.waves[wave.index];
    if (wave.jobId && !previous?.jobId) {
      events.push({ type: 'wave-started', index: wave.index, name: wave.name, jobId: wave.jobId, at });
    }
    const counts = countsOf(wave.servers ?? []);
    const changed =
      wave.status !== previous?.status || JSON.stringify(counts) !== JSON.stringify(countsOf(previous?.servers ?? []));
    events.push(...gateEventsBetween(previous, wave, at));
    events.push(...actionEventsBetween(previous, wave, at));
    // A wave back to NOT_STARTED from waiting for room (its execution ended first) must not keep showing it.
    if ((wave.status !== 'NOT_STARTED' || previous?.status === 'WAITING_FOR_CAPACITY') && changed) {
      events.push({ type: 'wave-polled', index: wave.index, name: wave.name, status: wave.status, counts, at });
    }
  }
  return events;
}

function countsOf(servers: { launchStatus: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const server of servers)
    if (server.launchStatus !== 'NOT_STARTED') counts[server.launchStatus] = (counts[server.launchStatus] ?? 0) + 1;
  return counts;
}

export interface FollowOptions {
  pollSeconds: number;
  onProgress?: (event: ProgressEvent) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/**
 * Follows a deployed execution until Step Functions says it ended and the records agree it ended
 * (or ten reads later they still do not), then returns the result from the records (the truth, with
 * every server), judged against Step Functions' ending by the one reconcile rule.
 */
export async function followOnAws(
  clients: AwsClients,
  target: DeploymentTarget,
  executionId: string,
  options: FollowOptions,
): Promise<{ result: ExecutionResult; workflowStatus: string }> {
  const store = new ExecutionStore(clients.db, target.executionsTableName);
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? (() => new Date());
  const executionArn = executionArnOf(target.stateMachineArn, executionId);
  let previous: ExecutionResult | undefined;
  for (let settledReads = 0; ; ) {
    const [described, loaded] = await Promise.all([
      clients.sfn.send(new DescribeExecutionCommand({ executionArn })),
      store.loadExecution(executionId),
    ]);
    const current = loaded ? toResult(loaded.execution, loaded.waves, { withServers: true }) : undefined;
    if (current) {
      for (const event of progressBetween(previous, current, now())) options.onProgress?.(event);
      previous = current;
    }
    const workflowStatus = described.status ?? 'UNKNOWN';
    const recordEnded = current !== undefined && !isLive(current.status);
    // The records are brought to the truth by the workflow or, after a Stop or a timeout, by the
    // status-change rule a moment later: wait for them, but not forever.
    if (workflowStatus !== 'RUNNING' && (recordEnded || settledReads >= 10)) {
      const workflow = { status: workflowStatus, error: described.error, cause: described.cause };
      const identity = { executionId, executionArn, planId: 'unknown', executionType: 'unknown' };
      return { result: reconcileOutcome(current, workflow, identity), workflowStatus };
    }
    if (workflowStatus !== 'RUNNING') settledReads++;
    await sleep(options.pollSeconds * 1000);
  }
}

/** One execution as the records show it, and Step Functions' own status beside it. */
export async function statusOnAws(
  clients: AwsClients,
  target: DeploymentTarget,
  executionId: string,
): Promise<{ result: ExecutionResult | undefined; workflowStatus: string }> {
  const store = new ExecutionStore(clients.db, target.executionsTableName);
  const [described, loaded] = await Promise.all([
    clients.sfn
      .send(new DescribeExecutionCommand({ executionArn: executionArnOf(target.stateMachineArn, executionId) }))
      .catch((error: Error) => {
        if (error.name === 'ExecutionDoesNotExist') return { status: 'NOT_FOUND' };
        throw error;
      }),
    store.loadExecution(executionId),
  ]);
  return {
    result: loaded ? toResult(loaded.execution, loaded.waves, { withServers: true }) : undefined,
    workflowStatus: described.status ?? 'UNKNOWN',
  };
}
