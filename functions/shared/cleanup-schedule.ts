/**
 * How a drill cleanup is started: scheduled when the drill ends (a run of the cleanup workflow
 * that waits until `scheduledFor`), or on demand (the API, the CLI, `run --cleanup-now`), which
 * claims the cleanup first, stops the scheduled run, and starts a run that does not wait. The
 * scheduled run, if it still wakes up, finds the cleanup claimed and does nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  ExecutionAlreadyExists,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { CLEANUP_DEADLINE_MINUTES, type CleanupTaskInput } from './cleanup-run';
import type { Clock } from './clock';
import type { ExecutionStore } from './execution-store';
import { logger } from './observability';
import { cleanupView, refusalOf } from './records/cleanup-records';
import type { DrillCleanup } from './types';

/** The cleanup workflow's input: a scheduled run also has the time it waits for. */
export type CleanupWorkflowInput = CleanupTaskInput & { scheduledFor?: string };

/** Starting and stopping runs of the cleanup workflow (Step Functions on AWS, the local engine in a drill). */
export interface CleanupWorkflows {
  /** Starts a run named `name`; the same name again is the same run (its ARN), never a second one. */
  start(name: string, input: CleanupWorkflowInput): Promise<string>;
  /** Stops a run; one already ended is left as it is. */
  stop(runArn: string, cause: string): Promise<void>;
}

/** A run's name: Step Functions allows 80 characters, so the execution ID is hashed (the input names it in full). */
export function cleanupRunName(executionId: string, kind: 'scheduled' | 'on-demand', at?: Date): string {
  const digest = createHash('sha256').update(executionId).digest('hex').slice(0, 24);
  const stamp = at
    ?.toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  // Two requests in the same second are two claims: the one that loses must not take the winner's name as its own.
  const when = stamp ? `-${stamp}-${randomBytes(3).toString('hex')}` : '';
  return `cleanup-${digest}-${kind}${when}`;
}

/**
 * Called once a drill has ended (execution-events, for every ending): sets `scheduledFor` and
 * starts the run that waits for it. Safe to repeat: the time is written once, the run's name is
 * fixed. A plan with `drillCleanupAfterMinutes: 0` gets no run: its instances wait for a person.
 */
export async function scheduleDrillCleanup(
  deps: { store: ExecutionStore; workflows: CleanupWorkflows },
  executionId: string,
): Promise<DrillCleanup | undefined> {
  const execution = await deps.store.getExecution(executionId);
  if (execution?.executionType !== 'DRILL') return undefined;
  const record = await deps.store.cleanups.schedule(execution);
  if (record?.status === 'SCHEDULED' && record.scheduledFor) {
    const name = cleanupRunName(executionId, 'scheduled');
    const arn = await deps.workflows.start(name, {
      executionId,
      claimId: name,
      claimedBy: 'SCHEDULE',
      scheduledFor: record.scheduledFor,
    });
    if (record.scheduledRun !== arn) await deps.store.cleanups.recordScheduledRun(executionId, arn);
  }
  return cleanupView({ ...execution, ...(record ? { cleanup: record } : {}) });
}

/** What a cleanup on demand did: started a run, or found nothing to do (and why). */
export interface CleanupRequested {
  started: boolean;
  message: string;
  cleanup: DrillCleanup;
  runArn?: string;
}

/**
 * A cleanup on demand: refused for an unknown execution, a RECOVERY or a live drill
 * (CleanupRefused); otherwise it claims the cleanup (a second request finds it claimed or done,
 * and says so), stops the scheduled run, and starts a run that terminates at once.
 */
export async function requestCleanup(
  deps: { store: ExecutionStore; workflows: CleanupWorkflows; clock: Clock },
  executionId: string,
): Promise<CleanupRequested> {
  const execution = await deps.store.getExecution(executionId);
  const refused = refusalOf(execution, executionId);
  if (refused || !execution) throw refused;
  const now = deps.clock.now();
  const name = cleanupRunName(executionId, 'on-demand', now);
  const claim = await deps.store.cleanups.claim(execution, {
    claimId: name,
    by: 'ON_DEMAND',
    at: now,
    deadline: new Date(now.getTime() + CLEANUP_DEADLINE_MINUTES * 60_000),
  });
  if (!claim.claimed) {
    return {
      started: false,
      message: `nothing to do: ${claim.why}`,
      cleanup: cleanupView({ ...execution, ...(claim.record ? { cleanup: claim.record } : {}) }),
    };
  }
  const scheduled = execution.cleanup?.scheduledRun;
  if (scheduled) {
    // Best effort: a scheduled run that still wakes up finds the cleanup claimed and does nothing.
    await deps.workflows
      .stop(scheduled, `cleaned up on demand by ${name}`)
      .catch((error) => logger.warn(`Could not stop the scheduled cleanup ${scheduled}`, { error }));
  }
  const runArn = await deps.workflows.start(name, { executionId, claimId: name, claimedBy: 'ON_DEMAND' });
  return {
    started: true,
    message: `cleanup of ${executionId} started (${runArn})`,
    cleanup: cleanupView({ ...execution, cleanup: claim.record }),
    runArn,
  };
}

/** The cleanup workflow on Step Functions. */
export function sfnCleanupWorkflows(sfn: SFNClient, stateMachineArn: string): CleanupWorkflows {
  return {
    async start(name, input) {
      try {
        const out = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
        if (out.executionArn) return out.executionArn;
      } catch (error) {
        // The same name: this run was started before (a repeated event); closed runs keep their name for 90 days.
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
      }
      return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    },
    async stop(runArn, cause) {
      await sfn.send(new StopExecutionCommand({ executionArn: runArn, error: 'CleanedUpOnDemand', cause }));
    },
  };
}
