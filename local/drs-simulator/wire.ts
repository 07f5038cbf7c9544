/**
 * The DRS REST-JSON wire format: each operation is `POST /<OperationName>` with a JSON body;
 * errors carry their name in the `x-amzn-errortype` header and `{ "message": ... }` plus the
 * error's fields in the body, as the SDK's deserializers expect.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DRS_ERROR_STATUS, DrsApiError, type DrsErrorType } from './errors';
import { DRS_OPERATIONS, type DrsOperation } from './requests';

/** A successful response: its status code and JSON body. */
export interface DrsResponse {
  statusCode: number;
  body: Record<string, unknown>;
}

const ERROR_STATUS: Record<DrsErrorType, number> = { ...DRS_ERROR_STATUS, UnknownOperationException: 404 };

/** The operation a request calls; undefined for anything but `POST /<operation>`. */
export function operationOf(req: IncomingMessage): DrsOperation | undefined {
  if (req.method !== 'POST') {
    return undefined;
  }
  const path = (req.url ?? '').split('?')[0] ?? '';
  return DRS_OPERATIONS.find((operation) => path === `/${operation}`);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body as a JSON object; an empty body is an empty request. */
export function parseJsonObject(raw: string): Record<string, unknown> {
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

/** An error as DRS answers it; anything but a DrsApiError is the simulator's own failure, a 500. */
export function errorResponse(
  requestId: string,
  error: unknown,
): { statusCode: number; headers: Record<string, string>; body: Record<string, unknown>; errorType: DrsErrorType } {
  const apiError =
    error instanceof DrsApiError
      ? error
      : new DrsApiError(
          'InternalServerException',
          `The DRS simulator failed: ${error instanceof Error ? error.message : String(error)}`,
        );
  // retryAfterSeconds is bound to the Retry-After header in the model, never to the body.
  const { retryAfterSeconds, ...fields } = apiError.fields;
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId, 'x-amzn-errortype': apiError.errorType };
  if (retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(retryAfterSeconds);
  }
  return {
    statusCode: ERROR_STATUS[apiError.errorType],
    headers,
    body: { message: apiError.message, ...fields },
    errorType: apiError.errorType,
  };
}

export function send(res: ServerResponse, statusCode: number, headers: Record<string, string>, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(statusCode, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}
