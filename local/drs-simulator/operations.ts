/**
 * The operation handlers: each checks its request as DRS does, asks the world, and shapes the
 * response body as the SDK's deserializer expects. Nothing here knows about HTTP or faults:
 * the server counts the call and injects faults around `serveOperation`.
 */
import type { z } from 'zod';
import type { DrsCounts } from './counts';
import { DrsApiError } from './errors';
import { byIndex, paginate } from './pagination';
import { type DrsOperation, parseDate, requestSchemas, validate } from './requests';
import type { DrsResponse } from './wire';
import type { World } from './world';

/** What the handlers act on: the world, and the counter of jobs created. */
export interface OperationContext {
  world: World;
  counts: DrsCounts;
}

/** Serves one request by operation name, its body already parsed as a JSON object. */
export function serveOperation(
  context: OperationContext,
  operation: DrsOperation,
  body: Record<string, unknown>,
): DrsResponse {
  switch (operation) {
    case 'StartRecovery':
      return startRecovery(context, validate(requestSchemas.StartRecovery, body));
    case 'DescribeJobs':
      return describeJobs(context, validate(requestSchemas.DescribeJobs, body));
    case 'DescribeJobLogItems':
      return describeJobLogItems(context, validate(requestSchemas.DescribeJobLogItems, body));
    case 'DescribeSourceServers':
      return describeSourceServers(context, validate(requestSchemas.DescribeSourceServers, body));
    case 'DescribeRecoveryInstances':
      return describeRecoveryInstances(context, validate(requestSchemas.DescribeRecoveryInstances, body));
    case 'TerminateRecoveryInstances':
      return terminateRecoveryInstances(context, validate(requestSchemas.TerminateRecoveryInstances, body));
    case 'ListLaunchActions':
      return listLaunchActions(context, validate(requestSchemas.ListLaunchActions, body));
    case 'DescribeRecoverySnapshots':
      return describeRecoverySnapshots(context, validate(requestSchemas.DescribeRecoverySnapshots, body));
  }
}

function startRecovery(
  { world, counts }: OperationContext,
  input: z.output<typeof requestSchemas.StartRecovery>,
): DrsResponse {
  const sourceServerIDs = input.sourceServers.map((s) => s.sourceServerID);
  const duplicates = [...new Set(sourceServerIDs.filter((id, index) => sourceServerIDs.indexOf(id) !== index))];
  if (duplicates.length > 0) {
    throw DrsApiError.validation(
      `Source servers listed more than once: ${duplicates.join(', ')}`,
      'fieldValidationFailed',
      [{ name: 'sourceServers', message: `Duplicate source server IDs: ${duplicates.join(', ')}` }],
    );
  }
  const job = countingRefusals(counts, () =>
    world.startRecovery({ sourceServerIDs, isDrill: input.isDrill ?? false, tags: input.tags ?? {} }),
  );
  counts.jobsCreated += 1;
  return { statusCode: 202, body: { job } };
}

function describeJobs({ world }: OperationContext, input: z.output<typeof requestSchemas.DescribeJobs>): DrsResponse {
  const { jobIDs, fromDate, toDate } = input.filters ?? {};
  const fromMs = parseDate('filters.fromDate', fromDate);
  const toMs = parseDate('filters.toDate', toDate);
  const wanted = jobIDs !== undefined && jobIDs.length > 0 ? new Set(jobIDs) : undefined;
  // DescribeJobs is eventually consistent: a job created a moment ago may be missing, asked for by ID too.
  const jobs = world.jobs({
    listed: true,
    ...(wanted ? { jobIDs: wanted } : {}),
    ...(fromMs !== undefined ? { fromMs } : {}),
    ...(toMs !== undefined ? { toMs } : {}),
  });
  // Keyed by job ID, so jobs created between two pages do not shift the next page.
  return { statusCode: 200, body: paginate('DescribeJobs', jobs, input, (job) => job.jobID ?? '') };
}

function describeJobLogItems(
  { world }: OperationContext,
  input: z.output<typeof requestSchemas.DescribeJobLogItems>,
): DrsResponse {
  const items = world.jobLog(input.jobID) ?? [];
  return { statusCode: 200, body: paginate(`DescribeJobLogItems/${input.jobID}`, items, input, byIndex) };
}

function describeSourceServers(
  { world }: OperationContext,
  input: z.output<typeof requestSchemas.DescribeSourceServers>,
): DrsResponse {
  const ids = nonEmptySet(input.filters?.sourceServerIDs);
  const servers = world.sourceServers().filter((s) => ids === undefined || ids.has(s.sourceServerID ?? ''));
  return { statusCode: 200, body: paginate('DescribeSourceServers', servers, input, byIndex) };
}

function describeRecoveryInstances(
  { world }: OperationContext,
  input: z.output<typeof requestSchemas.DescribeRecoveryInstances>,
): DrsResponse {
  const instanceIDs = nonEmptySet(input.filters?.recoveryInstanceIDs);
  const serverIDs = nonEmptySet(input.filters?.sourceServerIDs);
  const instances = world
    .recoveryInstances()
    .filter(
      (i) =>
        (instanceIDs === undefined || instanceIDs.has(i.recoveryInstanceID ?? '')) &&
        (serverIDs === undefined || serverIDs.has(i.sourceServerID ?? '')),
    );
  return { statusCode: 200, body: paginate('DescribeRecoveryInstances', instances, input, byIndex) };
}

function terminateRecoveryInstances(
  { world, counts }: OperationContext,
  input: z.output<typeof requestSchemas.TerminateRecoveryInstances>,
): DrsResponse {
  const ids = [...new Set(input.recoveryInstanceIDs)];
  return { statusCode: 200, body: { job: countingRefusals(counts, () => world.terminateRecoveryInstances(ids)) } };
}

/** Runs a job-creating call, counting a quota refusal (ServiceQuotaExceededException) among the refused calls. */
function countingRefusals<T>(counts: DrsCounts, create: () => T): T {
  try {
    return create();
  } catch (error) {
    if (error instanceof DrsApiError && error.errorType === 'ServiceQuotaExceededException') counts.refusedCalls += 1;
    throw error;
  }
}

function listLaunchActions(
  { world }: OperationContext,
  input: z.output<typeof requestSchemas.ListLaunchActions>,
): DrsResponse {
  // The simulator has no launch configuration templates: an lct- ID names nothing, as an unknown server does.
  const actions = world.launchActions(input.resourceId);
  if (actions === undefined) {
    throw new DrsApiError('ResourceNotFoundException', `Resource ${input.resourceId} not found`, {
      resourceId: input.resourceId,
      resourceType: input.resourceId.startsWith('lct-') ? 'LAUNCH_CONFIGURATION_TEMPLATE' : 'SOURCE_SERVER',
    });
  }
  const ids = nonEmptySet(input.filters?.actionIds);
  const items = actions.filter((action) => ids === undefined || ids.has(action.actionId ?? ''));
  return { statusCode: 200, body: paginate(`ListLaunchActions/${input.resourceId}`, items, input, byIndex) };
}

function describeRecoverySnapshots(
  { world }: OperationContext,
  input: z.output<typeof requestSchemas.DescribeRecoverySnapshots>,
): DrsResponse {
  const snapshots = world.recoverySnapshots(input.sourceServerID);
  if (snapshots === undefined) {
    throw new DrsApiError('ResourceNotFoundException', `Source server ${input.sourceServerID} not found`, {
      resourceId: input.sourceServerID,
      resourceType: 'SOURCE_SERVER',
    });
  }
  const fromMs = parseDate('filters.fromDateTime', input.filters?.fromDateTime);
  const toMs = parseDate('filters.toDateTime', input.filters?.toDateTime);
  const inRange = snapshots.filter((snapshot) => {
    const takenMs = Date.parse(snapshot.timestamp ?? snapshot.expectedTimestamp ?? '');
    return (fromMs === undefined || takenMs >= fromMs) && (toMs === undefined || takenMs <= toMs);
  });
  const ordered = input.order === 'DESC' ? [...inRange].reverse() : inRange;
  // Keyed by snapshot ID, so a snapshot taken between two pages does not shift the next page.
  return {
    statusCode: 200,
    body: paginate(`DescribeRecoverySnapshots/${input.sourceServerID}/${input.order ?? 'ASC'}`, ordered, input, (s) =>
      String(s.snapshotID),
    ),
  };
}

/** An ID filter; an empty list filters nothing, as in DRS. */
function nonEmptySet(ids: string[] | undefined): Set<string> | undefined {
  return ids !== undefined && ids.length > 0 ? new Set(ids) : undefined;
}
