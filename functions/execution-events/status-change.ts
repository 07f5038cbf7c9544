import { z } from 'zod';
import { MalformedEvent } from '../shared/errors';
import { problemsOf } from '../shared/zod-problems';

/**
 * The EventBridge "Step Functions Execution Status Change" event, the fields this function reads.
 * Checked on arrival: an event of another shape (a rule pointed at the wrong source, a hand-made
 * test event) is named as such, instead of failing somewhere inside with a TypeError. Other
 * fields are dropped; an unknown status is kept (the function logs and ignores it).
 */
const text = z.string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a string') });
const optionalText = z.string({ error: 'must be a string or null' }).nullish();
const epochMillis = z.number({ error: 'must be a time in epoch milliseconds or null' }).nullish();

export const executionStatusChangeSchema = z.object(
  {
    'detail-type': z.string().optional(),
    detail: z.object(
      {
        executionArn: text.min(1, { error: 'must not be empty' }),
        stateMachineArn: optionalText,
        name: text.min(1, { error: 'must not be empty' }),
        status: text.min(1, { error: 'must not be empty' }),
        startDate: epochMillis,
        stopDate: epochMillis,
        input: optionalText,
        error: optionalText,
        cause: optionalText,
      },
      { error: (issue) => (issue.input === undefined ? 'is missing' : 'must be an object') },
    ),
  },
  { error: 'the event must be an object' },
);

export type ExecutionStatusChange = z.output<typeof executionStatusChangeSchema>;

/** The event as this function reads it; throws MalformedEvent naming every problem. */
export function parseStatusChange(event: unknown): ExecutionStatusChange {
  const parsed = executionStatusChangeSchema.safeParse(event);
  if (!parsed.success) throw new MalformedEvent(problemsOf(parsed.error));
  return parsed.data;
}
