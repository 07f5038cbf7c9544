/**
 * The operations the simulator serves and their request shapes as DRS checks them, so a request
 * real DRS would refuse is refused here too (with the same ValidationException fields).
 */
import type { ValidationExceptionField } from '@aws-sdk/client-drs';
import { z } from 'zod';
import { JOB_ID, SOURCE_SERVER_ID } from '../../functions/shared/ids';
import { placedIssues } from '../../functions/shared/zod-problems';
import { DrsApiError } from './errors';
import { FAULTABLE_OPERATIONS } from './scenario';

/** The operations the simulator serves, each at `POST /<name>` (a scenario may inject faults into each). */
export const DRS_OPERATIONS = FAULTABLE_OPERATIONS;
export type DrsOperation = (typeof DRS_OPERATIONS)[number];

/** DRS's limit on the IDs one request may name. */
const MAX_IDS = 200;
const RECOVERY_INSTANCE_ID_PATTERN = /^i-[0-9a-fA-F]{8,}$/;
/** LaunchActionResourceId: a source server or a launch configuration template. */
const LAUNCH_ACTION_RESOURCE_ID = /^(s-[0-9a-zA-Z]{17}|lct-[0-9a-zA-Z]{17})$/;
const LAUNCH_ACTION_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const pageSchema = {
  maxResults: z.number().int().min(1).max(1000).optional(),
  nextToken: z.string().max(2048).optional(),
};
const idList = (pattern: RegExp, max: number) => z.array(z.string().regex(pattern)).max(max);

// Unknown members are ignored, as AWS services do.
export const requestSchemas = {
  StartRecovery: z.object({
    sourceServers: z
      .array(
        z.object({
          sourceServerID: z.string().regex(SOURCE_SERVER_ID),
          recoverySnapshotID: z.string().optional(),
        }),
      )
      .min(1)
      .max(MAX_IDS),
    isDrill: z.boolean().optional(),
    tags: z.record(z.string(), z.string()).optional(),
  }),
  DescribeJobs: z.object({
    filters: z
      .object({
        jobIDs: idList(JOB_ID, 1000).optional(),
        fromDate: z.string().optional(),
        toDate: z.string().optional(),
      })
      .optional(),
    ...pageSchema,
  }),
  DescribeJobLogItems: z.object({ jobID: z.string().regex(JOB_ID), ...pageSchema }),
  DescribeSourceServers: z.object({
    filters: z
      .object({
        sourceServerIDs: idList(SOURCE_SERVER_ID, MAX_IDS).optional(),
        hardwareId: z.string().optional(),
        stagingAccountIDs: z.array(z.string()).optional(),
      })
      .optional(),
    ...pageSchema,
  }),
  DescribeRecoveryInstances: z.object({
    filters: z
      .object({
        recoveryInstanceIDs: idList(RECOVERY_INSTANCE_ID_PATTERN, MAX_IDS).optional(),
        sourceServerIDs: idList(SOURCE_SERVER_ID, MAX_IDS).optional(),
      })
      .optional(),
    ...pageSchema,
  }),
  TerminateRecoveryInstances: z.object({
    recoveryInstanceIDs: idList(RECOVERY_INSTANCE_ID_PATTERN, MAX_IDS).min(1),
  }),
  ListLaunchActions: z.object({
    resourceId: z.string().regex(LAUNCH_ACTION_RESOURCE_ID),
    filters: z.object({ actionIds: idList(LAUNCH_ACTION_ID, 100).optional() }).optional(),
    ...pageSchema,
  }),
  DescribeRecoverySnapshots: z.object({
    sourceServerID: z.string().regex(SOURCE_SERVER_ID),
    filters: z.object({ fromDateTime: z.string().optional(), toDateTime: z.string().optional() }).optional(),
    order: z.enum(['ASC', 'DESC']).optional(),
    ...pageSchema,
  }),
} satisfies Record<DrsOperation, z.ZodType>;

/** The request, checked against its schema; each problem becomes an entry of the ValidationException's fieldList. */
export function validate<T extends z.ZodType>(schema: T, body: Record<string, unknown>): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) {
    return parsed.data;
  }
  const fieldList: ValidationExceptionField[] = placedIssues(parsed.error).map(({ path, message }) => ({
    name: path || '(body)',
    message,
  }));
  throw DrsApiError.validation(
    `Invalid request: ${fieldList.map((f) => `${f.name}: ${f.message}`).join('; ')}`,
    'fieldValidationFailed',
    fieldList,
  );
}

/** An optional date filter as epoch milliseconds. */
export function parseDate(field: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw DrsApiError.validation(`${field} is not a date: ${value}`, 'fieldValidationFailed', [
      { name: field, message: 'expected an ISO-8601 date-time' },
    ]);
  }
  return ms;
}
