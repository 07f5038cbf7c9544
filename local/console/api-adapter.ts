import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Operation } from '../../functions/api/api';
import { API_ROUTES } from '../../functions/api/routes';

/** Who the local console's requests come from: API Gateway would give the caller's IAM ARN. */
export const LOCAL_CALLER_ARN = 'arn:aws:iam::000000000000:user/local-console';

const MAX_BODY_BYTES = 1024 * 1024;

/** `/plans/{planId}` as a pattern that captures `planId`. */
function patternOf(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { pattern: new RegExp(`^${source}$`), names };
}

const ROUTE_PATTERNS = [...new Set(API_ROUTES.map((route) => route.path))].map((path) => ({
  resource: path,
  ...patternOf(path),
}));

/**
 * The proxy event API Gateway would pass the handler for this request: the route's resource and
 * path parameters matched as the stage matches them (a path no route has keeps itself as the
 * resource, and the handler answers it 404 as it does on AWS), the query string in both forms, the
 * headers, the body and the caller.
 */
export function proxyEventOf(request: {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
}): APIGatewayProxyEvent {
  let resource = request.path;
  let pathParameters: Record<string, string> | null = null;
  for (const route of ROUTE_PATTERNS) {
    const match = route.pattern.exec(request.path);
    if (!match) continue;
    resource = route.resource;
    pathParameters = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
    break;
  }
  const multi: Record<string, string[]> = {};
  for (const [name, value] of request.query) multi[name] = [...(multi[name] ?? []), value];
  const single = Object.fromEntries(Object.entries(multi).map(([name, values]) => [name, values.at(-1) ?? '']));
  const hasQuery = Object.keys(multi).length > 0;
  return {
    httpMethod: request.method,
    resource,
    path: request.path,
    pathParameters,
    queryStringParameters: hasQuery ? single : null,
    multiValueQueryStringParameters: hasQuery ? multi : null,
    headers: request.headers,
    multiValueHeaders: {},
    body: request.body === '' ? null : request.body,
    isBase64Encoded: false,
    stageVariables: null,
    requestContext: {
      requestId: randomUUID(),
      identity: { userArn: LOCAL_CALLER_ARN, caller: LOCAL_CALLER_ARN },
    } as APIGatewayProxyEvent['requestContext'],
  };
}

/**
 * Node http → API Gateway proxy event → the real API handler → HTTP response. `path` is the
 * request's path under the API's base (e.g. `/plans` for `/api/plans`). Nothing here decides
 * anything a route decides: every answer is the handler's.
 */
export async function serveApiRequest(
  api: Operation,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const body = await readBody(req);
  if (body === undefined) {
    res.writeHead(413, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: `the request body is over ${MAX_BODY_BYTES} bytes` }));
    return;
  }
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]),
  );
  const event = proxyEventOf({ method: req.method ?? 'GET', path, query, headers, body });
  const answer = await api(event);
  res.writeHead(answer.statusCode, { 'cache-control': 'no-store', ...(answer.headers as Record<string, string>) });
  res.end(answer.statusCode === 204 ? undefined : answer.body);
}

/** The body as text, or undefined past the size API Gateway would take (10 MB there; 1 MB is plenty here). */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
