import { DrsClient } from '@aws-sdk/client-drs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from './clock';
import { DEFAULT_DRS_LIMITS, type DrsLimits } from './drs-limits';
import { ExecutionStore } from './execution-store';
import { tracer } from './observability';
import { PlanStore } from './plan-store';

/**
 * The one place the DynamoDB, DRS and Step Functions clients are built, so every handler, the API, the CLI and the
 * local runner get the same retry settings (and the same explicit choice where a retry is unsafe).
 */
export interface Connection {
  /** Absent: the SDK's own resolution (AWS_REGION, the profile), as the CLI wants without `--region`. */
  region?: string;
  /** Local stack only: the DRS simulator and dynalite on loopback, with fake credentials. */
  drsEndpoint?: string;
  dynamoDbEndpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

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
      maxAttempts: 4,
      ...endpoint(connection.drsEndpoint),
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
    new DrsClient({ ...common(connection), maxAttempts: 1, ...endpoint(connection.drsEndpoint) }),
  );
}

/** Step Functions (execution-events asks it for an execution's real status): standard retry mode, 4 attempts. */
export function createSfnClient(connection: Connection): SFNClient {
  return tracer.captureAWSv3Client(new SFNClient({ ...common(connection), retryMode: 'standard', maxAttempts: 4 }));
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
}

export interface ClientConfig extends Connection {
  region: string;
  executionsTableName: string;
  plansTableName?: string;
  clock: Clock;
  drsLimits?: DrsLimits;
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
  };
}

const common = (connection: Connection) => ({
  ...(connection.region ? { region: connection.region } : {}),
  ...(connection.credentials ? { credentials: connection.credentials } : {}),
});

/**
 * Local endpoints (the simulator, dynalite). The SDK's HTTP handler of client-drs 3.523 leaves its
 * socket-usage check timer (3 s) running when a connection drops, which keeps a finished test
 * process alive; on loopback that check has nothing to tell, so it runs at once.
 */
const endpoint = (url?: string) =>
  url ? { endpoint: url, requestHandler: { socketAcquisitionWarningTimeout: 1 } } : {};
