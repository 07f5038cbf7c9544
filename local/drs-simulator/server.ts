/**
 * The DRS simulator's HTTP face: the AWS Elastic Disaster Recovery REST-JSON protocol on loopback,
 * so the real `@aws-sdk/client-drs` client (with `endpoint` set to `start()`'s URL) runs against it.
 * Each operation is `POST /<OperationName>` with a JSON body; errors carry their name in the
 * `x-amzn-errortype` header and `{ "message": ... }` in the body, as the SDK's deserializers expect.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job, ValidationExceptionField } from '@aws-sdk/client-drs';
import { z } from 'zod';
import type { Clock } from '../../functions/shared/clock';
import { JOB_ID, SOURCE_SERVER_ID } from '../../functions/shared/ids';
import { placedIssues } from '../../functions/shared/zod-problems';
import { FAULTABLE_OPERATIONS, type Scenario } from './scenario';
import { DrsApiError, type DrsErrorType, World } from './world';

/** The operations the simulator serves, each at `POST /<name>` (a scenario may inject faults into each). */
export const DRS_OPERATIONS = FAULTABLE_OPERATIONS;
export type DrsOperation = (typeof DRS_OPERATIONS)[number];

/**
 * How many calls each operation received (whatever their outcome), how many LAUNCH jobs were
 * created, and how many faults the scenario injected.
 */
export interface DrsCounts {
  startRecoveryCalls: number;
  jobsCreated: number;
  throttledCalls: number;
  internalErrors: number;
  lostResponses: number;
  describeJobsCalls: number;
  describeJobLogItemsCalls: number;
  describeSourceServersCalls: number;
  describeRecoveryInstancesCalls: number;
  terminateRecoveryInstancesCalls: number;
}

export interface DrsSimulatorOptions {
  scenario: Scenario;
  clock: Clock;
  planServerIDs: string[];
  region?: string;
  accountId?: string;
}

/** A successful response: its status code and JSON body. */
export interface DrsResponse {
  statusCode: number;
  body: Record<string, unknown>;
}

const CALL_COUNTERS: Record<
  DrsOperation,
  Exclude<keyof DrsCounts, 'jobsCreated' | 'throttledCalls' | 'internalErrors' | 'lostResponses'>
> = {
  StartRecovery: 'startRecoveryCalls',
  DescribeJobs: 'describeJobsCalls',
  DescribeJobLogItems: 'describeJobLogItemsCalls',
  DescribeSourceServers: 'describeSourceServersCalls',
  DescribeRecoveryInstances: 'describeRecoveryInstancesCalls',
  TerminateRecoveryInstances: 'terminateRecoveryInstancesCalls',
};

const ERROR_STATUS: Record<DrsErrorType, number> = {
  ValidationException: 400,
  ConflictException: 409,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  InternalServerException: 500,
  UnknownOperationException: 404,
};

const DEFAULT_PAGE_SIZE = 50;
const MAX_IDS = 200;
const RECOVERY_INSTANCE_ID_PATTERN = /^i-[0-9a-fA-F]{8,}$/;

const pageSchema = {
  maxResults: z.number().int().min(1).max(1000).optional(),
  nextToken: z.string().max(2048).optional(),
};
const idList = (pattern: RegExp, max: number) => z.array(z.string().regex(pattern)).max(max);

// Request shapes as DRS checks them. Unknown members are ignored, as AWS services do.
const requestSchemas = {
  StartRecovery: z.object({
    sourceServers: z
      .array(
        z.object({
          sourceServerID: z.string().regex(SOURCE_SERVER_ID),
          recoverySnapshotID: z.string().optional(),
        }),
      )
      .min(1)
      .max(MAX_IDS),
    isDrill: z.boolean().optional(),
    tags: z.record(z.string(), z.string()).optional(),
  }),
  DescribeJobs: z.object({
    filters: z
      .object({
        jobIDs: idList(JOB_ID, 1000).optional(),
        fromDate: z.string().optional(),
        toDate: z.string().optional(),
      })
      .optional(),
    ...pageSchema,
  }),
  DescribeJobLogItems: z.object({ jobID: z.string().regex(JOB_ID), ...pageSchema }),
  DescribeSourceServers: z.object({
    filters: z
      .object({
        sourceServerIDs: idList(SOURCE_SERVER_ID, MAX_IDS).optional(),
        hardwareId: z.string().optional(),
        stagingAccountIDs: z.array(z.string()).optional(),
      })
      .optional(),
    ...pageSchema,
  }),
  DescribeRecoveryInstances: z.object({
    filters: z
      .object({
        recoveryInstanceIDs: idList(RECOVERY_INSTANCE_ID_PATTERN, MAX_IDS).optional(),
        sourceServerIDs: idList(SOURCE_SERVER_ID, MAX_IDS).optional(),
      })
      .optional(),
    ...pageSchema,
  }),
  TerminateRecoveryInstances: z.object({
    recoveryInstanceIDs: idList(RECOVERY_INSTANCE_ID_PATTERN, MAX_IDS).min(1),
  }),
} satisfies Record<DrsOperation, z.ZodType>;

/**
 * A DRS endpoint on 127.0.0.1 backed by the simulation in `world.ts`. Jobs move only when the
 * clock moves; `counts()` and `jobs()` give tests the ground truth without going through the API.
 */
export class DrsSimulator {
  private readonly world: World;
  private readonly callCounts: DrsCounts = {
    startRecoveryCalls: 0,
    jobsCreated: 0,
    describeJobsCalls: 0,
    describeJobLogItemsCalls: 0,
    describeSourceServersCalls: 0,
    describeRecoveryInstancesCalls: 0,
    terminateRecoveryInstancesCalls: 0,
    throttledCalls: 0,
    internalErrors: 0,
    lostResponses: 0,
  };
  private server: Server | undefined;
  private readonly faults: Scenario['faults'];
  private readonly callsByOperation = new Map<DrsOperation, number>();

  constructor(opts: DrsSimulatorOptions) {
    this.faults = opts.scenario.faults ?? {};
    this.world = new World({
      scenario: opts.scenario,
      clock: opts.clock,
      planServerIDs: opts.planServerIDs,
      region: opts.region ?? 'us-east-1',
      accountId: opts.accountId ?? '123456789012',
    });
  }

  /** Listens on 127.0.0.1 (a free port) and returns the endpoint URL, e.g. `http://127.0.0.1:50123`. */
  async start(): Promise<string> {
    if (this.server !== undefined) {
      throw new Error('The DRS simulator is already started');
    }
    const server = createServer((req, res) => {
      this.serve(req, res).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
    this.server = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      this.server = undefined;
      throw error;
    }
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Stops listening and closes every connection (keep-alive ones too), so nothing keeps the process alive. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) {
      return;
    }
    this.server = undefined;
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  }

  counts(): DrsCounts {
    return { ...this.callCounts };
  }

  /** Every job as DescribeJobs would return it now, newest first. */
  jobs(): Job[] {
    return this.world.jobs();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    let response: DrsResponse;
    try {
      const operation = operationOf(req);
      const raw = await readBody(req);
      if (operation === undefined) {
        throw new DrsApiError('UnknownOperationException', `No operation at ${req.method} ${req.url}`);
      }
      this.callCounts[CALL_COUNTERS[operation]] += 1;
      const fault = this.faultFor(operation);
      if (fault === 'throttle') {
        this.callCounts.throttledCalls += 1;
        throw new DrsApiError('ThrottlingException', `Rate exceeded for ${operation} (injected by the scenario)`, {
          retryAfterSeconds: 1,
        });
      }
      if (fault === 'internal') {
        this.callCounts.internalErrors += 1;
        throw new DrsApiError('InternalServerException', `Internal error in ${operation} (injected by the scenario)`);
      }
      response = this.dispatch(operation, parseJsonObject(raw));
      if (fault === 'disconnect' || fault === 'error') {
        // DRS did the work; the caller never hears of it.
        this.callCounts.lostResponses += 1;
        if (fault === 'disconnect') {
          req.socket.destroy();
          return;
        }
        throw new DrsApiError(
          'InternalServerException',
          `Internal error after ${operation} (injected by the scenario)`,
        );
      }
    } catch (error) {
      sendError(res, requestId, error);
      return;
    }
    send(res, response.statusCode, { 'x-amzn-requestid': requestId }, response.body);
  }

  /** The scenario's fault for this call of the operation, by its position among the operation's calls. */
  private faultFor(operation: DrsOperation): 'throttle' | 'internal' | 'disconnect' | 'error' | undefined {
    const call = (this.callsByOperation.get(operation) ?? 0) + 1;
    this.callsByOperation.set(operation, call);
    const fault = this.faults[operation];
    if (!fault) return undefined;
    if (call <= fault.throttleTimes) return 'throttle';
    if (call <= fault.throttleTimes + fault.internalErrorTimes) return 'internal';
    if (call <= fault.throttleTimes + fault.internalErrorTimes + fault.loseResponseTimes) return fault.loseResponseAs;
    return undefined;
  }

  /**
   * The one place every request is served, by operation name, after it was counted and its body
   * parsed. Fault injection (throttling, internal errors, latency) belongs here.
   */
  private dispatch(operation: DrsOperation, body: Record<string, unknown>): DrsResponse {
    switch (operation) {
      case 'StartRecovery':
        return this.startRecovery(validate(requestSchemas.StartRecovery, body));
      case 'DescribeJobs':
        return this.describeJobs(validate(requestSchemas.DescribeJobs, body));
      case 'DescribeJobLogItems':
        return this.describeJobLogItems(validate(requestSchemas.DescribeJobLogItems, body));
      case 'DescribeSourceServers':
        return this.describeSourceServers(validate(requestSchemas.DescribeSourceServers, body));
      case 'DescribeRecoveryInstances':
        return this.describeRecoveryInstances(validate(requestSchemas.DescribeRecoveryInstances, body));
      case 'TerminateRecoveryInstances':
        return this.terminateRecoveryInstances(validate(requestSchemas.TerminateRecoveryInstances, body));
    }
  }

  private startRecovery(input: z.output<typeof requestSchemas.StartRecovery>): DrsResponse {
    const sourceServerIDs = input.sourceServers.map((s) => s.sourceServerID);
    const duplicates = [...new Set(sourceServerIDs.filter((id, index) => sourceServerIDs.indexOf(id) !== index))];
    if (duplicates.length > 0) {
      throw DrsApiError.validation(
        `Source servers listed more than once: ${duplicates.join(', ')}`,
        'fieldValidationFailed',
        [{ name: 'sourceServers', message: `Duplicate source server IDs: ${duplicates.join(', ')}` }],
      );
    }
    const job = this.world.startRecovery({ sourceServerIDs, isDrill: input.isDrill ?? false, tags: input.tags ?? {} });
    this.callCounts.jobsCreated += 1;
    return { statusCode: 202, body: { job } };
  }

  private describeJobs(input: z.output<typeof requestSchemas.DescribeJobs>): DrsResponse {
    const { jobIDs, fromDate, toDate } = input.filters ?? {};
    const fromMs = parseDate('filters.fromDate', fromDate);
    const toMs = parseDate('filters.toDate', toDate);
    const wanted = jobIDs !== undefined && jobIDs.length > 0 ? new Set(jobIDs) : undefined;
    const jobs = this.world.jobs({
      ...(wanted ? { jobIDs: wanted } : {}),
      ...(fromMs !== undefined ? { fromMs } : {}),
      ...(toMs !== undefined ? { toMs } : {}),
    });
    // Keyed by job ID, so jobs created between two pages do not shift the next page.
    return { statusCode: 200, body: paginate('DescribeJobs', jobs, input, (job) => job.jobID ?? '') };
  }

  private describeJobLogItems(input: z.output<typeof requestSchemas.DescribeJobLogItems>): DrsResponse {
    const items = this.world.jobLog(input.jobID) ?? [];
    return { statusCode: 200, body: paginate(`DescribeJobLogItems/${input.jobID}`, items, input, byIndex) };
  }

  private describeSourceServers(input: z.output<typeof requestSchemas.DescribeSourceServers>): DrsResponse {
    const ids = nonEmptySet(input.filters?.sourceServerIDs);
    const servers = this.world.sourceServers().filter((s) => ids === undefined || ids.has(s.sourceServerID ?? ''));
    return { statusCode: 200, body: paginate('DescribeSourceServers', servers, input, byIndex) };
  }

  private describeRecoveryInstances(input: z.output<typeof requestSchemas.DescribeRecoveryInstances>): DrsResponse {
    const instanceIDs = nonEmptySet(input.filters?.recoveryInstanceIDs);
    const serverIDs = nonEmptySet(input.filters?.sourceServerIDs);
    const instances = this.world
      .recoveryInstances()
      .filter(
        (i) =>
          (instanceIDs === undefined || instanceIDs.has(i.recoveryInstanceID ?? '')) &&
          (serverIDs === undefined || serverIDs.has(i.sourceServerID ?? '')),
      );
    return { statusCode: 200, body: paginate('DescribeRecoveryInstances', instances, input, byIndex) };
  }

  private terminateRecoveryInstances(input: z.output<typeof requestSchemas.TerminateRecoveryInstances>): DrsResponse {
    const ids = [...new Set(input.recoveryInstanceIDs)];
    return { statusCode: 200, body: { job: this.world.terminateRecoveryInstances(ids) } };
  }
}

function operationOf(req: IncomingMessage): DrsOperation | undefined {
  if (req.method !== 'POST') {
    return undefined;
  }
  const path = (req.url ?? '').split('?')[0] ?? '';
  return DRS_OPERATIONS.find((operation) => path === `/${operation}`);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonObject(raw: string): Record<string, unknown> {
  if (raw.trim() === '') {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw DrsApiError.validation(
      `The request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      'cannotParse',
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw DrsApiError.validation('The request body is not a JSON object', 'cannotParse');
  }
  return parsed as Record<string, unknown>;
}

function validate<T extends z.ZodType>(schema: T, body: Record<string, unknown>): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) {
    return parsed.data;
  }
  const fieldList: ValidationExceptionField[] = placedIssues(parsed.error).map(({ path, message }) => ({
    name: path || '(body)',
    message,
  }));
  throw DrsApiError.validation(
    `Invalid request: ${fieldList.map((f) => `${f.name}: ${f.message}`).join('; ')}`,
    'fieldValidationFailed',
    fieldList,
  );
}

function parseDate(field: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw DrsApiError.validation(`${field} is not a date: ${value}`, 'fieldValidationFailed', [
      { name: field, message: 'expected an ISO-8601 date-time' },
    ]);
  }
  return ms;
}

function nonEmptySet(ids: string[] | undefined): Set<string> | undefined {
  return ids !== undefined && ids.length > 0 ? new Set(ids) : undefined;
}

const byIndex = (_item: unknown, index: number): string => String(index);

/**
 * One page of `items`. The token names the listing and the key of the next page's first item,
 * so a token from another listing (or a made-up one) is refused as DRS refuses it.
 */
function paginate<T>(
  listing: string,
  items: T[],
  input: { maxResults?: number; nextToken?: string },
  keyOf: (item: T, index: number) => string,
): { items: T[]; nextToken?: string } {
  let start = 0;
  if (input.nextToken !== undefined) {
    const key = decodeToken(listing, input.nextToken);
    start = items.findIndex((item, index) => keyOf(item, index) === key);
    if (start < 0) {
      throw DrsApiError.validation('The nextToken is not valid for this request', 'fieldValidationFailed', [
        { name: 'nextToken', message: 'unknown or expired token' },
      ]);
    }
  }
  const end = start + (input.maxResults ?? DEFAULT_PAGE_SIZE);
  const page = items.slice(start, end);
  const next = items[end];
  return next === undefined ? { items: page } : { items: page, nextToken: encodeToken(listing, keyOf(next, end)) };
}

function encodeToken(listing: string, key: string): string {
  return Buffer.from(JSON.stringify({ listing, key }), 'utf8').toString('base64url');
}

function decodeToken(listing: string, token: string): string | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      decoded !== null &&
      typeof decoded === 'object' &&
      'listing' in decoded &&
      'key' in decoded &&
      decoded.listing === listing &&
      typeof decoded.key === 'string'
    ) {
      return decoded.key;
    }
  } catch {
    // not one of ours: refused below
  }
  return undefined;
}

function sendError(res: ServerResponse, requestId: string, error: unknown): void {
  const apiError =
    error instanceof DrsApiError
      ? error
      : new DrsApiError(
          'InternalServerException',
          `The DRS simulator failed: ${error instanceof Error ? error.message : String(error)}`,
        );
  const { retryAfterSeconds, ...fields } = apiError.fields;
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId, 'x-amzn-errortype': apiError.errorType };
  if (retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(retryAfterSeconds);
  }
  send(res, ERROR_STATUS[apiError.errorType], headers, { message: apiError.message, ...fields });
}

function send(res: ServerResponse, statusCode: number, headers: Record<string, string>, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(statusCode, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}
