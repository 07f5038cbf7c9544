import { z } from 'zod';
import { shown } from './zod-problems';

/**
 * The plan's drill-cleanup field, kept out of `plan-rules.ts` (which imports it) so the rule about
 * when a drill's recovery instances are terminated has one home.
 *
 * `drillCleanupAfterMinutes`: how long after a DRILL ends its recovery instances are terminated.
 * Whole minutes; 0 keeps them until someone cleans up on demand. The upper bound (30 days) keeps
 * a forgotten drill from billing for longer than a month without anyone having said so.
 */
export const DRILL_CLEANUP_AFTER_MINUTES = { min: 0, max: 43_200, default: 120 } as const;

const outOfRange = (issue: { input?: unknown }) =>
  `drillCleanupAfterMinutes must be between ${DRILL_CLEANUP_AFTER_MINUTES.min} and ${DRILL_CLEANUP_AFTER_MINUTES.max} minutes (got ${shown(issue.input)}); 0 keeps the drill's instances until a cleanup on demand`;

export const drillCleanupAfterMinutesSchema = z
  .number({
    error: (issue) =>
      issue.input === undefined
        ? 'is missing: it must be a number of minutes'
        : `must be a number of minutes (got ${shown(issue.input)})`,
  })
  .int({ error: (issue) => `drillCleanupAfterMinutes must be a whole number of minutes (got ${shown(issue.input)})` })
  .min(DRILL_CLEANUP_AFTER_MINUTES.min, { error: outOfRange })
  .max(DRILL_CLEANUP_AFTER_MINUTES.max, { error: outOfRange })
  // Left out, the default applies where the execution records its cleanup (`drillCleanupAfterMinutesOf`):
  // a plan reads back as it was written, and plans written before this field existed read the same.
  .optional();

/** The plan's cleanup delay, its default applied. */
export const drillCleanupAfterMinutesOf = (plan: { drillCleanupAfterMinutes?: number | undefined }): number =>
  plan.drillCleanupAfterMinutes ?? DRILL_CLEANUP_AFTER_MINUTES.default;
