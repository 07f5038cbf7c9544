import { randomBytes } from 'node:crypto';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { DEFAULT_DRS_LIMITS } from '../shared/drs-limits';
import { InvalidPlan } from '../shared/errors';
import { executionArnOf, executionName, idempotentExecutionName } from '../shared/execution-naming';
import { type ExecutionRecord, toResult, type WaveRecord } from '../shared/execution-store';
import { validatePlan } from '../shared/plan-rules';
import { preflight } from '../shared/preflight';
import { type ExecutionType, FINAL_EXECUTION_STATUSES, type Plan } from '../shared/types';
import type { ApiDeps, Operation } from './api';
import { executionConsoleUrl } from './console-url';
import { badRequest, conflict, HttpError, json, notFound, pathParameter } from './http';
import { findLiveExecution } from './live-execution';
import { decodePageToken, encodePageToken, rejectedCursor } from './pagination';
import { listExecutionsQuery, readQuery, readStartExecution, type StartExecutionRequest } from './request';

const errorName = (error: unknown) => (error instanceof Error ? error.name : undefined);

/** The execution routes: start (on a plan), list, read, cancel. */
export function executionOperations(deps: ApiDeps): Record<string, Operation> {
  const arnOf = (record: ExecutionRecord) =>
    record.executionArn ?? executionArnOf(deps.stateMachineArn, record.executionId);

  const summaryOf = (record: ExecutionRecord) => {
    const executionArn = arnOf(record);
    return {
      executionId: record.executionId,
      executionArn,
      planId: record.planId,
      ...(record.planName ? { planName: record.planName } : {}),
      executionType: record.executionType,
      status: record.status,
      waveCount: record.waveCount,
      completedWaves: record.completedWaves,
      startedAt: record.startedAt,
      ...(record.endedAt ? { endedAt: record.endedAt } : {}),
      ...(record.error ? { error: record.error } : {}),
      ...(record.cause ? { cause: record.cause } : {}),
      consoleUrl: executionConsoleUrl(deps.region, executionArn),
    };
  };

  const detailOf = ({ execution, waves }: { execution: ExecutionRecord; waves: WaveRecord[] }) => {
    const executionArn = arnOf(execution);
    const { executionId, ...result } = toResult(execution, waves, { withServers: true });
    return {
      executionId,
      executionArn,
      ...(execution.planName ? { planName: execution.planName } : {}),
      ...result,
      consoleUrl: executionConsoleUrl(deps.region, executionArn),
    };
  };

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

  /** 200 with the execution an Idempotency-Key already started, if the key was used for this same request. */
  const alreadyStarted = (
    existing: DescribeExecutionCommandOutput,
    name: string,
    planId: string,
    request: StartExecutionRequest,
  ) => {
    const input = parseInput(existing.input);
    const startedType = input.executionType ?? request.executionType;
    const startedPlan = input.planId ?? planId;
    if (startedType !== request.executionType || startedPlan !== planId) {
      throw conflict(
        `the Idempotency-Key was already used to start a ${startedType} of plan '${startedPlan}' (execution ${name}): send a new key for a different request`,
      );
    }
    const executionArn = existing.executionArn ?? executionArnOf(deps.stateMachineArn, name);
    return json(200, {
      executionId: name,
      executionArn,
      planId,
      executionType: request.executionType,
      status: existing.status ?? 'RUNNING',
      consoleUrl: executionConsoleUrl(deps.region, executionArn),
    });
  };

  /**
   * The workflow's preflight, answered here as 400 before an execution is started: every unknown
   * server, unhealthy replication, conflicting job or quota problem named at once.
   */
  const checkDrs = async (plan: Plan, executionType: ExecutionType) => {
    if (!deps.drs) return;
    const report = await preflight(
      deps.drs,
      plan,
      deps.drsLimits ?? DEFAULT_DRS_LIMITS,
      deps.clock.now(),
      executionType,
    );
    const problems = [...report.invalid, ...report.notReady];
    if (problems.length > 0) {
      throw new HttpError(
        400,
        `plan '${plan.planId}' cannot run now (${problems.length} problem${problems.length === 1 ? '' : 's'}): nothing was started`,
        problems,
      );
    }
  };

  return {
    async startExecution(event: APIGatewayProxyEvent) {
      const planId = pathParameter(event, 'planId');
      const request = readStartExecution(event);
      const stored = await deps.plans.get(planId);
      if (!stored) throw notFound(`no plan with planId '${planId}': create it with POST /plans`);
      const plan = revalidated(stored);
      // The plan rules bound the plan to what a Step Functions execution input holds.
      const input = JSON.stringify({ plan, executionType: request.executionType });

      const key = request.idempotencyKey;
      const idempotentName = key === undefined ? undefined : idempotentExecutionName(planId, key);
      if (idempotentName) {
        const existing = await describe(idempotentName);
        if (existing) return alreadyStarted(existing, idempotentName, planId, request);
      }

      const live = await findLiveExecution(deps.executions, planId);
      if (live) {
        throw conflict(
          `plan '${planId}' already has a live execution, ${live.executionId} (${live.status}): wait for it to end or cancel it with POST /executions/${live.executionId}/cancel`,
        );
      }
      // A plan that is running gets 409 above; one DRS is not ready for gets 400 naming every problem.
      await checkDrs(plan, request.executionType);

      const name =
        idempotentName ??
        executionName({
          planId,
          executionType: request.executionType,
          at: deps.clock.now(),
          randomHex: randomBytes(3).toString('hex'),
        });
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
        return alreadyStarted(existing, idempotentName, planId, request);
      }
      executionArn ??= executionArnOf(deps.stateMachineArn, name);
      return json(202, {
        executionId: name,
        executionArn,
        planId,
        executionType: request.executionType,
        status: 'RUNNING',
        consoleUrl: executionConsoleUrl(deps.region, executionArn),
      });
    },

    async listExecutions(event: APIGatewayProxyEvent) {
      const query = readQuery(event, listExecutionsQuery);
      const scope = JSON.stringify(['executions', query.planId ?? null, query.status ?? null]);
      const token = query.nextToken === undefined ? undefined : decodePageToken(scope, query.nextToken);
      if (token && !token.ok) throw badRequest([token.problem]);
      const page = await deps.executions
        .listExecutions({
          limit: query.limit,
          ...(query.planId ? { planId: query.planId } : {}),
          ...(query.status ? { status: query.status } : {}),
          ...(token?.ok ? { cursor: token.cursor } : {}),
        })
        .catch(rejectedCursor(token));
      return json(200, {
        items: page.items.map(summaryOf),
        ...(page.nextCursor ? { nextToken: encodePageToken(scope, page.nextCursor) } : {}),
      });
    },

    async getExecution(event: APIGatewayProxyEvent) {
      const executionId = pathParameter(event, 'executionId');
      const loaded = await deps.executions.loadExecution(executionId);
      if (!loaded) throw notFound(`no execution with executionId '${executionId}'`);
      return json(200, detailOf(loaded));
    },

    async cancelExecution(event: APIGatewayProxyEvent) {
      const executionId = pathParameter(event, 'executionId');
      const loaded = await deps.executions.loadExecution(executionId);
      if (!loaded) throw notFound(`no execution with executionId '${executionId}'`);
      const { execution } = loaded;
      if (FINAL_EXECUTION_STATUSES.includes(execution.status)) throw conflict(alreadyEnded(execution));

      const executionArn = arnOf(execution);
      try {
        await deps.sfn.send(
          new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'Cancelled through the API' }),
        );
      } catch (error) {
        if (errorName(error) !== 'ExecutionDoesNotExist') throw error;
        throw conflict(
          `execution ${executionId} is ${execution.status} in the records, but Step Functions has no execution ${executionArn}: nothing was stopped and the record was left as it is`,
        );
      }
      // A stopped workflow runs no Catch, so nothing else would end the record: end it now.
      const endedAt = deps.clock.now();
      await deps.executions.failExecution({
        executionId,
        status: 'CANCELLED',
        error: 'ExecutionCancelled',
        cause: cancelCause(execution, endedAt),
        endedAt,
      });
      const after = await deps.executions.loadExecution(executionId);
      if (!after) throw new Error(`execution ${executionId} disappeared from the records while it was cancelled`);
      return json(200, detailOf(after));
    },
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
      `plan '${stored.planId}' as stored is not valid under the current plan rules (${error.problems.join('; ')}): replace it with PUT /plans/${stored.planId}`,
      error.problems,
    );
  }
}

function parseInput(input: string | undefined): { planId?: string; executionType?: string } {
  try {
    const parsed = JSON.parse(input ?? '{}') as { plan?: { planId?: unknown }; executionType?: unknown };
    return {
      ...(typeof parsed.plan?.planId === 'string' ? { planId: parsed.plan.planId } : {}),
      ...(typeof parsed.executionType === 'string' ? { executionType: parsed.executionType } : {}),
    };
  } catch {
    return {};
  }
}

function alreadyEnded(execution: ExecutionRecord): string {
  const how = execution.error ? ` with ${execution.error}` : '';
  const when = execution.endedAt ? ` at ${execution.endedAt}` : '';
  return `execution ${execution.executionId} has already ended: it is ${execution.status}${how}${when}; there is nothing to cancel`;
}

function cancelCause(execution: ExecutionRecord, at: Date): string {
  const job =
    execution.activeJobId !== undefined
      ? `DRS job ${execution.activeJobId} of wave ${(execution.activeWave ?? 0) + 1} was already started: it`
      : 'A DRS job already started';
  return `Cancelled through the API at ${at.toISOString()}. ${job} keeps running, and its recovery instances stay until they are terminated (DRS console, or TerminateRecoveryInstances).`;
}
