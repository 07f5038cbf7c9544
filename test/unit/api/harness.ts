import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type ApiDeps, createApi } from '../../../functions/api/api';
import { ExecutionStore } from '../../../functions/shared/execution-store';
import { PlanStore } from '../../../functions/shared/plan-store';
import { LOCAL_CREDENTIALS, LocalDynamoDb } from '../../../local/dynamodb';

export const REGION = 'us-east-1';
export const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:111122223333:stateMachine:recovery-plan';
export const executionArn = (name: string) => `arn:aws:states:us-east-1:111122223333:execution:recovery-plan:${name}`;
export const consoleUrl = (arn: string) =>
  `https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/${arn}`;

/**
 * The API over dynalite (fresh tables for each call of `fresh()`, so tests do not see each
 * other's plans) with whatever SFN client the test mocks, and a clock the test sets.
 */
export async function startApiHarness() {
  const dynamo = new LocalDynamoDb();
  const endpoint = await dynamo.start();
  const client = new DynamoDBClient({ region: REGION, endpoint, credentials: LOCAL_CREDENTIALS });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const sfn = new SFNClient({ region: REGION, credentials: LOCAL_CREDENTIALS });
  let tables = 0;
  return {
    async fresh(extra: Partial<ApiDeps> = {}) {
      tables += 1;
      await dynamo.createExecutionsTable(`executions-${tables}`, REGION);
      await dynamo.createPlansTable(`plans-${tables}`, REGION);
      const clock = { time: new Date('2026-01-01T00:00:00Z'), now: () => clock.time };
      const executions = new ExecutionStore(db, `executions-${tables}`);
      const plans = new PlanStore(db, `plans-${tables}`);
      const api = createApi({
        executions,
        plans,
        sfn,
        stateMachineArn: STATE_MACHINE_ARN,
        region: REGION,
        clock,
        cleanupWorkflows: {
          start: async (name) => `arn:aws:states:${REGION}:111122223333:execution:cleanup:${name}`,
          stop: async () => {},
        },
        ...extra,
      });
      return { api, executions, plans, clock };
    },
    async stop() {
      sfn.destroy();
      client.destroy();
      await dynamo.stop();
    },
  };
}

export interface RequestOptions {
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  multiQuery?: Record<string, string[]>;
  headers?: Record<string, string>;
  body?: unknown;
  /** A body sent as is (not JSON-encoded). */
  rawBody?: string;
  /** The IAM principal API Gateway verified (`requestContext.identity.userArn`); null for none. */
  caller?: string | null;
}

/** The principal of a request unless a test says otherwise. */
export const OPERATOR = 'arn:aws:sts::111122223333:assumed-role/DrillOperator/ci';

/** An API Gateway REST proxy event for `method resource`, as API Gateway builds it. */
export function request(method: string, resource: string, options: RequestOptions = {}): APIGatewayProxyEvent {
  const path = resource.replace(/\{(\w+)\}/g, (_, name: string) => options.pathParameters?.[name] ?? `{${name}}`);
  const multi =
    options.multiQuery ??
    (options.query ? Object.fromEntries(Object.entries(options.query).map(([k, v]) => [k, [v]])) : null);
  return {
    resource,
    path,
    httpMethod: method,
    headers: options.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: multi,
    pathParameters: options.pathParameters ?? null,
    stageVariables: null,
    body: options.rawBody ?? (options.body === undefined ? null : JSON.stringify(options.body)),
    isBase64Encoded: false,
    requestContext: {
      requestId: 'req-1',
      identity: { userArn: options.caller === undefined ? OPERATOR : options.caller, caller: null },
    } as APIGatewayProxyEvent['requestContext'],
  };
}

/** A response body as the tests read it: the error shape, a page, or any resource. */
export interface ResponseBody {
  message?: string;
  problems?: string[];
  items?: Record<string, unknown>[];
  nextToken?: string;
  [field: string]: unknown;
}

/** The response with its body parsed. */
export function parsed(response: APIGatewayProxyResult): { statusCode: number; body: ResponseBody } {
  return { statusCode: response.statusCode, body: response.body ? (JSON.parse(response.body) as ResponseBody) : {} };
}
