/**
 * The drill cleanup's record: a `cleanup` map on the execution item, so one read of the execution
 * has it (the result, the API, `--json`) and every change to it is a single-item conditional
 * write. The invariants it holds:
 * - only a DRILL has one (a RECOVERY's cleanup is NOT_APPLICABLE, and nothing can claim it);
 * - a cleanup is claimed (SCHEDULED → RUNNING) only once the execution has ended, by exactly one
 *   runner: the scheduled run, or a cleanup on demand; the other finds it claimed and does nothing;
 * - only the runner holding the claim (`claimId`) records the TERMINATE jobs and the end.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { OrchestratorError } from '../errors';
import { type CleanupFailure, type ExecutionType, isLive, LIVE_EXECUTION_STATUSES } from '../types';
import { type CleanupSubject, nothingToDo, refusalOf } from './cleanup-view';
import { executionKey } from './keys';
import { getItem, isConditionFailure, type RecordsTable } from './table';

/** Who claimed a cleanup: the schedule (when it came due) or a person (the API, the CLI, `run --cleanup-now`). */
export type CleanupClaimant = 'SCHEDULE' | 'ON_DEMAND';

export interface CleanupRecord {
  status: 'SCHEDULED' | 'RUNNING' | 'DONE' | 'FAILED';
  /** The plan's `drillCleanupAfterMinutes` as the execution started (0: on demand only). */
  afterMinutes: number;
  /** Set when the execution ends: its end plus `afterMinutes` (absent for 0). */
  scheduledFor?: string;
  /** The Step Functions execution that waits for `scheduledFor` (stopped by a cleanup on demand). */
  scheduledRun?: string;
  claimId?: string;
  claimedBy?: CleanupClaimant;
  claimedAt?: string;
  /** The recovery instances the claim selected (`cleanup-selection.ts`). */
  selected?: string[];
  /** Selected instances not yet in a TERMINATE job (a quota kept them back). */
  pending?: string[];
  /** The TERMINATE jobs this cleanup started (or adopted after a lost answer). */
  terminateJobIds?: string[];
  /** When the last TerminateRecoveryInstances was sent: a lost answer's job is searched for from then. */
  terminateRequestedAt?: string;
  /** When a running cleanup gives up waiting for DRS. */
  deadline?: string;
  terminatedInstanceIDs?: string[];
  failed?: CleanupFailure[];
  endedAt?: string;
  /** What the runner wants a reader to know (e.g. what the selection left alone, and why). */
  note?: string;
}

const failureSchema = z.object({ recoveryInstanceID: z.string(), reason: z.string() });

export const cleanupRecordSchema: z.ZodType<CleanupRecord> = z.object({
  status: z.enum(['SCHEDULED', 'RUNNING', 'DONE', 'FAILED']),
  afterMinutes: z.number().int().min(0),
  scheduledFor: z.string().optional(),
  scheduledRun: z.string().optional(),
  claimId: z.string().optional(),
  claimedBy: z.enum(['SCHEDULE', 'ON_DEMAND']).optional(),
  claimedAt: z.string().optional(),
  selected: z.array(z.string()).optional(),
  pending: z.array(z.string()).optional(),
  terminateJobIds: z.array(z.string()).optional(),
  terminateRequestedAt: z.string().optional(),
  deadline: z.string().optional(),
  terminatedInstanceIDs: z.array(z.string()).optional(),
  failed: z.array(failureSchema).optional(),
  endedAt: z.string().optional(),
  note: z.string().optional(),
});

export { CleanupRefused, type CleanupSubject, cleanupView, nothingToDo, refusalOf } from './cleanup-view';

/** The cleanup a new execution records: a DRILL's, SCHEDULED for when it ends; none for a RECOVERY. */
export function initialCleanup(executionType: ExecutionType | string, afterMinutes: number): CleanupRecord | undefined {
  return executionType === 'DRILL' ? { status: 'SCHEDULED', afterMinutes } : undefined;
}

export type ClaimOutcome =
  | { claimed: true; record: CleanupRecord }
  | { claimed: false; record: CleanupRecord | undefined; why: string };

const LIVE_VALUES = Object.fromEntries(LIVE_EXECUTION_STATUSES.map((s) => [`:live_${s.toLowerCase()}`, s]));
const NOT_LIVE = `NOT (#status IN (${Object.keys(LIVE_VALUES).join(', ')}))`;
const NAMES = { '#status': 'status', '#cleanup': 'cleanup', '#cs': 'status' };

/** The cleanup records of the executions table. */
export class CleanupRecords {
  constructor(private readonly table: RecordsTable) {}

  /**
   * Sets the ended drill's `scheduledFor` (its end + `afterMinutes`), once. Returns the record as
   * it stands (already scheduled, claimed or ended: unchanged); undefined when it has none.
   */
  async schedule(execution: CleanupSubject): Promise<CleanupRecord | undefined> {
    const record = execution.cleanup;
    if (record?.status !== 'SCHEDULED' || record.scheduledFor || record.afterMinutes === 0) return record;
    if (!execution.endedAt || isLive(execution.status as never)) return record;
    const scheduledFor = new Date(new Date(execution.endedAt).getTime() + record.afterMinutes * 60_000).toISOString();
    const written = await this.update(execution.executionId, {
      set: 'SET #cleanup.scheduledFor = :scheduledFor',
      condition: `${NOT_LIVE} AND #cleanup.#cs = :scheduled AND attribute_not_exists(#cleanup.scheduledFor)`,
      values: { ...LIVE_VALUES, ':scheduledFor': scheduledFor, ':scheduled': 'SCHEDULED' },
    });
    // Already scheduled (a repeated event) or claimed meanwhile: what stands.
    return written ?? (await this.current(execution.executionId));
  }

  /** Keeps the scheduled run's ARN, so a cleanup on demand can stop it. */
  async recordScheduledRun(executionId: string, runArn: string): Promise<void> {
    await this.update(executionId, {
      set: 'SET #cleanup.scheduledRun = :run',
      condition: 'attribute_exists(#cleanup)',
      values: { ':run': runArn },
    });
  }

  /**
   * Takes the cleanup for one runner: SCHEDULED → RUNNING (a cleanup on demand may also retry a
   * FAILED one). The same claim again (a retried task) is still its own. Anyone else finds it
   * claimed and is told why there is nothing to do. An ended DRILL recorded without a cleanup
   * (before this field existed, or one that failed before it was recorded) is claimed on demand.
   */
  async claim(
    execution: CleanupSubject,
    claim: { claimId: string; by: CleanupClaimant; at: Date; deadline: Date },
  ): Promise<ClaimOutcome> {
    const refused = refusalOf(execution, execution.executionId);
    if (refused) throw refused;
    // On demand also retries a FAILED cleanup, and takes over a RUNNING one whose runner is past its deadline
    // (a run that never started, say): nobody else would ever end it.
    const claimable =
      claim.by === 'ON_DEMAND'
        ? '(#cleanup.#cs IN (:scheduled, :failed) OR (#cleanup.#cs = :running AND #cleanup.deadline < :at))'
        : '#cleanup.#cs = :scheduled';
    const values = {
      ...LIVE_VALUES,
      ':scheduled': 'SCHEDULED',
      ':failed': 'FAILED',
      ':running': 'RUNNING',
      ':claimId': claim.claimId,
      ':by': claim.by,
      ':at': claim.at.toISOString(),
      ':deadline': claim.deadline.toISOString(),
      ':none': [],
    };
    if (!execution.cleanup && claim.by === 'ON_DEMAND') {
      const fresh: CleanupRecord = {
        status: 'RUNNING',
        afterMinutes: 0,
        claimId: claim.claimId,
        claimedBy: claim.by,
        claimedAt: claim.at.toISOString(),
        deadline: claim.deadline.toISOString(),
        terminateJobIds: [],
        failed: [],
      };
      const written = await this.update(execution.executionId, {
        set: 'SET #cleanup = :fresh',
        condition: `${NOT_LIVE} AND attribute_not_exists(#cleanup) AND executionType = :drill`,
        values: { ...LIVE_VALUES, ':fresh': fresh, ':drill': 'DRILL' },
      });
      if (written) return { claimed: true, record: written };
    }
    const written = await this.update(execution.executionId, {
      set: `SET #cleanup.#cs = :running, #cleanup.claimId = :claimId, #cleanup.claimedBy = :by, #cleanup.claimedAt = :at,
        #cleanup.deadline = :deadline, #cleanup.terminateJobIds = :none, #cleanup.failed = :none
        REMOVE #cleanup.selected, #cleanup.pending, #cleanup.terminateRequestedAt, #cleanup.endedAt`,
      condition: `${NOT_LIVE} AND attribute_exists(#cleanup) AND ${claimable}`,
      values,
    });
    if (written) return { claimed: true, record: written };
    const current = await this.current(execution.executionId);
    if (current?.status === 'RUNNING' && current.claimId === claim.claimId) return { claimed: true, record: current };
    return { claimed: false, record: current, why: nothingToDo(current) };
  }

  /** The claim's selection, before anything is terminated: what it will terminate, and what it leaves alone. */
  recordSelection(executionId: string, claimId: string, selection: { selected: string[]; note: string }) {
    return this.byClaim(
      executionId,
      claimId,
      'SET #cleanup.selected = :selected, #cleanup.pending = :selected, #cleanup.note = :note',
      {
        ':selected': selection.selected,
        ':note': selection.note,
      },
    );
  }

  /** A TerminateRecoveryInstances is about to be sent: a lost answer's job is searched for from this time. */
  recordTerminateRequest(executionId: string, claimId: string, at: Date) {
    return this.byClaim(executionId, claimId, 'SET #cleanup.terminateRequestedAt = :at', { ':at': at.toISOString() });
  }

  /** A TERMINATE job started (or found after a lost answer) for these instances; the rest stay pending. */
  recordTerminateJob(executionId: string, claimId: string, job: { jobId: string; pending: string[] }) {
    return this.byClaim(
      executionId,
      claimId,
      'SET #cleanup.terminateJobIds = list_append(#cleanup.terminateJobIds, :job), #cleanup.pending = :pending',
      { ':job': [job.jobId], ':pending': job.pending },
      'AND NOT contains(#cleanup.terminateJobIds, :jobId)',
      { ':jobId': job.jobId },
    );
  }

  /** Ends the claimed cleanup, DONE or FAILED, with each instance's result. */
  finish(
    executionId: string,
    claimId: string,
    end: { status: 'DONE' | 'FAILED'; terminated: string[]; failed: CleanupFailure[]; at: Date; note?: string },
  ) {
    return this.byClaim(
      executionId,
      claimId,
      `SET #cleanup.#cs = :end, #cleanup.terminatedInstanceIDs = :terminated, #cleanup.failed = :failedList,
        #cleanup.endedAt = :at, #cleanup.pending = :none${end.note ? ', #cleanup.note = :note' : ''}`,
      {
        ':end': end.status,
        ':terminated': end.terminated,
        ':failedList': end.failed,
        ':at': end.at.toISOString(),
        ':none': [],
        ...(end.note ? { ':note': end.note } : {}),
      },
    );
  }

  /** The cleanup as recorded now (strongly consistent), or undefined. */
  async current(executionId: string): Promise<CleanupRecord | undefined> {
    const item = await getItem(this.table, executionKey(executionId));
    const parsed = cleanupRecordSchema.safeParse(item?.cleanup);
    return parsed.success ? parsed.data : undefined;
  }

  /**
   * A write only the claim's holder may make. Refused (someone else holds it, or it has ended):
   * throws CleanupClaimLost, so the runner stops rather than act on a cleanup it no longer owns.
   */
  private async byClaim(
    executionId: string,
    claimId: string,
    set: string,
    values: Record<string, unknown>,
    extraCondition = '',
    extraValues: Record<string, unknown> = {},
  ): Promise<CleanupRecord> {
    const written = await this.update(executionId, {
      set,
      condition: `#cleanup.claimId = :claimId AND #cleanup.#cs = :running ${extraCondition}`,
      values: { ...values, ...extraValues, ':claimId': claimId, ':running': 'RUNNING' },
    });
    if (written) return written;
    const current = await this.current(executionId);
    // The same TERMINATE job recorded twice (a retried task): already done.
    if (extraCondition && current?.claimId === claimId && current.status === 'RUNNING') return current;
    throw new CleanupClaimLost(
      `the cleanup of execution ${executionId} is no longer held by ${claimId}: ${nothingToDo(current)}`,
    );
  }

  /** One conditional update of the execution item; the cleanup as written, or undefined when the condition failed. */
  private async update(
    executionId: string,
    args: { set: string; condition: string; values: Record<string, unknown> },
  ): Promise<CleanupRecord | undefined> {
    // DynamoDB refuses a name or value the expressions do not use: pass only those they do.
    const text = `${args.set} ${args.condition}`;
    const used = ([name]: [string, unknown]) => new RegExp(`${name}(?![A-Za-z0-9_])`).test(text);
    const names = Object.fromEntries(Object.entries(NAMES).filter(used));
    try {
      const out = await this.table.db.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: executionKey(executionId),
          UpdateExpression: args.set,
          ConditionExpression: `attribute_exists(executionId) AND ${args.condition}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: Object.fromEntries(Object.entries(args.values).filter(used)),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return cleanupRecordSchema.parse(out.Attributes?.cleanup);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}

/** The runner no longer holds the cleanup's claim (another took it, or it ended): it stops, recording nothing. */
export class CleanupClaimLost extends OrchestratorError {
  constructor(message: string) {
    super(message);
    this.name = 'CleanupClaimLost';
  }
}
