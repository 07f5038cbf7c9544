import type {
  ActionRun,
  ExecutionType,
  JobServer,
  JobSnapshot,
  RequiredAction,
  RequiredActions,
  ServerStatus,
  Verdict,
} from '../shared/types';

/**
 * The verdict on a wave, from the DRS job's per-server launch states. It never reads the job
 * status as success: a COMPLETED job only means the job finished. COMPLETED needs at least one
 * required (not optional) server and every one of them LAUNCHED (and, for RECOVERY, every
 * required post-launch action SUCCEEDED); an optional server's failure is reported, not judged.
 */
export interface ClassifyInput {
  /** Every member of the wave, as launched in its job (optional ones included). */
  requestedServerIDs: readonly string[];
  /**
   * The members whose failure the verdict ignores (reported in `optionalFailedServers`). They are
   * waited for up to the deadline, never past it; they never make a wave COMPLETED on their own.
   */
  optionalServerIDs?: readonly string[];
  job: JobSnapshot;
  executionType: ExecutionType;
  /**
   * RECOVERY: the actions each requested server must run (ListLaunchActions: active, not optional).
   * A server without an entry is never done: what it must run is not known. A DRILL ignores this.
   */
  requiredActions: RequiredActions;
  deadline: Date;
  now: Date;
}

export interface Classification {
  status: Verdict;
  /** Required members that did not launch. */
  failedServers: string[];
  /**
   * Optional members that did not launch: those that failed and, once the deadline has passed,
   * those still not done. (A wave FAILED by a required server before its deadline lists only the
   * optional ones that failed: the others were still launching.)
   */
  optionalFailedServers: string[];
  reason: string;
  servers: ServerStatus[];
  /** Requested servers by launch status, for progress lines. */
  counts: Record<string, number>;
}

/** DRS launch status for a requested server DRS left out of the job. */
export const NOT_IN_JOB = 'NOT_IN_JOB';

type ServerOutcome = { kind: 'done' } | { kind: 'waiting'; why: string } | { kind: 'failed'; why: string };

const actionLabel = (action: RequiredAction) => `'${action.name ?? 'unnamed'}' (${action.actionId})`;
const failureOf = (run: ActionRun) => (run.failureReason ? ` (${run.failureReason})` : '');

/**
 * A LAUNCHED server in a RECOVERY is done only when each of its required actions has a SUCCEEDED
 * run. On DRS the runs appear only once DRS has discovered the SSM agent on the new instance, so
 * "no run" is never "nothing to wait for": a required action without a run is still waiting (and
 * the deadline names it).
 */
function postLaunchOutcome(server: JobServer, required: readonly RequiredAction[] | undefined): ServerOutcome {
  if (required === undefined)
    return { kind: 'waiting', why: 'LAUNCHED, its required post-launch actions not known yet' };
  const runs = server.launchActionsStatus?.runs ?? [];
  const failures: string[] = [];
  const waiting: string[] = [];
  for (const action of required) {
    const mine = runs.filter((run) => run.actionId === action.actionId);
    if (mine.some((run) => run.status === 'SUCCEEDED')) continue;
    const failed = mine.find((run) => run.status === 'FAILED');
    if (failed) failures.push(`${actionLabel(action)}${failureOf(failed)}`);
    else if (mine.length === 0) waiting.push(`${actionLabel(action)} has not started`);
    else waiting.push(`${actionLabel(action)} is ${mine.map((run) => run.status).join('/')}`);
  }
  // A run of an action not in the list is judged by its own `optional` flag: a non-optional one
  // that FAILED fails the server, one still running is waited for; optional runs never count.
  const listed = new Set(required.map((action) => action.actionId));
  for (const run of runs.filter((r) => !r.optional && !(r.actionId !== undefined && listed.has(r.actionId)))) {
    const label = `'${run.actionName ?? 'unnamed'}'`;
    if (run.status === 'FAILED') failures.push(`${label}${failureOf(run)}`);
    else if (run.status !== 'SUCCEEDED') waiting.push(`${label} is ${run.status}`);
  }
  if (failures.length > 0) {
    return { kind: 'failed', why: `LAUNCHED but required post-launch action ${failures.join(', ')} FAILED` };
  }
  if (waiting.length > 0) return { kind: 'waiting', why: `LAUNCHED, post-launch action ${waiting.join(', ')}` };
  return { kind: 'done' };
}

/** The required actions with a SUCCEEDED run, for the records (what the completion audit checks). */
function succeededActions(server: JobServer, required: readonly RequiredAction[] | undefined): string[] {
  const runs = server.launchActionsStatus?.runs ?? [];
  return (required ?? [])
    .filter((action) => runs.some((run) => run.actionId === action.actionId && run.status === 'SUCCEEDED'))
    .map((action) => action.actionId);
}

function serverOutcome(
  server: JobServer | undefined,
  jobCompleted: boolean,
  type: ExecutionType,
  required: readonly RequiredAction[] | undefined,
): ServerOutcome {
  if (!server) {
    return jobCompleted
      ? { kind: 'failed', why: 'missing from the DRS job, which has COMPLETED' }
      : { kind: 'waiting', why: 'not in the job yet' };
  }
  switch (server.launchStatus) {
    case 'LAUNCHED':
      return type === 'RECOVERY' ? postLaunchOutcome(server, required) : { kind: 'done' };
    case 'FAILED':
    case 'TERMINATED':
      return { kind: 'failed', why: server.launchStatus };
    default:
      // PENDING, IN_PROGRESS, or a status this code does not know: never success.
      return jobCompleted
        ? { kind: 'failed', why: `${server.launchStatus} when the DRS job COMPLETED` }
        : { kind: 'waiting', why: server.launchStatus };
  }
}

export function classify(input: ClassifyInput): Classification {
  const jobCompleted = input.job.status === 'COMPLETED';
  const inJob = new Map(input.job.participatingServers.map((server) => [server.sourceServerID, server]));
  const isOptional = new Set(input.optionalServerIDs ?? []);
  const required = { failed: [] as string[], failures: [] as string[], waiting: [] as string[], total: 0 };
  const optional = {
    failed: [] as string[],
    failures: [] as string[],
    waiting: [] as string[],
    waitingIds: [] as string[],
  };
  const servers: ServerStatus[] = [];
  const counts: Record<string, number> = {};

  for (const id of input.requestedServerIDs) {
    const server = inJob.get(id);
    const launchStatus = server?.launchStatus ?? NOT_IN_JOB;
    counts[launchStatus] = (counts[launchStatus] ?? 0) + 1;
    const succeeded =
      input.executionType === 'RECOVERY' && server ? succeededActions(server, input.requiredActions[id]) : [];
    servers.push({
      sourceServerID: id,
      launchStatus,
      ...(server?.recoveryInstanceID ? { recoveryInstanceID: server.recoveryInstanceID } : {}),
      ...(succeeded.length > 0 ? { succeededActions: succeeded } : {}),
    });
    const outcome = serverOutcome(server, jobCompleted, input.executionType, input.requiredActions[id]);
    if (isOptional.has(id)) {
      if (outcome.kind === 'failed') {
        optional.failed.push(id);
        optional.failures.push(`${id} ${outcome.why}`);
      } else if (outcome.kind === 'waiting') {
        optional.waiting.push(`${id} ${outcome.why}`);
        optional.waitingIds.push(id);
      }
      continue;
    }
    required.total += 1;
    if (outcome.kind === 'failed') {
      required.failed.push(id);
      required.failures.push(`${id} ${outcome.why}`);
    } else if (outcome.kind === 'waiting') {
      required.waiting.push(`${id} ${outcome.why}`);
    }
  }

  const total = required.total;
  const pastDeadline = input.now.getTime() >= input.deadline.getTime();
  const withOptional = isOptional.size > 0;
  const base = { servers, counts };
  /** What became of the optional servers, for a reason (empty when the wave has none, or all LAUNCHED). */
  const optionalNote = (notDone: string[]) => {
    const parts = [...optional.failures, ...notDone];
    return parts.length > 0
      ? `; optional server${parts.length === 1 ? '' : 's'} not launched (the verdict ignores them): ${parts.join('; ')}`
      : '';
  };
  if (required.failed.length > 0) {
    return {
      ...base,
      status: 'FAILED',
      failedServers: required.failed,
      optionalFailedServers: optional.failed,
      reason: required.failures.join('; ') + optionalNote([]),
    };
  }
  // Never COMPLETED without a required server that LAUNCHED: optional successes alone are not a recovery.
  if (total > 0 && required.waiting.length === 0 && (optional.waiting.length === 0 || pastDeadline)) {
    const notDone = pastDeadline ? optional.waiting.map((w) => `${w} at the deadline`) : [];
    return {
      ...base,
      status: 'COMPLETED',
      failedServers: [],
      optionalFailedServers: [...optional.failed, ...(pastDeadline ? optional.waitingIds : [])],
      reason: `all ${total} ${withOptional ? 'required ' : ''}servers LAUNCHED${optionalNote(notDone)}`,
    };
  }
  if (pastDeadline) {
    const what =
      total === 0
        ? 'the wave has no required server, and optional servers alone never complete a wave'
        : `${required.waiting.length} of ${total} ${withOptional ? 'required ' : ''}servers not done: ${required.waiting.join('; ')}`;
    return {
      ...base,
      status: 'TIMED_OUT',
      failedServers: [],
      optionalFailedServers: [...optional.failed, ...optional.waitingIds],
      reason: `deadline ${input.deadline.toISOString()} passed with ${what}${optionalNote(optional.waiting)}`,
    };
  }
  const optionalWaiting =
    optional.waiting.length > 0
      ? `; waiting for ${optional.waiting.length} optional server(s): ${optional.waiting.join('; ')}`
      : '';
  return {
    ...base,
    status: 'LAUNCHING',
    failedServers: [],
    optionalFailedServers: optional.failed,
    // An optional server that already failed is reported now, not only in the final verdict.
    reason: `${total - required.waiting.length} of ${total} ${withOptional ? 'required ' : ''}servers done${optionalWaiting}${optionalNote([])}`,
  };
}
