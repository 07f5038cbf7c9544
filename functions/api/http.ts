import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/**
 * An answer other than success, thrown by a route and turned into the error body
 * `{ message, problems? }` by the router. Anything else thrown is a 500.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly problems?: string[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** 400 naming every problem at once. */
export function badRequest(problems: string[], subject = 'The request'): HttpError {
  return new HttpError(
    400,
    `${subject} is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`,
    problems,
  );
}

export const notFound = (message: string) => new HttpError(404, message);
export const conflict = (message: string) => new HttpError(409, message);

/** Every response is JSON; a 204 has no body but keeps the content type. */
export function json(statusCode: number, body?: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

export function errorResponse(error: HttpError): APIGatewayProxyResult {
  return json(error.statusCode, { message: error.message, ...(error.problems ? { problems: error.problems } : {}) });
}

/** A request header by name, whatever its case (API Gateway passes headers as the client sent them). */
export function header(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** A path parameter the route declares; without it the route cannot have matched. */
export function pathParameter(event: Pick<APIGatewayProxyEvent, 'pathParameters'>, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new HttpError(404, `the path has no ${name}`);
  return value;
}
