import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { PLAN_ID, PLAN_ID_RULE } from '../shared/ids';
import {
  type ExecutionStatus,
  type ExecutionType,
  FINAL_EXECUTION_STATUSES,
  LIVE_EXECUTION_STATUSES,
} from '../shared/types';
import { problemsOf, shown } from '../shared/zod-problems';
import { badRequest, header } from './http';
import { PAGE_LIMIT } from './pagination';

/**
 * Reading requests: the body as JSON, the query string, the Idempotency-Key header. Each reader
 * collects problems instead of stopping at the first, and the caller answers 400 naming them all.
 */

export const EXECUTION_STATUSES: readonly ExecutionStatus[] = [...LIVE_EXECUTION_STATUSES, ...FINAL_EXECUTION_STATUSES];
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,64}$/;

export type BodyRead = { ok: true; value: unknown } | { ok: false; problem: string };

/** The body parsed as JSON (API Gateway may pass it base64-encoded). */
export function readJsonBody(
  event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>,
  expected: string,
): BodyRead {
  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (raw === null || raw === undefined || raw.trim() === '') {
    return { ok: false, problem: `the request body is empty: send ${expected} as JSON` };
  }
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    return {
      ok: false,
      problem: `the request body is not JSON (${(error as Error).message}): send ${expected} as JSON`,
    };
  }
}

/** The body as JSON, or 400 saying it is not. */
export function requireJsonBody(
  event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>,
  expected: string,
): unknown {
  const body = readJsonBody(event, expected);
  if (!body.ok) throw badRequest([body.problem]);
  return body.value;
}

const limitParam = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return PAGE_LIMIT.default;
    const limit = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
    if (limit >= PAGE_LIMIT.min && limit <= PAGE_LIMIT.max) return limit;
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: `must be a whole number from ${PAGE_LIMIT.min} to ${PAGE_LIMIT.max} (got ${shown(value)})`,
    });
    return z.NEVER;
  });

const nextTokenParam = z.string().min(1, { error: 'must not be empty: leave it out to start from the first page' });

const queryOf = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const accepted = Object.keys(shape).join(', ');
      return `unknown query parameter${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `'${k}'`).join(', ')}: this route accepts ${accepted}`;
    },
  });

export const listPlansQuery = queryOf({ limit: limitParam, nextToken: nextTokenParam.optional() });

/** `GET /executions/{executionId}/report`: the facts as JSON (the default), or the page with `format=html`. */
export const reportQuery = queryOf({
  format: z.enum(['json', 'html'], { error: (issue) => `must be json or html (got ${shown(issue.input)})` }).optional(),
});

export const listExecutionsQuery = queryOf({
  // A filter that cannot match a plan ID is a mistake worth naming.
  planId: z
    .string()
    .regex(PLAN_ID, { error: (issue) => `${shown(issue.input)} is not a plan ID (${PLAN_ID_RULE})` })
    .optional(),
  status: z
    .enum(EXECUTION_STATUSES as [ExecutionStatus, ...ExecutionStatus[]], {
      error: (issue) => `must be one of ${EXECUTION_STATUSES.join(', ')} (got ${shown(issue.input)})`,
    })
    .optional(),
  limit: limitParam,
  nextToken: nextTokenParam.optional(),
});

/** The query string checked against a route's schema: unknown, repeated and bad parameters are all named. */
export function readQuery<S extends z.ZodType>(
  event: Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters'>,
  schema: S,
): z.infer<S> {
  const problems: string[] = [];
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (values && values.length > 1) problems.push(`${name}: is given ${values.length} times: give it once`);
  }
  const parsed = schema.safeParse(event.queryStringParameters ?? {});
  if (!parsed.success) for (const problem of problemsOf(parsed.error)) problems.push(problem);
  if (problems.length > 0 || !parsed.success) throw badRequest(problems);
  return parsed.data;
}

/** The Idempotency-Key header: 1 to 64 printable ASCII characters, or a problem naming what was sent. */
function readIdempotencyKey(event: Pick<APIGatewayProxyEvent, 'headers'>, problems: string[]): string | undefined {
  const key = header(event, 'Idempotency-Key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    problems.push(
      `Idempotency-Key: must be 1 to 64 printable ASCII characters (got ${key.length} character${key.length === 1 ? '' : 's'}${key.length > 0 ? `: ${shown(key)}` : ''})`,
    );
  }
  return key;
}

const unexpectedFields = (keys: string[], accepted: string) =>
  `unexpected field${keys.length === 1 ? '' : 's'} ${keys
    .slice(0, 10)
    .map((k) => `'${shown(k, 40).replace(/^"|"$/g, '')}'`)
    .join(', ')}${keys.length > 10 ? ` and ${keys.length - 10} more` : ''}: ${accepted}`;

/** The drill route's body: none, or `{}`. The route is the execution type, so the body has nothing to say. */
export const startDrillBody = z.strictObject(
  {},
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? unexpectedFields(
            issue.keys,
            'POST /plans/{planId}/drills takes no body (the route says DRILL; a RECOVERY is POST /plans/{planId}/recoveries)',
          )
        : `the body must be empty or {} (got ${shown(issue.input)})`,
  },
);

const RECOVERY_BODY = '{ "confirm": true }';

/** The recovery route's body: the confirmation, and nothing else (the route says RECOVERY). */
export const startRecoveryBody = z.strictObject(
  {
    confirm: z.boolean({ error: (issue) => `must be true (got ${shown(issue.input)})` }).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? unexpectedFields(issue.keys, 'the body has only confirm (the route says RECOVERY)')
        : `the body must be the JSON object ${RECOVERY_BODY} (got ${shown(issue.input)})`,
  },
);

const CONFIRM_RECOVERY =
  'confirm: a RECOVERY launches the production workloads in the recovery Region (not a drill): send "confirm": true to start it';

export interface StartExecutionRequest {
  executionType: ExecutionType;
  /** The `Idempotency-Key` header: the same key from the same caller for the same plan names the same execution. */
  idempotencyKey?: string;
}

/**
 * A start request on the route of its type: the body (none for a drill, the confirmation for a
 * recovery) and the Idempotency-Key header, every problem named in one 400.
 */
export function readStartRequest(
  event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded' | 'headers'>,
  executionType: ExecutionType,
): StartExecutionRequest {
  const problems: string[] = [];
  const empty = event.body === null || event.body === undefined || event.body.trim() === '';
  if (executionType === 'DRILL') {
    if (!empty) {
      const body = readJsonBody(event, '{} or no body');
      if (!body.ok) problems.push(body.problem);
      else {
        const parsed = startDrillBody.safeParse(body.value);
        if (!parsed.success) for (const problem of problemsOf(parsed.error)) problems.push(problem);
      }
    }
  } else if (empty) problems.push(CONFIRM_RECOVERY);
  else {
    const body = readJsonBody(event, RECOVERY_BODY);
    if (!body.ok) problems.push(body.problem);
    else {
      const parsed = startRecoveryBody.safeParse(body.value);
      if (!parsed.success) for (const problem of problemsOf(parsed.error)) problems.push(problem);
      else if (parsed.data.confirm !== true) problems.push(CONFIRM_RECOVERY);
    }
  }
  const key = readIdempotencyKey(event, problems);
  if (problems.length > 0) throw badRequest(problems);
  return { executionType, ...(key !== undefined ? { idempotencyKey: key } : {}) };
}

/**
 * Who is calling: the IAM principal API Gateway verified the SigV4 signature of (the user or
 * assumed-role session ARN; `caller` if API Gateway gave no ARN). Undefined only when API
 * Gateway passed no identity, which an IAM-authorized method never does.
 */
export function callerOf(event: Pick<APIGatewayProxyEvent, 'requestContext'>): string | undefined {
  const identity = event.requestContext?.identity;
  return identity?.userArn || identity?.caller || undefined;
}

/** The check route's body: none, `{}`, or the execution type to check for (DRILL unless said). */
export const checkPlanBody = z.strictObject(
  {
    executionType: z
      .enum(['DRILL', 'RECOVERY'], {
        error: (issue) => `must be DRILL or RECOVERY (got ${shown(issue.input)})`,
      })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unexpected field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `'${k}'`).join(', ')}: the body has only executionType`
        : `the body must be empty or the JSON object { "executionType": "DRILL" | "RECOVERY" } (got ${shown(issue.input)})`,
  },
);
