import { z } from 'zod';
import { SOURCE_SERVER_ID, SOURCE_SERVER_ID_RULE } from '../functions/shared/ids';
import { shown } from '../functions/shared/zod-problems';

/**
 * How EventBridge delivers DRS's launch result events in a local drill (the scenario's `events`).
 * By default every event arrives `delaySeconds` (2) after its launch result. DRS delivers them best
 * effort, so a scenario can lose them (`dropFor`: some servers' events, or "all": polling alone),
 * repeat them (`duplicates`) or hold some back (`delaySecondsFor`, so they arrive out of order).
 */
const seconds = (what: string) =>
  z
    .number({ error: (issue) => `${what} must be a number of seconds (got ${shown(issue.input)})` })
    .min(0, { error: (issue) => `${what} must not be negative (got ${shown(issue.input)})` })
    .max(86_400, { error: (issue) => `${what} must be at most a day (got ${shown(issue.input)})` });

const serverId = z.string().regex(SOURCE_SERVER_ID, {
  error: (issue) => `must be a source server ID, ${SOURCE_SERVER_ID_RULE} (got ${shown(issue.input)})`,
});

export const launchEventsScenarioSchema = z.strictObject({
  delaySeconds: seconds('delaySeconds').default(2),
  dropFor: z
    .union([z.literal('all'), z.array(serverId)], {
      error: () => 'dropFor must be "all" or a list of source server IDs',
    })
    .default([]),
  duplicates: z
    .number({ error: (issue) => `duplicates must be a whole number (got ${shown(issue.input)})` })
    .int({ error: (issue) => `duplicates must be a whole number (got ${shown(issue.input)})` })
    .min(0)
    .max(5, { error: (issue) => `duplicates must be at most 5 (got ${shown(issue.input)})` })
    .default(0),
  delaySecondsFor: z.record(z.string().regex(SOURCE_SERVER_ID), seconds('delaySecondsFor')).default({}),
});

export type LaunchEventsScenario = z.output<typeof launchEventsScenarioSchema>;

/** A scenario without `events`: every event delivered 2 s after its launch result, once. */
export const DEFAULT_LAUNCH_EVENTS: LaunchEventsScenario = launchEventsScenarioSchema.parse({});
