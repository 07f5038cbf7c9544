import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { executionArnOf } from '../shared/execution-naming';
import { type ExecutionRecord, STOPPED_EXECUTION_ERROR, toResult, type WaveRecord } from '../shared/execution-store';
import { FINAL_EXECUTION_STATUSES } from '../shared/types';
import type { ApiDeps, Operation } from './api';
import { executionConsoleUrl } from './console-url';
import { badRequest, conflict, json, notFound } from './http';
import { decodePageToken, encodePageToken, rejectedCursor } from './pagination';
import { executionIdInPath } from './path-ids';
import { listExecutionsQuery, readQuery } from './request';

const errorName = (error: unknown) => (error instanceof Error ? error.name : undefined);

/** The execution routes: list, read, cancel (the start routes are in start-execution.ts). */
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
    const { executionId, ...result } = toResult(execution, waves, { withServers: true, now: deps.clock.now() });
    return {
      executionId,
      executionArn,
      ...(execution.planName ? { planName: execution.planName } : {}),
      ...result,
      consoleUrl: executionConsoleUrl(deps.region, executionArn),
    };
  };

  return {
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
      const executionId = executionIdInPath(event);
      const loaded = await deps.executions.loadExecution(executionId);
      if (!loaded) throw notFound(`no execution with executionId '${executionId}'`);
      return json(200, detailOf(loaded));
    },

    async cancelExecution(event: APIGatewayProxyEvent) {
      const executionId = executionIdInPath(event);
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
        // Step Functions' status change may have reached execution-events first (its ExecutionAborted): this says why.
        refines: STOPPED_EXECUTION_ERROR,
      });
      const after = await deps.executions.loadExecution(executionId);
      if (!after) throw new Error(`execution ${executionId} disappeared from the records while it was cancelled`);
      return json(200, detailOf(after));
    },
  };
}

function alreadyEnded(execution: ExecutionRecord): string {
  const how = execution.error ? ` with ${execution.error}` : '';
  const when = execution.endedAt ? ` at ${execution.endedAt}` : '';
  return `execution ${execution.executionId} has already ended: it is ${execution.status}${how}${when}; there is nothing to cancel`;
}

function cancelCause(execution: ExecutionRecord, at: Date): string {
  // Every wave launching now (several at once when they run in parallel), each with its job once DRS returned it.
  const launching = Object.entries(execution.waves ?? {})
    .filter(([, claim]) => claim.status === 'LAUNCHING')
    .sort(([a], [b]) => Number(a) - Number(b));
  const withJobs = launching.filter(([, claim]) => claim.jobId !== undefined);
  const jobs =
    withJobs.length === 0
      ? 'A DRS job already started keeps running, and its recovery instances stay'
      : withJobs.length === 1
        ? `DRS job ${withJobs[0]?.[1].jobId} of wave ${Number(withJobs[0]?.[0]) + 1} was already started: it keeps running, and its recovery instances stay`
        : `DRS jobs ${withJobs.map(([index, claim]) => `${claim.jobId} (wave ${Number(index) + 1})`).join(', ')} were already started: they keep running, and their recovery instances stay`;
  return `Cancelled through the API at ${at.toISOString()}. ${jobs} until they are terminated (DRS console, or TerminateRecoveryInstances).`;
}
