import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** What SignatureV4 signs with: credentials, or a provider of them (the SDK's chain). */
export type ApiCredentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

/** One answer of the API: its status and its body as JSON (or the text, if it is not JSON). */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

export interface ApiClientOptions {
  /** The stack's `ApiUrl` output: `https://<id>.execute-api.<region>.amazonaws.com/v1/`. */
  apiUrl: string;
  /** The Region the request is signed for (the API's). */
  region: string;
  /** Default: the SDK clients' credential chain (environment, profile, SSO, container, instance). */
  credentials?: ApiCredentials;
  /** How long one request may take; API Gateway itself gives up after 29 s. */
  timeoutMs?: number;
}

/**
 * The orchestrator's REST API as the CLI calls it: every request signed with SigV4 for
 * `execute-api` with the caller's own credentials, so IAM decides what the caller may do through
 * the same operator policies as any other client (docs/security.md section 1). Answers of any
 * status are returned, not thrown: what a status means depends on the request.
 */
export class OrchestratorApiClient {
  private readonly signer: SignatureV4;
  private readonly base: URL;
  private readonly timeoutMs: number;

  constructor(options: ApiClientOptions) {
    this.base = new URL(options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.signer = new SignatureV4({
      service: 'execute-api',
      region: options.region,
      credentials: options.credentials ?? defaultProvider(),
      sha256: Sha256,
    });
  }

  /**
   * `method path` under the API's stage, e.g. `GET plans/three-tier`. Path segments are the
   * caller's to encode (`apiPath`); a body is sent as JSON.
   */
  async send(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const signed = await this.signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers: {
        host: url.host,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(body === undefined ? {} : { body }),
    });
    // fetch sets Host itself, from the same URL the signature covers.
    const { host: _host, ...headers } = signed.headers;
    const response = await fetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    return { status: response.status, body: parseBody(text) };
  }
}

/** A path under the stage from its segments, each encoded (plan IDs may hold '.', which stays as is). */
export function apiPath(...segments: string[]): string {
  return segments.map(encodeURIComponent).join('/');
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * An error answer's message and problems: the API's `{ message, problems? }`, or API Gateway's own
 * `{ "Message": ... }` / `{ "message": ... }` when it refused the request before the API ran
 * (a signature IAM refused, a throttled call).
 */
export function errorOf(answer: ApiAnswer): { message: string; problems: string[] } {
  const body = answer.body as { message?: unknown; Message?: unknown; problems?: unknown } | string | undefined;
  if (typeof body === 'string') return { message: body, problems: [] };
  const message = typeof body?.message === 'string' ? body.message : body?.Message;
  const problems = Array.isArray(body?.problems) ? body.problems.filter((p) => typeof p === 'string') : [];
  return { message: typeof message === 'string' ? message : `HTTP ${answer.status}`, problems };
}
