/**
 * The steps of a drill cleanup, as the cleanup workflow (`statemachine/drill-cleanup.asl.json`)
 * runs them: claim the cleanup and terminate what the selection rule allows, then check the
 * TERMINATE jobs until every selected instance has a result, and record it. Each step is safe to
 * repeat (the workflow retries DRS faults): the claim is the runner's own again, the selection is
 * made once and recorded before anything is terminated, and a request whose answer was lost is
 * found by its job instead of being sent again.
 */
import type { Job } from '@aws-sdk/client-drs';
import {
  chunksOf,
  describeJobs,
  describeRecoveryInstances,
  findTerminateJobs,
  terminateRecoveryInstances,
} from './cleanup-drs';
import { cleanupOutcome } from './cleanup-outcome';
import { CLEANUP_DEADLINE_MINUTES, CLEANUP_POLL_SECONDS, type CleanupTaskInput } from './cleanup-run';
import { selectDrillInstances, selectionNote } from './cleanup-selection';
import type { TaskDeps } from './clients';
import { DrsUnavailable } from './errors';

export type { CleanupTaskInput } from './cleanup-run';

import { type CleanupRecord, refusalOf } from './records/cleanup-records';
import { claimedJobIds } from './records/wave-claims';

/** How far before a request to look for its job, for clock skew between the task and DRS. */
const REQUEST_SKEW_MS = 5 * 60_000;

export type CleanupDeps = Pick<TaskDeps, 'store' | 'drs' | 'drsStart' | 'clock'>;

/** What each step hands on; the workflow's Choice branches on `status`. */
export interface CleanupStep extends CleanupTaskInput {
  status: 'NOTHING_TO_DO' | 'RUNNING' | 'DONE' | 'FAILED';
  nextPollSeconds: number;
  message: string;
}

/** Claims the cleanup (or finds it claimed: nothing to do), selects this drill's instances once, and starts terminating them. */
export async function claimAndTerminate(deps: CleanupDeps, input: CleanupTaskInput): Promise<CleanupStep> {
  const now = deps.clock.now();
  const loaded = await deps.store.loadExecution(input.executionId);
  if (!loaded) throw refusalOf(undefined, input.executionId);
  const claim = await deps.store.cleanups.claim(loaded.execution, {
    claimId: input.claimId,
    by: input.claimedBy,
    at: now,
    deadline: new Date(now.getTime() + CLEANUP_DEADLINE_MINUTES * 60_000),
  });
  if (!claim.claimed) return step(input, 'NOTHING_TO_DO', `nothing to do: ${claim.why}`);
  let record = claim.record;
  if (record.selected === undefined) {
    const jobIds = [
      ...new Set(
        [...loaded.waves.map((w) => w.jobId), ...claimedJobIds(loaded.execution)].filter((id): id is string => !!id),
      ),
    ];
    const servers = [...new Set(loaded.waves.flatMap((w) => w.sourceServerIDs))];
    const instances = servers.length > 0 ? await describeRecoveryInstances(deps.drs, { sourceServerIDs: servers }) : [];
    const selection = selectDrillInstances({ executionType: loaded.execution.executionType, jobIds, instances });
    record = await deps.store.cleanups.recordSelection(input.executionId, input.claimId, {
      selected: selection.terminate,
      note: selectionNote(selection),
    });
  }
  record = await submitPending(deps, input, record);
  return checkTermination(deps, input, record);
}

/**
 * Sends the pending instances to DRS, 200 at a time. A request whose answer was lost is first
 * looked for (its job adopted); instances DRS already shows going or gone are not sent again; a
 * quota refusal keeps the rest pending for the next check.
 */
async function submitPending(deps: CleanupDeps, input: CleanupTaskInput, start: CleanupRecord): Promise<CleanupRecord> {
  let record = start;
  if (record.terminateRequestedAt && (record.pending ?? []).length > 0)
    record = await adoptLostJobs(deps, input, record);
  let pending = record.pending ?? [];
  if (pending.length === 0) return record;
  const states = await describeRecoveryInstances(deps.drs, { recoveryInstanceIDs: pending });
  const stillRunning = new Set(
    states
      .filter((i) => !['TERMINATED', 'NOT_FOUND', 'SHUTTING-DOWN'].includes(i.ec2InstanceState ?? ''))
      .map((i) => i.recoveryInstanceID),
  );
  pending = pending.filter((id) => stillRunning.has(id));
  for (const chunk of chunksOf(pending)) {
    record = await deps.store.cleanups.recordTerminateRequest(input.executionId, input.claimId, deps.clock.now());
    const outcome = await terminateRecoveryInstances(deps.drsStart, chunk);
    if (outcome.kind === 'QUOTA') {
      return { ...record, pending, note: `${record.note ?? ''}; waiting for a DRS job slot: ${outcome.message}` };
    }
    if (outcome.kind === 'UNCERTAIN') {
      const adopted = await adoptLostJobs(deps, input, { ...record, pending });
      if ((adopted.pending ?? []).some((id) => chunk.includes(id))) {
        // No job found yet: DescribeJobs may not list it. The workflow retries, and looks again first.
        throw outcome.error instanceof DrsUnavailable
          ? outcome.error
          : new DrsUnavailable(outcome.error.message, { operation: 'TerminateRecoveryInstances' });
      }
      record = adopted;
      pending = adopted.pending ?? [];
      continue;
    }
    pending = pending.filter((id) => !chunk.includes(id));
    record = await deps.store.cleanups.recordTerminateJob(input.executionId, input.claimId, {
      jobId: outcome.jobId,
      pending,
    });
  }
  return record;
}

/** Finds the TERMINATE jobs of requests whose answers were lost, and records them as this cleanup's. */
async function adoptLostJobs(
  deps: CleanupDeps,
  input: CleanupTaskInput,
  record: CleanupRecord,
): Promise<CleanupRecord> {
  const from = new Date(new Date(record.terminateRequestedAt ?? 0).getTime() - REQUEST_SKEW_MS);
  let pending = record.pending ?? [];
  let current = record;
  const known = new Set(record.terminateJobIds ?? []);
  for (const job of await findTerminateJobs(deps.drs, from, pending)) {
    if (!job.jobID || known.has(job.jobID)) continue;
    const covered = new Set((job.participatingServers ?? []).map((s) => s.recoveryInstanceID));
    pending = pending.filter((id) => !covered.has(id));
    current = await deps.store.cleanups.recordTerminateJob(input.executionId, input.claimId, {
      jobId: job.jobID,
      pending,
    });
  }
  return { ...current, pending };
}

/** Reads the cleanup's TERMINATE jobs and instances; records DONE or FAILED once each selected instance has its result. */
export async function checkTermination(
  deps: CleanupDeps,
  input: CleanupTaskInput,
  known?: CleanupRecord,
): Promise<CleanupStep> {
  let record = known ?? (await deps.store.cleanups.current(input.executionId));
  if (record?.status !== 'RUNNING' || record.claimId !== input.claimId) {
    return step(
      input,
      'NOTHING_TO_DO',
      `nothing to do: the cleanup is ${record?.status ?? 'not recorded'}, not held by this run`,
    );
  }
  if (!known && (record.pending ?? []).length > 0) record = await submitPending(deps, input, record);
  const selected = record.selected ?? [];
  const jobs: Job[] =
    (record.terminateJobIds ?? []).length > 0 ? await describeJobs(deps.drs, record.terminateJobIds ?? []) : [];
  const instances =
    selected.length > 0 ? await describeRecoveryInstances(deps.drs, { recoveryInstanceIDs: selected }) : [];
  const now = deps.clock.now();
  const outcome = cleanupOutcome({
    selected,
    pending: record.pending ?? [],
    ...(record.note?.includes('waiting for a DRS job slot')
      ? { pendingReason: 'the DRS quota of concurrent jobs was full' }
      : {}),
    jobs,
    instances,
    now,
    deadline: new Date(record.deadline ?? now.toISOString()),
  });
  if (outcome.waiting.length > 0) {
    return step(input, 'RUNNING', `${outcome.waiting.length} instance(s) still being terminated`, CLEANUP_POLL_SECONDS);
  }
  const terminated = [...new Set([...(record.terminatedInstanceIDs ?? []), ...outcome.terminated])];
  const status = outcome.failed.length > 0 ? 'FAILED' : 'DONE';
  await deps.store.cleanups.finish(input.executionId, input.claimId, {
    status,
    terminated,
    failed: outcome.failed,
    at: now,
  });
  return step(
    input,
    status,
    `${outcome.terminated.length} instance(s) terminated${outcome.failed.length ? `, ${outcome.failed.length} not` : ''}${record.note ? ` (${record.note})` : ''}`,
  );
}

/**
 * The workflow's Catch: an error the retries did not cure ends the cleanup FAILED, each selected
 * instance not known to be terminated named with the error. Only the claim's holder records it.
 */
export async function recordCleanupFailure(
  deps: CleanupDeps,
  input: CleanupTaskInput & { failure?: { Error?: string; Cause?: string } },
): Promise<CleanupStep> {
  const record = await deps.store.cleanups.current(input.executionId);
  if (record?.status !== 'RUNNING' || record.claimId !== input.claimId) {
    return step(
      input,
      'NOTHING_TO_DO',
      `nothing recorded: the cleanup is ${record?.status ?? 'not recorded'}, not held by this run`,
    );
  }
  const error = input.failure?.Error ?? 'Error';
  const cause = readable(input.failure?.Cause);
  const instances = await describeRecoveryInstances(deps.drs, { recoveryInstanceIDs: record.selected ?? [] }).catch(
    () => undefined,
  );
  const gone = new Set(
    (instances ?? [])
      .filter((i) => ['TERMINATED', 'NOT_FOUND'].includes(i.ec2InstanceState ?? ''))
      .map((i) => i.recoveryInstanceID),
  );
  const selected = record.selected ?? [];
  const terminated = instances
    ? selected.filter((id) => gone.has(id) || !instances.some((i) => i.recoveryInstanceID === id))
    : [];
  const failed = selected
    .filter((id) => !terminated.includes(id))
    .map((recoveryInstanceID) => ({ recoveryInstanceID, reason: `${error}: ${cause}` }));
  await deps.store.cleanups.finish(input.executionId, input.claimId, {
    status: 'FAILED',
    terminated: [...new Set([...(record.terminatedInstanceIDs ?? []), ...terminated])],
    failed,
    at: deps.clock.now(),
    note: `the cleanup failed: ${error}: ${cause}`,
  });
  return step(input, 'FAILED', `the cleanup failed: ${error}: ${cause}`);
}

/** A Lambda error's Cause is JSON with its errorMessage: the message is what a person reads. */
function readable(cause: string | undefined): string {
  if (!cause) return 'no cause given';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}

const step = (
  input: CleanupTaskInput,
  status: CleanupStep['status'],
  message: string,
  nextPollSeconds = 0,
): CleanupStep => ({
  executionId: input.executionId,
  claimId: input.claimId,
  claimedBy: input.claimedBy,
  status,
  nextPollSeconds,
  message,
});
