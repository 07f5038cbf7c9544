import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Operation } from '../../functions/api/api';
import { API_ROUTES, type RouteAccess } from '../../functions/api/routes';

/** Who signs with an access key, and which routes IAM lets them call (by the routes' `access`). */
export interface LoopbackCaller {
  secretAccessKey: string;
  arn: string;
  access: readonly RouteAccess[];
}

/** One request as it reached the gateway, before any check. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

const STAGE = '/v1';

/**
 * The real API handler behind a loopback HTTP server that does what API Gateway does before the
 * Lambda runs: checks the SigV4 signature (recomputed with the caller's secret, so a request signed
 * for another service, region, path or body is refused with 403), lets IAM refuse a route the
 * caller's access does not cover (403, API Gateway's wording), matches the stage's routes, and
 * passes the request on as a proxy event with the caller's ARN. Every request is kept for tests.
 */
export async function startLoopbackGateway(api: Operation, options: { region: string }) {
  const callers = new Map<string, LoopbackCaller>();
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void handle(req).then(
      ({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      },
      (error: Error) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `loopback gateway: ${error.message}` }));
      },
    );
  });

  const handle = async (req: IncomingMessage): Promise<{ status: number; body: string }> => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://loopback');
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(',') : (value ?? ''),
      ]),
    );
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname, headers, body });

    const caller = await verifiedCaller(method, url.pathname, headers, body);
    if (typeof caller === 'string') return { status: 403, body: JSON.stringify({ message: caller }) };

    const resourcePath = url.pathname.startsWith(`${STAGE}/`) ? url.pathname.slice(STAGE.length) : undefined;
    const match = resourcePath === undefined ? undefined : matchRoute(method, resourcePath);
    // API Gateway answers an unknown route of an IAM-authorized API as an unsigned request.
    if (!match) return { status: 403, body: JSON.stringify({ message: 'Missing Authentication Token' }) };
    if (!caller.access.includes(match.route.access)) {
      const resource = `arn:aws:execute-api:${options.region}:111122223333:loopback${STAGE}/${method}${resourcePath}`;
      return {
        status: 403,
        body: JSON.stringify({
          Message: `User: ${caller.arn} is not authorized to perform: execute-api:Invoke on resource: ${resource}`,
        }),
      };
    }
    const event = {
      resource: match.route.path,
      path: resourcePath,
      httpMethod: method,
      headers,
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: Object.keys(match.parameters).length > 0 ? match.parameters : null,
      stageVariables: null,
      body: body === '' ? null : body,
      isBase64Encoded: false,
      requestContext: { requestId: `loopback-${requests.length}`, identity: { userArn: caller.arn, caller: null } },
    } as unknown as APIGatewayProxyEvent;
    const answer = await api(event);
    return { status: answer.statusCode, body: answer.body };
  };

  /** The caller whose signature this is, or why API Gateway refuses it. */
  const verifiedCaller = async (
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<LoopbackCaller | string> => {
    const authorization = headers.authorization;
    if (!authorization) return 'Missing Authentication Token';
    const parsed =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        authorization,
      );
    if (!parsed) return `Authorization header is not AWS4-HMAC-SHA256: ${authorization}`;
    const [, accessKeyId = '', , region = '', service = '', signedHeaders = ''] = parsed;
    const caller = callers.get(accessKeyId);
    if (!caller) return 'The security token included in the request is invalid.';
    if (service !== 'execute-api' || region !== options.region) {
      return `Credential should be scoped to correct service/region: 'execute-api' in '${options.region}' (got '${service}' in '${region}')`;
    }
    const amzDate = headers['x-amz-date'] ?? '';
    const signingDate = new Date(
      amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    const signer = new SignatureV4({
      service: 'execute-api',
      region: options.region,
      credentials: { accessKeyId, secretAccessKey: caller.secretAccessKey },
      sha256: Sha256,
    });
    const [hostname = '', port] = (headers.host ?? '').split(':');
    const resigned = await signer.sign(
      {
        method,
        protocol: 'http:',
        hostname,
        ...(port ? { port: Number(port) } : {}),
        path,
        query: {},
        headers: Object.fromEntries(signedHeaders.split(';').map((name) => [name, headers[name] ?? ''])),
        ...(body === '' ? {} : { body }),
      },
      { signingDate },
    );
    if (resigned.headers.authorization !== authorization) {
      return 'The request signature we calculated does not match the signature you provided.';
    }
    return caller;
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** The stack's ApiUrl as API Gateway gives it: the stage, with a trailing slash. */
    apiUrl: `http://127.0.0.1:${port}${STAGE}/`,
    callers,
    requests,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function matchRoute(method: string, path: string) {
  for (const route of API_ROUTES) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp(
      `^${route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    const found = pattern.exec(path);
    if (!found) continue;
    const parameters = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]));
    return { route, parameters };
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
