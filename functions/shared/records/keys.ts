/**
 * The one key scheme of the records: the tables' key attributes and indexes (which the stack,
 * `infra/constructs/tables.ts`, and the local tables, `local/dynamodb.ts`, create) and the item
 * keys the stores write. Nothing else spells a key, so the stack, the local stack, the stores and
 * the tests cannot drift apart.
 *
 * Executions table: one partition per execution holding the execution item and one item per wave
 * (a wave of 100 servers stays far from the 400 KB item limit, and one Query reads a whole
 * execution); the per-plan lock and each per-server lock in its own partition. Plans table: one
 * item per plan.
 */

/** The executions table's key attributes. */
export const EXECUTIONS_TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/**
 * Index keys on execution items: `byPlan` lists a plan's executions, `byStartTime` all
 * executions, both newest first (the sort key starts with the start time).
 */
export const EXECUTION_INDEXES = {
  byPlan: { name: 'byPlan', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  byStartTime: { name: 'byStartTime', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const;

/** The plans table's key: one item per plan, no sort key. */
export const PLANS_TABLE_KEYS = { partitionKey: 'planId' } as const;

const EXECUTION_PREFIX = 'EXECUTION#';
const EXECUTION_SORT_KEY = 'EXECUTION';
const WAVE_PREFIX = 'WAVE#';
const PLAN_PREFIX = 'PLAN#';
const SERVER_PREFIX = 'SERVER#';
const LOCK_SORT_KEY = 'LOCK';
const JOB_PREFIX = 'JOB#';
const LAUNCH_WAIT_SORT_KEY = 'LAUNCH_WAIT';
const ADMISSION_WAITS_SORT_KEY = 'ADMISSION_WAITS';
const ALL_EXECUTIONS = 'EXECUTIONS';

/** The partition holding an execution and its waves. */
export const executionPartition = (executionId: string) => `${EXECUTION_PREFIX}${executionId}`;

export const executionKey = (executionId: string) => ({
  [EXECUTIONS_TABLE_KEYS.partitionKey]: executionPartition(executionId),
  [EXECUTIONS_TABLE_KEYS.sortKey]: EXECUTION_SORT_KEY,
});

/** Waves sort by index within their execution's partition (zero-padded, so `WAVE#0010` follows `WAVE#0009`). */
export const waveKey = (executionId: string, index: number) => ({
  [EXECUTIONS_TABLE_KEYS.partitionKey]: executionPartition(executionId),
  [EXECUTIONS_TABLE_KEYS.sortKey]: `${WAVE_PREFIX}${String(index).padStart(4, '0')}`,
});

/** The per-plan lock: one live execution per plan. */
export const planLockKey = (planId: string) => ({
  [EXECUTIONS_TABLE_KEYS.partitionKey]: `${PLAN_PREFIX}${planId}`,
  [EXECUTIONS_TABLE_KEYS.sortKey]: LOCK_SORT_KEY,
});

/** The per-server lock: a DRS source server belongs to at most one live execution, whatever its plan. */
export const serverLockKey = (sourceServerID: string) => ({
  [EXECUTIONS_TABLE_KEYS.partitionKey]: `${SERVER_PREFIX}${sourceServerID}`,
  [EXECUTIONS_TABLE_KEYS.sortKey]: LOCK_SORT_KEY,
});

/**
 * A DRS job's launch wait (`launch-waits.ts`): DRS's launch result events name only the job, so
 * the job ID finds the wave that waits on it.
 */
export const launchWaitKey = (jobId: string) => ({
  [EXECUTIONS_TABLE_KEYS.partitionKey]: `${JOB_PREFIX}${jobId}`,
  [EXECUTIONS_TABLE_KEYS.sortKey]: LAUNCH_WAIT_SORT_KEY,
});

/** The task tokens of an execution's waves waiting for admission (`admission-waits.ts`), in its partition. */
export const admissionWaitsKey = (executionId: string) => ({
  [EXECUTIONS_TABLE_KEYS.partitionKey]: executionPartition(executionId),
  [EXECUTIONS_TABLE_KEYS.sortKey]: ADMISSION_WAITS_SORT_KEY,
});

/** The index partition a listing reads: one plan's executions, or all of them. */
export const listingPartition = (planId?: string) => (planId ? `${PLAN_PREFIX}${planId}` : ALL_EXECUTIONS);

/** The index attributes written on an execution item, so both listings find it newest first. */
export const indexKeys = (record: { executionId: string; planId: string; startedAt: string }) => ({
  [EXECUTION_INDEXES.byPlan.partitionKey]: listingPartition(record.planId),
  [EXECUTION_INDEXES.byPlan.sortKey]: `${record.startedAt}#${record.executionId}`,
  [EXECUTION_INDEXES.byStartTime.partitionKey]: listingPartition(),
  [EXECUTION_INDEXES.byStartTime.sortKey]: `${record.startedAt}#${record.executionId}`,
});

/** Which record an item of an execution's partition is. */
export const isExecutionItem = (item: Record<string, unknown>) =>
  item[EXECUTIONS_TABLE_KEYS.sortKey] === EXECUTION_SORT_KEY;
export const isWaveItem = (item: Record<string, unknown>) =>
  String(item[EXECUTIONS_TABLE_KEYS.sortKey]).startsWith(WAVE_PREFIX);

/** The key of a plan in the plans table. */
export const planKey = (planId: string) => ({ [PLANS_TABLE_KEYS.partitionKey]: planId });
