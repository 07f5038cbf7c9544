/**
 * The DRS simulator's HTTP face: the AWS Elastic Disaster Recovery REST-JSON protocol on loopback,
 * so the real `@aws-sdk/client-drs` client (with `endpoint` set to `start()`'s URL) runs against it.
 * The wire format is in `wire.ts`, the operations in `operations.ts`, the scenario's faults in
 * `faults.ts`; this class ties them to one listening socket and one world.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job, RecoveryInstance } from '@aws-sdk/client-drs';
import type { Clock } from '../../functions/shared/clock';
import { CALL_COUNTERS, type DrsCounts, zeroCounts } from './counts';
import { DrsApiError, DrsSimulatorAlreadyStarted } from './errors';
import { FaultSchedule, losesResponse, lostResponseError, refuseBeforeWork } from './faults';
import type { EmittedLaunchEvent } from './launch-events';
import { serveOperation } from './operations';
import type { DrsOperation } from './requests';
import type { Scenario } from './scenario';
import { type DrsResponse, errorResponse, operationOf, parseJsonObject, readBody, send } from './wire';
import { World } from './world';

/** A request and its answer: a response body, or an error (`errorType`), or a response that was lost. */
export interface DrsExchange {
  path: string;
  /** Undefined for a path that is no operation. */
  operation?: DrsOperation;
  /** The request body, once it parsed as a JSON object. */
  request?: Record<string, unknown>;
  statusCode: number;
  body: unknown;
  errorType?: string;
  /** The work was done and the connection dropped: `body` is what DRS would have answered. */
  lost?: boolean;
}

export interface DrsSimulatorOptions {
  scenario: Scenario;
  clock: Clock;
  planServerIDs: string[];
  region?: string;
  accountId?: string;
  /** Told of the launch result events each new launch job will emit (the local stack routes them). */
  onLaunchEvents?: (events: EmittedLaunchEvent[]) => void;
  /** Job and instance IDs of this simulator's own, when several share one table (the web console). */
  idSeed?: string;
}

/**
 * A DRS endpoint on 127.0.0.1 backed by the simulation in `world.ts`. Jobs move only when the
 * clock moves; `counts()` and `jobs()` give tests the ground truth without going through the API.
 */
export class DrsSimulator {
  private readonly world: World;
  private readonly callCounts: DrsCounts = zeroCounts();
  private readonly faults: FaultSchedule;
  private server: Server | undefined;
  private listener: ((exchange: DrsExchange) => void) | undefined;

  constructor(opts: DrsSimulatorOptions) {
    this.faults = new FaultSchedule(opts.scenario.faults, opts.scenario.outages, opts.clock);
    this.world = new World({
      scenario: opts.scenario,
      clock: opts.clock,
      planServerIDs: opts.planServerIDs,
      region: opts.region ?? 'us-east-1',
      accountId: opts.accountId ?? '123456789012',
      ...(opts.onLaunchEvents ? { onLaunchEvents: opts.onLaunchEvents } : {}),
      ...(opts.idSeed ? { idSeed: opts.idSeed } : {}),
    });
  }

  /** Listens on 127.0.0.1 (a free port) and returns the endpoint URL, e.g. `http://127.0.0.1:50123`. */
  async start(): Promise<string> {
    if (this.server !== undefined) {
      throw new DrsSimulatorAlreadyStarted();
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

  /**
   * Stops listening and closes every connection (keep-alive ones, and those of calls the scenario
   * left unanswered, `hangTimes`), so nothing keeps the process alive.
   */
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

  /** Every recovery instance as DescribeRecoveryInstances would return it now (the ground truth of a cleanup). */
  recoveryInstances(): RecoveryInstance[] {
    return this.world.recoveryInstances();
  }

  /**
   * Calls `listener` with every request and what was answered (contract tests check both against
   * the DRS API model). One listener at a time; `undefined` removes it.
   */
  onExchange(listener: ((exchange: DrsExchange) => void) | undefined): void {
    this.listener = listener;
  }

  /** One request: counted, then refused or served as the scenario's faults say. */
  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const exchange: Omit<DrsExchange, 'statusCode' | 'body'> = { path: req.url ?? '' };
    let response: DrsResponse;
    try {
      const operation = operationOf(req);
      const raw = await readBody(req);
      if (operation === undefined) {
        throw new DrsApiError('UnknownOperationException', `No operation at ${req.method} ${req.url}`);
      }
      exchange.operation = operation;
      this.callCounts[CALL_COUNTERS[operation]] += 1;
      const fault = this.faults.next(operation);
      refuseBeforeWork(fault, operation, this.callCounts);
      const request = parseJsonObject(raw);
      exchange.request = request;
      response = serveOperation({ world: this.world, counts: this.callCounts }, operation, request);
      if (losesResponse(fault)) {
        // DRS did the work; the caller never hears of it.
        this.callCounts.lostResponses += 1;
        if (fault === 'disconnect') {
          this.listener?.({ ...exchange, ...response, lost: true });
          req.socket.destroy();
          return;
        }
        throw lostResponseError(operation);
      }
      if (fault === 'hang') {
        // DRS did the work and never answers: the connection stays open until the client gives up.
        this.callCounts.hungCalls += 1;
        return;
      }
    } catch (error) {
      const answer = errorResponse(requestId, error);
      this.listener?.({ ...exchange, statusCode: answer.statusCode, body: answer.body, errorType: answer.errorType });
      send(res, answer.statusCode, answer.headers, answer.body);
      return;
    }
    this.listener?.({ ...exchange, ...response });
    send(res, response.statusCode, { 'x-amzn-requestid': requestId }, response.body);
  }
}
