import { DrsClient } from '@aws-sdk/client-drs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from './clock';
import { DEFAULT_DRS_LIMITS, type DrsLimits } from './drs-limits';
import { ExecutionStore } from './execution-store';
import { tracer } from './observability';
import { PlanStore } from './plan-store';

/** What every task needs, built once per Lambda container (or once per local drill). */
export interface TaskDeps {
  store: ExecutionStore;
  /** DRS client for the read calls: the SDK's standard retry mode (backoff with jitter). */
  drs: DrsClient;
  /**
   * DRS client for StartRecovery only, with SDK retries off: StartRecovery has no idempotency
   * token, so an SDK retry after a lost response could create a second job for the wave.
   */
  drsStart: DrsClient;
  clock: Clock;
  /** The DRS quotas a plan must fit (preflight). */
  drsLimits: DrsLimits;
  /** The stored plans, where the deployment has them (executions started by planId). */
  plans?: PlanStore;
}

export interface ClientConfig {
  region: string;
  executionsTableName: string;
  plansTableName?: string;
  clock: Clock;
  /** Local stack only: the DRS simulator and dynalite on loopback, with fake credentials. */
  drsEndpoint?: string;
  dynamoDbEndpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  drsLimits?: DrsLimits;
}

export function createTaskDeps(config: ClientConfig): TaskDeps {
  const common = { region: config.region, ...(config.credentials ? { credentials: config.credentials } : {}) };
  const drs = tracer.captureAWSv3Client(
    new DrsClient({ ...common, retryMode: 'standard', maxAttempts: 4, ...endpoint(config.drsEndpoint) }),
  );
  const drsStart = tracer.captureAWSv3Client(
    new DrsClient({ ...common, maxAttempts: 1, ...endpoint(config.drsEndpoint) }),
  );
  const dynamo = tracer.captureAWSv3Client(
    new DynamoDBClient({ ...common, retryMode: 'standard', maxAttempts: 6, ...endpoint(config.dynamoDbEndpoint) }),
  );
  const db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  return {
    store: new ExecutionStore(db, config.executionsTableName),
    drs,
    drsStart,
    clock: config.clock,
    drsLimits: config.drsLimits ?? DEFAULT_DRS_LIMITS,
    ...(config.plansTableName ? { plans: new PlanStore(db, config.plansTableName) } : {}),
  };
}

/**
 * Local endpoints (the simulator, dynalite). The SDK's HTTP handler of client-drs 3.523 leaves its
 * socket-usage check timer (3 s) running when a connection drops, which keeps a finished test
 * process alive; on loopback that check has nothing to tell, so it runs at once.
 */
const endpoint = (url?: string) =>
  url ? { endpoint: url, requestHandler: { socketAcquisitionWarningTimeout: 1 } } : {};
