import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { createApi } from '../../functions/api/api';
import { createDocumentClient } from '../../functions/shared/clients';
import { ExecutionStore } from '../../functions/shared/execution-store';
import { PlanStore } from '../../functions/shared/plan-store';
import type { Scenario } from '../drs-simulator';
import { LOCAL_CREDENTIALS, LocalDynamoDb } from '../dynamodb';
import { LOCAL_REGION, LocalStack, PLANS_TABLE_NAME, TABLE_NAME } from '../local-stack';
import { PacedClock } from '../paced-clock';
import { planServerIDs } from '../run-local-execution';
import { LOCAL_STATE_MACHINE_ARN, LocalStepFunctions } from '../step-functions';
import { TaskTokens } from '../task-tokens';
import { serveApiRequest } from './api-adapter';
import { ConsoleCleanups } from './console-cleanups';
import { LocalWorkflows } from './local-workflows';
import { checkSimulator, DEFAULT_SCENARIO } from './scenarios';
import { serveStatic } from './static-files';

/** The request header the local console names an execution's scenario with (the API itself never reads it). */
export const SCENARIO_HEADER = 'x-local-scenario';
const API_BASE = '/api';

export interface ConsoleServerOptions {
  /** Simulated seconds per real second (60: a simulated minute each second). */
  speed: number;
  scenarios: Map<string, Scenario>;
  /** The built console (console/dist); without it only the API and config.json are served. */
  staticDir?: string;
  port?: number;
  host?: string;
  onError?: (what: string, error: unknown) => void;
}

export interface ConsoleServer {
  url: string;
  clock: PacedClock;
  close(): Promise<void>;
}

/**
 * The local console's server: one dynalite with the API's tables, a paced clock, the real API
 * handler behind the HTTP adapter on `/api`, the console's files and its `config.json`. Each
 * execution the API starts runs in the local engine with a DRS simulator of its own scenario (the
 * `x-local-scenario` header of the start request), on the shared tables and clock.
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const clock = new PacedClock(options.speed);
  const dynamo = new LocalDynamoDb();
  const dynamoDbEndpoint = await dynamo.start();
  await dynamo.createExecutionsTable(TABLE_NAME, LOCAL_REGION);
  await dynamo.createPlansTable(PLANS_TABLE_NAME, LOCAL_REGION);
  const db = createDocumentClient({ region: LOCAL_REGION, dynamoDbEndpoint, credentials: LOCAL_CREDENTIALS });
  const onError = options.onError ?? (() => {});
  // One set of task tokens for every execution, at the clock's pace: a gate waits for the API's decision in watchable time.
  const tokens = new TaskTokens(clock, (seconds, signal) => clock.pace(seconds, signal));

  // Each execution's stack, kept open after it ends: its simulator alone knows the recovery instances a cleanup terminates.
  const stacks = new Map<string, LocalStack>();
  // The scenario of the start request being handled: StartExecution runs inside its scope.
  const scenarioOfRequest = new AsyncLocalStorage<string>();
  const workflows = new LocalWorkflows(
    async ({ name, input, signal }) => {
      const scenarioName = scenarioOfRequest.getStore() ?? DEFAULT_SCENARIO;
      const scenario = options.scenarios.get(scenarioName) ?? options.scenarios.get(DEFAULT_SCENARIO);
      if (!scenario) throw new Error(`no scenario '${scenarioName}'`);
      const stack = await LocalStack.start({
        scenario,
        planServerIDs: planServerIDs(input),
        shared: { clock, dynamoDbEndpoint, tokens, idSeed: name },
      });
      stacks.set(name, stack);
      const run = await stack.execute({
        input,
        executionName: name,
        signal,
        pace: (seconds) => clock.pace(seconds, signal),
      });
      return run.workflow;
    },
    clock,
    LOCAL_STATE_MACHINE_ARN,
    (name, error) => onError(`execution ${name}`, error),
    new LocalStepFunctions(LOCAL_STATE_MACHINE_ARN, tokens),
  );
  const api = createApi({
    executions: new ExecutionStore(db, TABLE_NAME),
    plans: new PlanStore(db, PLANS_TABLE_NAME),
    sfn: workflows as unknown as SFNClient,
    cleanupWorkflows: new ConsoleCleanups(
      (executionId) => stacks.get(executionId),
      () => stacks.values(),
      onError,
    ),
    stateMachineArn: LOCAL_STATE_MACHINE_ARN,
    region: LOCAL_REGION,
    clock,
    // A check asks a simulator of the request's scenario, as the execution it previews would run against.
    checkTarget: (plan) =>
      checkSimulator(options.scenarios, scenarioOfRequest.getStore() ?? DEFAULT_SCENARIO, plan, clock),
  });

  const config = JSON.stringify({
    mode: 'local',
    apiUrl: API_BASE,
    region: LOCAL_REGION,
    speed: options.speed,
    scenarios: [...options.scenarios.keys()],
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === API_BASE || url.pathname.startsWith(`${API_BASE}/`)) {
      const scenario = req.headers[SCENARIO_HEADER];
      if (typeof scenario === 'string' && !options.scenarios.has(scenario)) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            message: `${SCENARIO_HEADER}: no scenario '${scenario}'; the scenarios are ${[...options.scenarios.keys()].join(', ')}`,
          }),
        );
        return;
      }
      const path = url.pathname.slice(API_BASE.length) || '/';
      await scenarioOfRequest.run(typeof scenario === 'string' ? scenario : DEFAULT_SCENARIO, () =>
        serveApiRequest(api, req, res, path, url.searchParams),
      );
      return;
    }
    if (url.pathname === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(config);
      return;
    }
    await serveStatic(options.staticDir, url.pathname, res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      onError(`${req.method} ${req.url}`, error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'local console server error: see its terminal' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    clock,
    async close() {
      workflows.stopAll();
      await workflows.settled();
      await Promise.all([...stacks.values()].map((stack) => stack.close()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      db.destroy();
      await dynamo.stop();
    },
  };
}
