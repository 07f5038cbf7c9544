import { createHash, randomBytes } from 'node:crypto';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { DEFAULT_DRS_LIMITS } from '../shared/drs-limits';
import { InvalidPlan } from '../shared/errors';
import { executionArnOf, executionName, idempotentExecutionName } from '../shared/execution-naming';
import { validatePlan } from '../shared/plan-rules';
import { preflight } from '../shared/preflight';
import type { ExecutionType, Plan } from '../shared/types';
import type { ApiDeps, Operation } from './api';
import { executionConsoleUrl } from './console-url';
import { conflict, HttpError, json, notFound, problemCount } from './http';
import { findLiveExecution } from './live-execution';
import { planIdInPath } from './path-ids';
import { callerOf, readStartRequest, type StartExecutionRequest } from './request';

const errorName = (error: unknown) => (error instanceof Error ? error.name : undefined);

/**
 * The plan's version: the first 16 hex of sha256 over the plan exactly as the workflow receives it
 * (the execution input's `plan`). A replaced plan with the same content keeps its version; any
 * change to what a run would do gives another.
 */
export function planVersionOf(plan: unknown): string {
  return createHash('sha256').update(JSON.stringify(plan), 'utf8').digest('hex').slice(0, 16);
}

/**
 * The start routes, one per execution type, so that IAM can allow `POST /plans/{planId}/drills`
 * without `POST /plans/{planId}/recoveries` (the body's confirmation guards against mistakes, not
 * against callers).
 */
export function startOperations(deps: ApiDeps): Record<string, Operation> {
  /** The workflow execution of that name, or undefined if Step Functions has none. */
  const describe = async (name: string): Promise<DescribeExecutionCommandOutput | undefined> => {
    try {
      return await deps.sfn.send(
        new DescribeExecutionCommand({ executionArn: executionArnOf(deps.stateMachineArn, name) }),
      );
    } catch (error) {
      if (errorName(error) === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
  };

  /**
   * 200 with the execution an Idempotency-Key already started, if it was started for this same
   * request: same type, same plan, same plan version. Otherwise 409 naming each difference.
   */
  const alreadyStarted = (
    existing: DescribeExecutionCommandOutput,
    name: string,
    now: { planId: string; planVersion: string; updatedAt?: string },
    request: StartExecutionRequest,
  ) => {
    const input = parseInput(existing.input);
    const startedType = input.executionType ?? 'unknown type';
    const startedPlan = input.planId ?? now.planId;
    const differences: string[] = [];
    if (startedType !== request.executionType) {
      differences.push(`executionType: it started a ${startedType}, this request is for a ${request.executionType}`);
    }
    if (startedPlan !== now.planId) {
      differences.push(`planId: it started plan '${startedPlan}', this request is for plan '${now.planId}'`);
    }
    if (input.planVersion !== now.planVersion) {
      const updated = now.updatedAt ? `, updated at ${now.updatedAt}` : '';
      differences.push(
        input.planVersion === undefined
          ? 'plan version: its input holds no plan to compare with the stored plan'
          : `plan version: it ran version ${input.planVersion} of the plan, which has changed since (now version ${now.planVersion}${updated})`,
      );
    }
    if (differences.length > 0) {
      throw conflict(
        `the Idempotency-Key was already used to start a ${startedType} of plan '${startedPlan}' (execution ${name}), and this request differs: ${differences.join('; ')}: send a new key for a different request`,
      );
    }
    const executionArn = existing.executionArn ?? executionArnOf(deps.stateMachineArn, name);
    return json(200, {
      executionId: name,
      executionArn,
      planId: now.planId,
      executionType: request.executionType,
      status: existing.status ?? 'RUNNING',
      consoleUrl: executionConsoleUrl(deps.region, executionArn),
    });
  };

  /**
   * The workflow's preflight, answered here as 400 before an execution is started: every unknown
   * server, unhealthy replication, conflicting job or quota problem named at once.
   */
  const checkDrs = async (plan: Plan, executionType: ExecutionType, executionId: string) => {
    if (!deps.drs) return;
    // The server locks too: a server another live execution holds is refused here, not after the start.
    const report = await preflight(
      deps.drs,
      plan,
      deps.drsLimits ?? DEFAULT_DRS_LIMITS,
      deps.clock.now(),
      executionType,
      { servers: deps.executions, executionId },
    );
    const problems = [...report.invalid, ...report.notReady];
    if (problems.length > 0) {
      throw new HttpError(
        400,
        `plan '${plan.planId}' cannot run now (${problemCount(problems)}): nothing was started`,
        problems,
      );
    }
  };

  const start = async (event: APIGatewayProxyEvent, executionType: ExecutionType) => {
    const planId = planIdInPath(event);
    const request = readStartRequest(event, executionType);
    const stored = await deps.plans.get(planId);
    if (!stored) throw notFound(`no plan with planId '${planId}': create it with POST /plans`);
    const plan = revalidated(stored);
    const caller = callerOf(event);
    // The plan rules bound the plan to what a Step Functions execution input holds. The signed
    // caller goes with it, so the records and the report say who started the execution.
    const input = JSON.stringify({ plan, executionType, ...(caller ? { startedBy: caller } : {}) });

    const key = request.idempotencyKey;
    let idempotentName: string | undefined;
    if (key !== undefined) {
      if (!caller) {
        throw new HttpError(
          403,
          'the request carries no IAM caller (requestContext.identity.userArn): an Idempotency-Key is kept per caller, so it cannot be used without one',
        );
      }
      idempotentName = idempotentExecutionName({ planId, caller, idempotencyKey: key });
    }
    const now = {
      planId,
      planVersion: planVersionOf(plan),
      ...(typeof stored.updatedAt === 'string' ? { updatedAt: stored.updatedAt } : {}),
    };
    if (idempotentName) {
      const existing = await describe(idempotentName);
      if (existing) return alreadyStarted(existing, idempotentName, now, request);
    }

    const live = await findLiveExecution(deps.executions, planId);
    if (live) {
      throw conflict(
        `plan '${planId}' already has a live execution, ${live.executionId} (${live.status}): wait for it to end or cancel it with POST /executions/${live.executionId}/cancel`,
      );
    }
    const name =
      idempotentName ??
      executionName({ planId, executionType, at: deps.clock.now(), randomHex: randomBytes(3).toString('hex') });
    // A plan that is running gets 409 above; one DRS is not ready for gets 400 naming every problem.
    await checkDrs(plan, request.executionType, name);
    let executionArn: string | undefined;
    try {
      const out = await deps.sfn.send(
        new StartExecutionCommand({ stateMachineArn: deps.stateMachineArn, name, input }),
      );
      executionArn = out.executionArn;
    } catch (error) {
      // Two requests with the same key raced past the DescribeExecution above: answer as a retry.
      if (!idempotentName || errorName(error) !== 'ExecutionAlreadyExists') throw error;
      const existing = await describe(idempotentName);
      if (!existing) throw error;
      return alreadyStarted(existing, idempotentName, now, request);
    }
    executionArn ??= executionArnOf(deps.stateMachineArn, name);
    return json(202, {
      executionId: name,
      executionArn,
      planId,
      executionType,
      status: 'RUNNING',
      consoleUrl: executionConsoleUrl(deps.region, executionArn),
    });
  };

  return {
    startDrill: (event) => start(event, 'DRILL'),
    startRecovery: (event) => start(event, 'RECOVERY'),
  };
}

/** The stored plan through the plan rules again (they may have changed since it was stored). */
function revalidated(stored: Plan & { description?: string }): Plan {
  const { createdAt: _createdAt, updatedAt: _updatedAt, ...plan } = stored as Plan & Record<string, unknown>;
  try {
    return validatePlan(plan);
  } catch (error) {
    if (!(error instanceof InvalidPlan)) throw error;
    throw new HttpError(
      400,
      `plan '${stored.planId}' as stored is not valid under the current plan rules (${problemCount(error.problems)}): replace it with PUT /plans/${stored.planId}`,
      error.problems,
    );
  }
}

/** What an execution was started with: its type, its plan's ID and version. */
function parseInput(input: string | undefined): { planId?: string; executionType?: string; planVersion?: string } {
  try {
    const parsed = JSON.parse(input ?? '{}') as { plan?: { planId?: unknown }; executionType?: unknown };
    return {
      ...(typeof parsed.plan?.planId === 'string' ? { planId: parsed.plan.planId } : {}),
      ...(typeof parsed.executionType === 'string' ? { executionType: parsed.executionType } : {}),
      ...(parsed.plan && typeof parsed.plan === 'object' ? { planVersion: planVersionOf(parsed.plan) } : {}),
    };
  } catch {
    return {};
  }
}
