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

/**
 * An error answer stays far below Lambda's 6 MB response limit (beyond it API Gateway answers a
 * bare 502) however large the request was: at most this many problems are listed, each cut to
 * `MAX_PROBLEM_LENGTH` characters, and the answer says how many more there are.
 */
export const MAX_LISTED_PROBLEMS = 50;
export const MAX_PROBLEM_LENGTH = 500;

const cut = (problem: string) =>
  problem.length > MAX_PROBLEM_LENGTH ? `${problem.slice(0, MAX_PROBLEM_LENGTH - 3)}...` : problem;

/** The problems an answer lists, and how many it leaves out. */
export function listedProblems(problems: readonly string[]): { listed: string[]; more: number } {
  const listed: string[] = [];
  for (let i = 0; i < problems.length && i < MAX_LISTED_PROBLEMS; i++) listed.push(cut(problems[i] as string));
  return { listed, more: Math.max(0, problems.length - MAX_LISTED_PROBLEMS) };
}

/** `(n problems)`, or `(n problems, the first 50 listed)` when some are left out. */
export function problemCount(problems: readonly string[]): string {
  const n = problems.length;
  const listed = n > MAX_LISTED_PROBLEMS ? `, the first ${MAX_LISTED_PROBLEMS} listed` : '';
  return `${n} problem${n === 1 ? '' : 's'}${listed}`;
}

/** 400 naming every problem at once (the first MAX_LISTED_PROBLEMS of a very long list). */
export function badRequest(problems: string[], subject = 'The request'): HttpError {
  const { listed, more } = listedProblems(problems);
  const rest = more > 0 ? `; and ${more} more: fix these and send it again to see the rest` : '';
  return new HttpError(
    400,
    `${subject} is not valid (${problemCount(problems)}): ${listed.join('; ')}${rest}`,
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

/**
 * The error body `{ message, problems?, moreProblems? }`, bounded: the problems as listedProblems
 * keeps them, `moreProblems` the count left out, and the message cut like a problem.
 */
export function errorResponse(error: HttpError): APIGatewayProxyResult {
  const message =
    error.message.length > MAX_MESSAGE_LENGTH ? `${error.message.slice(0, MAX_MESSAGE_LENGTH - 3)}...` : error.message;
  if (!error.problems) return json(error.statusCode, { message });
  const { listed, more } = listedProblems(error.problems);
  return json(error.statusCode, { message, problems: listed, ...(more > 0 ? { moreProblems: more } : {}) });
}

/** Room in the message for every listed problem and its lead-in. */
const MAX_MESSAGE_LENGTH = (MAX_PROBLEM_LENGTH + 2) * MAX_LISTED_PROBLEMS + 500;

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
