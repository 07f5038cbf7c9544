import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { readableCause } from '../shared/causes';
import { type CleanupWorkflows, scheduleDrillCleanup } from '../shared/cleanup-schedule';
import type { Clock } from '../shared/clock';
import { type ExecutionStore, STOPPED_EXECUTION_ERROR, toResult } from '../shared/execution-store';
import { logger, METRIC, metrics } from '../shared/observability';
import type { ExecutionResult, ExecutionStatus } from '../shared/types';
import { confirmStatus, type ExecutionDescriber } from './confirm-status';
import { type ReportWriter, writeExecutionReport } from './execution-report';

export type { ExecutionDescriber } from './confirm-status';

import { endedNotification, type Notification, startedNotification } from './notification';
import { parseStatusChange } from './status-change';

export interface ExecutionEventsDeps {
  store: ExecutionStore;
  /** Step Functions, asked for each execution's real status before anything is written (`confirm-status.ts`). */
  sfn: ExecutionDescriber;
  /** This stack's workflow: status changes of any other state machine are refused. */
  stateMachineArn: string;
  /** Where notifications go: the SNS topic on AWS (`snsNotifier`), the console in a local drill. */
  notify: (notification: Notification) => Promise<void>;
  clock: Clock;
  /** Where each ended execution's report goes (the reports bucket on AWS); without it, no files are written. */
  reports?: ReportWriter;
  /** The drill cleanup workflow: every ended DRILL gets its scheduled cleanup here (docs/cleanup.md). */
  cleanupWorkflows: CleanupWorkflows;
}

const ENDING: Record<string, { status: 'FAILED' | 'TIMED_OUT' | 'CANCELLED'; error: string; cause: string }> = {
  FAILED: { status: 'FAILED', error: 'States.Failed', cause: 'the workflow failed' },
  TIMED_OUT: { status: 'TIMED_OUT', error: 'States.Timeout', cause: 'the workflow reached its time limit' },
  ABORTED: {
    status: 'CANCELLED',
    error: STOPPED_EXECUTION_ERROR,
    cause: 'the execution was stopped (Step Functions console Stop or StopExecution)',
  },
};

const OUTCOME_METRIC: Partial<Record<ExecutionStatus, string>> = {
  COMPLETED: METRIC.executionCompleted,
  FAILED: METRIC.executionFailed,
  TIMED_OUT: METRIC.executionTimedOut,
  CANCELLED: METRIC.executionCancelled,
};

/**
 * Keeps the records true to what Step Functions did, whatever path the execution ended by, and
 * tells subscribers. A workflow that fails normally has already recorded its own error and cause
 * (that first ending is kept); a console Stop, a workflow timeout or a failure that could not be
 * recorded is brought to CANCELLED / TIMED_OUT / FAILED here, ending any wave still LAUNCHING,
 * so an execution that stopped never shows as running. Only status changes Step Functions confirms
 * are acted on (`confirm-status.ts`): a forged or stale event writes nothing.
 */
export function handleExecutionEvent(deps: ExecutionEventsDeps) {
  return async (event: unknown): Promise<{ status: string }> => {
    const claimed = parseStatusChange(event).detail;
    // From here on the facts are Step Functions' own, not the event's.
    const detail = await confirmStatus(deps, claimed);
    if (!detail) {
      logger.info(`Ignoring a late RUNNING event of execution ${claimed.name}: it has ended since`, {
        executionId: claimed.name,
      });
      return { status: 'STALE' };
    }
    const executionId = detail.name;
    const input = parseInput(detail.input);

    if (detail.status === 'RUNNING') {
      await deps.notify(
        startedNotification({
          executionId,
          executionArn: detail.executionArn,
          planId: input.planId,
          executionType: input.executionType,
          waves: input.waves,
        }),
      );
      return { status: 'RUNNING' };
    }

    let result: ExecutionResult | undefined;
    // A failure the workflow could not record itself still keeps its meaning: a wave that timed out is TIMED_OUT.
    const ending =
      detail.status === 'FAILED' && detail.error === 'WaveTimedOut' ? ENDING.TIMED_OUT : ENDING[detail.status];
    if (ending) {
      const cause = detail.cause ? readableCause(detail.cause) : ending.cause;
      result = await deps.store.failExecution({
        executionId,
        executionArn: detail.executionArn,
        status: ending.status,
        error: detail.error || ending.error,
        cause:
          ending.status === 'CANCELLED'
            ? `${cause}; a DRS job already started keeps running and its recovery instances stay until terminated`
            : cause,
        endedAt: detail.stopDate ? new Date(detail.stopDate) : deps.clock.now(),
        planId: input.planId,
        executionType: input.executionType,
      });
    } else if (detail.status === 'SUCCEEDED') {
      const loaded = await deps.store.loadExecution(executionId);
      if (!loaded) throw new Error(`execution ${executionId} SUCCEEDED but has no record`);
      result = toResult(loaded.execution, loaded.waves);
      if (result.status !== 'COMPLETED') {
        logger.error(`Execution ${executionId} SUCCEEDED in Step Functions but its record says ${result.status}`, {
          executionId,
        });
      }
    } else {
      logger.warn(`Ignoring execution status ${detail.status}`, { executionId });
      return { status: detail.status };
    }

    // Before the notification: a failure here is retried with the whole event, and the message can say when.
    const cleanup = await scheduleDrillCleanup({ store: deps.store, workflows: deps.cleanupWorkflows }, executionId);
    if (cleanup) result = { ...result, cleanup };

    const metric = OUTCOME_METRIC[result.status];
    if (metric) metrics.addMetric(metric, 'Count', 1);
    logger.info(`Execution ${executionId} ended ${result.status}`, {
      executionId,
      workflowStatus: detail.status,
      recordedStatus: result.status,
      error: result.error,
    });
    // Every ending, however it came, gets its report, and the notification links it.
    const report = deps.reports
      ? await writeExecutionReport({ store: deps.store, reports: deps.reports }, executionId, deps.clock.now())
      : undefined;
    await deps.notify(endedNotification(result, detail.executionArn, report));
    return { status: result.status };
  };
}

/** Publishes notifications to an SNS topic, with status, plan and type as message attributes for filtering. */
export const snsNotifier =
  (sns: SNSClient, topicArn: string) =>
  async (notification: Notification): Promise<void> => {
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: notification.subject,
        Message: notification.message,
        MessageAttributes: Object.fromEntries(
          Object.entries(notification.attributes).map(([key, value]) => [
            key,
            { DataType: 'String', StringValue: value },
          ]),
        ),
      }),
    );
  };

/** The plan ID, type and wave count from the execution input, when it has them. */
function parseInput(text: string | null | undefined): { planId: string; executionType: string; waves: number } {
  let input: { plan?: { planId?: unknown; waves?: unknown }; planId?: unknown; executionType?: unknown } = {};
  try {
    input = text ? JSON.parse(text) : {};
  } catch {
    // an unreadable input still gets its execution recorded and notified
  }
  return {
    planId: String(input?.plan?.planId ?? input?.planId ?? 'unknown').slice(0, 64),
    executionType: typeof input?.executionType === 'string' ? input.executionType.slice(0, 16) : 'unknown',
    waves: Array.isArray(input?.plan?.waves) ? input.plan.waves.length : 0,
  };
}
