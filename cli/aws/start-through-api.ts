import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { InvalidPlan } from '../../functions/shared/errors';
import { validatePlan } from '../../functions/shared/plan-rules';
import type { ExecutionType, Plan } from '../../functions/shared/types';
import { BadInput, CommandFailed } from '../exit-codes';
import { type ApiAnswer, apiPath, errorOf, type OrchestratorApiClient } from './api-client';

/**
 * `run --aws`: the plan file is brought to the API (stored, or checked against the stored plan)
 * and started through the route of its type, `POST /plans/{planId}/drills` or
 * `.../recoveries`, so the caller's IAM policy decides which type it may start, as for any
 * other client of the API (docs/security.md section 1).
 */
export interface ApiStartRequest {
  planPath: string;
  /** The plan file as read: what a PUT stores (its description included). */
  file: unknown;
  /** The same file through the plan rules: what an execution runs, and what is compared with the stored plan. */
  plan: Plan;
  executionType: ExecutionType;
  /** `--confirm`: a RECOVERY is sent with `{ "confirm": true }` only when it was given. */
  confirmed: boolean;
  /** `--name`: the API names executions itself, so the name becomes the Idempotency-Key (`idempotencyKeyOf`). */
  name?: string;
  /** false with `--no-update-plan`: never PUT, refuse a plan the API does not hold as the file says. */
  updatePlan: boolean;
}

export interface ApiStarted {
  executionId: string;
  executionArn: string;
  /** 200: the Idempotency-Key (`--name`) had already started this execution, which is followed again. */
  alreadyStarted: boolean;
  /** What happened to the stored plan: kept as it was, or created or replaced from the file. */
  storedPlan: 'unchanged' | 'created' | 'updated';
  /** The stored plan's fields that differed from the file, when it was replaced. */
  differences: string[];
}

const startedAnswer = z.object({ executionId: z.string().min(1), executionArn: z.string().min(1) });

const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,64}$/;

/**
 * The Idempotency-Key a `--name` stands for: the name itself when the API accepts it as a key (1
 * to 64 printable ASCII characters), otherwise the sha256 hex of the name (64 characters). The
 * same name from the same caller for the same plan finds the same execution.
 */
export function idempotencyKeyOf(name: string): string {
  return IDEMPOTENCY_KEY.test(name) ? name : createHash('sha256').update(name, 'utf8').digest('hex');
}

export async function startThroughApi(api: OrchestratorApiClient, request: ApiStartRequest): Promise<ApiStarted> {
  if (request.executionType === 'RECOVERY' && !request.confirmed) {
    throw new BadInput('a RECOVERY launches production workloads: add --confirm to start one');
  }
  const { storedPlan, differences } = await bringPlan(api, request);
  const { planId } = request.plan;
  const route = request.executionType === 'DRILL' ? 'drills' : 'recoveries';
  const path = apiPath('plans', planId, route);
  const answer = await api.send('POST', path, {
    ...(request.executionType === 'RECOVERY' ? { body: { confirm: true } } : {}),
    ...(request.name ? { headers: { 'Idempotency-Key': idempotencyKeyOf(request.name) } } : {}),
  });
  if (answer.status !== 200 && answer.status !== 202) {
    throw refusal(answer, `POST /plans/${planId}/${route}`, startHint(request.executionType));
  }
  const started = startedAnswer.safeParse(answer.body);
  if (!started.success) {
    throw new CommandFailed(
      `POST /plans/${planId}/${route} answered ${answer.status} without an execution ID and ARN: ${JSON.stringify(answer.body)}`,
    );
  }
  return { ...started.data, alreadyStarted: answer.status === 200, storedPlan, differences };
}

/** The stored plan made the file's: unchanged when it already is, otherwise PUT (unless --no-update-plan). */
async function bringPlan(
  api: OrchestratorApiClient,
  request: ApiStartRequest,
): Promise<{ storedPlan: ApiStarted['storedPlan']; differences: string[] }> {
  const { planId } = request.plan;
  const path = apiPath('plans', planId);
  const got = await api.send('GET', path);
  if (got.status !== 200 && got.status !== 404) {
    throw refusal(got, `GET /plans/${planId}`, 'reading plans needs the drill or recovery operator policy');
  }
  const differences = got.status === 200 ? planDifferences(got.body, request.plan) : [];
  if (got.status === 200 && differences.length === 0) return { storedPlan: 'unchanged', differences };

  const what =
    got.status === 404
      ? `plan '${planId}' is not stored in the API`
      : `the plan file differs from the stored plan '${planId}' (${listed(differences)})`;
  if (!request.updatePlan) {
    throw new BadInput(
      `${request.planPath}: ${what}, and --no-update-plan forbids storing it: nothing was started. Run without --no-update-plan to store the file first (PUT /plans/${planId}, which plan authors may call), or make the file the stored plan (GET /plans/${planId}).`,
    );
  }
  const put = await api.send('PUT', path, { body: request.file });
  if (put.status === 200 || put.status === 201) {
    return { storedPlan: put.status === 201 ? 'created' : 'updated', differences };
  }
  if (put.status === 403) {
    throw new BadInput(
      `${request.planPath}: ${what}, and you may not update it (PUT /plans/${planId} answered 403: ${errorOf(put).message}): nothing was started. Only plan authors may update plans (POST /plans, PUT /plans/*, DELETE /plans/*, outside the drill and recovery operator policies): ask one to store this file, or run with the stored plan (GET /plans/${planId}) as the file.`,
    );
  }
  throw refusal(put, `PUT /plans/${planId}`);
}

/**
 * Where the stored plan (as the plan rules read it, without its description and timestamps)
 * differs from the file's, as field paths (`waves[1].sourceServerIDs`). A stored plan the current
 * rules reject differs as a whole.
 */
export function planDifferences(storedBody: unknown, filePlan: Plan): string[] {
  const { createdAt: _c, updatedAt: _u, ...stored } = (storedBody ?? {}) as Record<string, unknown>;
  let storedPlan: Plan;
  try {
    storedPlan = validatePlan(stored);
  } catch (error) {
    if (error instanceof InvalidPlan) return ['the stored plan breaks the current plan rules'];
    throw error;
  }
  return fieldDifferences(storedPlan, filePlan, '');
}

function fieldDifferences(a: unknown, b: unknown, at: string): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, i) => fieldDifferences(item, b[i], `${at}[${i}]`));
  }
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((key) => fieldDifferences(a[key], b[key], at ? `${at}.${key}` : key));
  }
  return [at || 'the plan'];
}

const listed = (fields: string[]) =>
  `${fields.length === 1 ? 'field' : 'fields'} ${fields.slice(0, 10).join(', ')}${fields.length > 10 ? ` and ${fields.length - 10} more` : ''}`;

function startHint(executionType: ExecutionType): string {
  return executionType === 'DRILL'
    ? 'starting a DRILL needs the drill or recovery operator policy (stack outputs DrillOperatorPolicyArn, RecoveryOperatorPolicyArn)'
    : 'starting a RECOVERY needs the recovery operator policy (stack output RecoveryOperatorPolicyArn); the drill operator policy starts drills only';
}

/**
 * The API's refusal as the CLI's exit: 400 (the plan's or the request's problems, each named), 403
 * (IAM, or the API, refused this caller) and 409 (a live execution, which the message names) are
 * exit 2, nothing started; anything else (5xx, throttling) exit 1.
 */
export function refusal(answer: ApiAnswer, request: string, forbiddenHint?: string): Error {
  const { message, problems } = errorOf(answer);
  // The API's 400 message lists its problems already; list only those it left out.
  const more = problems.filter((problem) => !message.includes(problem));
  const text = `${request} answered ${answer.status}: ${message}${more.map((p) => `\n  - ${p}`).join('')}`;
  if (answer.status === 403) return new BadInput(forbiddenHint ? `${text}\n${forbiddenHint}` : text);
  if (answer.status === 400 || answer.status === 409) return new BadInput(text);
  return new CommandFailed(text);
}
