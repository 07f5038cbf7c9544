import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { PLAN_ID, PLAN_ID_RULE } from '../shared/ids';
import {
  EXECUTION_TYPES,
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
  if (!parsed.success) problems.push(...problemsOf(parsed.error));
  if (problems.length > 0 || !parsed.success) throw badRequest(problems);
  return parsed.data;
}

export const startExecutionBody = z.strictObject(
  {
    executionType: z.enum(EXECUTION_TYPES, {
      error: (issue) =>
        issue.input === undefined
          ? 'is missing: it must be DRILL or RECOVERY'
          : `must be DRILL or RECOVERY (got ${shown(issue.input)})`,
    }),
    confirm: z.boolean({ error: (issue) => `must be true or false (got ${shown(issue.input)})` }).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unexpected field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `'${k}'`).join(', ')}: the body has only executionType and confirm`
        : `the body must be a JSON object { "executionType": "DRILL" | "RECOVERY", "confirm": true } (got ${shown(issue.input)})`,
  },
);

export interface StartExecutionRequest {
  executionType: ExecutionType;
  /** The `Idempotency-Key` header: the same key for the same plan names the same execution. */
  idempotencyKey?: string;
}

/**
 * The start request: its body, the RECOVERY confirmation, and the Idempotency-Key header, every
 * problem named in one 400.
 */
export function readStartExecution(
  event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded' | 'headers'>,
): StartExecutionRequest {
  const problems: string[] = [];
  let executionType: ExecutionType | undefined;
  const body = readJsonBody(event, '{ "executionType": "DRILL" | "RECOVERY", "confirm": true }');
  if (!body.ok) problems.push(body.problem);
  else {
    const parsed = startExecutionBody.safeParse(body.value);
    if (!parsed.success) problems.push(...problemsOf(parsed.error));
    else {
      executionType = parsed.data.executionType;
      if (executionType === 'RECOVERY' && parsed.data.confirm !== true) {
        problems.push(
          'confirm: a RECOVERY launches the production workloads in the recovery Region (not a drill): send "confirm": true to start it',
        );
      }
    }
  }
  const key = header(event, 'Idempotency-Key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    problems.push(
      `Idempotency-Key: must be 1 to 64 printable ASCII characters (got ${key.length} character${key.length === 1 ? '' : 's'}${key.length > 0 ? `: ${shown(key)}` : ''})`,
    );
  }
  if (problems.length > 0 || executionType === undefined) throw badRequest(problems);
  return { executionType, ...(key !== undefined ? { idempotencyKey: key } : {}) };
}
