import { DrsClient, type DrsClientConfig } from '@aws-sdk/client-drs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Clock } from './clock';
import { DEFAULT_DRS_LIMITS, type DrsLimits } from './drs-limits';
import { ExecutionStore } from './execution-store';
import { tracer } from './observability';
import { PlanStore } from './plan-store';
import type { ActionGrant } from './wave-action-grant';

/**
 * The one place the DynamoDB, DRS, Step Functions and S3 clients are built, so every handler, the API, the CLI and the
 * local runner get the same retry settings (and the same explicit choice where a retry is unsafe).
 */
export interface Connection {
  /** Absent: the SDK's own resolution (AWS_REGION, the profile), as the CLI wants without `--region`. */
  region?: string;
  /** Local stack only: the DRS simulator and dynalite on loopback, with fake credentials. */
  drsEndpoint?: string;
  dynamoDbEndpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The DRS clients' timeouts; absent: `DRS_TIMEOUTS`. The local stack shortens them (loopback answers in milliseconds). */
  drsTimeouts?: DrsTimeouts;
}

/** How long a DRS call may take, in milliseconds: to connect, and from the request to its answer. */
export interface DrsTimeouts {
  connectionMs: number;
  /** Each attempt of a read (DescribeJobs, DescribeSourceServers, ...); the SDK retries a read that timed out. */
  readRequestMs: number;
  /** StartRecovery's one attempt: past it the start is uncertain and the task looks for the job by its tags. */
  startRequestMs: number;
}

/**
 * The SDK sets no timeout: without these, a DRS call whose answer never comes hangs until the
 * Lambda dies, and the task never gets to the "uncertain start, find the job by its tags" path.
 * They are sized against the task functions' timeout (the `timeout` of `OrchestratorFunction`,
 * `infra/constructs/orchestrator-function.ts`, which `infra/constructs/task-functions.ts` may
 * override): StartRecovery's connect + answer is at most a quarter of it, so after a hung start the
 * task still has the time to search DescribeJobs and record what it found; a read's SDK attempts
 * together take at most three quarters of the time of any function that reads DRS (the API's is
 * 29 s). `test/infra/drs-timeouts.test.ts` checks both against the
 * synthesized functions, so a change on either side that breaks the relation fails there.
 */
export const DRS_TIMEOUTS: DrsTimeouts = { connectionMs: 1_000, readRequestMs: 4_000, startRequestMs: 8_000 };

/** The SDK attempts of a DRS read (standard retry mode). */
export const DRS_READ_MAX_ATTEMPTS = 4;

/** DynamoDB with the SDK's standard retry mode (backoff with jitter), 6 attempts: every store write is conditional, so a retry is safe. */
export function createDynamoDbClient(connection: Connection): DynamoDBClient {
  return tracer.captureAWSv3Client(
    new DynamoDBClient({
      ...common(connection),
      retryMode: 'standard',
      maxAttempts: 6,
      ...endpoint(connection.dynamoDbEndpoint),
    }),
  );
}

/** The document client the stores use; undefined attributes are left out rather than refused. */
export function createDocumentClient(connection: Connection): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoDbClient(connection), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** DRS for the read calls: the SDK's standard retry mode (backoff with jitter), 4 attempts. */
export function createDrsClient(connection: Connection): DrsClient {
  return tracer.captureAWSv3Client(
    new DrsClient({
      ...common(connection),
      retryMode: 'standard',
      maxAttempts: DRS_READ_MAX_ATTEMPTS,
      ...endpoint(connection.drsEndpoint),
      requestHandler: drsHttpHandler(connection, 'readRequestMs'),
    }),
  );
}

/**
 * DRS for StartRecovery only, with SDK retries off: StartRecovery has no idempotency token, so an
 * SDK retry after a lost response could create a second job for the wave. The caller decides what an
 * uncertain outcome means (`drs-errors.ts`, start-wave's adoption of the job by its tags).
 */
export function createDrsStartClient(connection: Connection): DrsClient {
  return tracer.captureAWSv3Client(
    new DrsClient({
      ...common(connection),
      maxAttempts: 1,
      ...endpoint(connection.drsEndpoint),
      requestHandler: drsHttpHandler(connection, 'startRequestMs'),
    }),
  );
}

/** Step Functions (execution-events asks it for an execution's real status): standard retry mode, 4 attempts. */
export function createSfnClient(connection: Connection): SFNClient {
  return tracer.captureAWSv3Client(new SFNClient({ ...common(connection), retryMode: 'standard', maxAttempts: 4 }));
}

/**
 * S3 (execution-events writes the reports): standard retry mode, 4 attempts. A PutObject of the same key
 * and body is idempotent, so a retry after a lost response is safe.
 */
export function createS3Client(connection: Connection): S3Client {
  return tracer.captureAWSv3Client(new S3Client({ ...common(connection), retryMode: 'standard', maxAttempts: 4 }));
}

/** What every task needs, built once per Lambda container (or once per local drill). */
export interface TaskDeps {
  store: ExecutionStore;
  /** DRS client for the read calls (`createDrsClient`). */
  drs: DrsClient;
  /** DRS client for StartRecovery only, SDK retries off (`createDrsStartClient`). */
  drsStart: DrsClient;
  clock: Clock;
  /** The DRS quotas a plan must fit (preflight). */
  drsLimits: DrsLimits;
  /** The stored plans, where the deployment has them (executions started by planId). */
  plans?: PlanStore;
  /** The wave action functions the deployment may invoke (the first task refuses others); absent only on the local stack, whose actions are simulated. */
  actionGrant?: ActionGrant;
}

export interface ClientConfig extends Connection {
  region: string;
  executionsTableName: string;
  plansTableName?: string;
  clock: Clock;
  drsLimits?: DrsLimits;
  actionGrant?: ActionGrant;
}

export function createTaskDeps(config: ClientConfig): TaskDeps {
  const db = createDocumentClient(config);
  return {
    store: new ExecutionStore(db, config.executionsTableName),
    drs: createDrsClient(config),
    drsStart: createDrsStartClient(config),
    clock: config.clock,
    drsLimits: config.drsLimits ?? DEFAULT_DRS_LIMITS,
    ...(config.plansTableName ? { plans: new PlanStore(db, config.plansTableName) } : {}),
    ...(config.actionGrant ? { actionGrant: config.actionGrant } : {}),
  };
}

const common = (connection: Connection) => ({
  ...(connection.region ? { region: connection.region } : {}),
  ...(connection.credentials ? { credentials: connection.credentials } : {}),
});

/** Local endpoints (the simulator, dynalite). */
const endpoint = (url?: string) => (url ? { endpoint: url } : {});

/**
 * The DRS clients' HTTP handler, with the timeouts. It is the top-level `@smithy/node-http-handler`
 * (the one the other SDK clients use), not the 2.5 copy `@aws-sdk/client-drs` 3.523 bundles: that
 * one never clears its socket-usage check timer when a request fails (a dropped connection, a
 * timeout), so every failed DRS call left a timer of connect + request time that kept a finished
 * process (a test run, a CLI drill) alive. `throwOnRequestTimeout`: a request past its time fails
 * with a TimeoutError (the handler only logs a warning otherwise); `socketTimeout` bounds a stalled
 * response body the same way.
 */
function drsHttpHandler(connection: Connection, request: 'readRequestMs' | 'startRequestMs') {
  const timeouts = connection.drsTimeouts ?? DRS_TIMEOUTS;
  // client-drs 3.523 declares its handler with @smithy/types 2; the handler's contract (handle, destroy) is the same.
  return new NodeHttpHandler({
    connectionTimeout: timeouts.connectionMs,
    requestTimeout: timeouts[request],
    throwOnRequestTimeout: true,
    socketTimeout: timeouts[request],
  }) as unknown as DrsClientConfig['requestHandler'];
}
