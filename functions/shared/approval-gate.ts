import { z } from 'zod';
import { shown } from './zod-problems';

/**
 * A wave's approval gate as a plan gives it: before the wave starts, the execution waits for a
 * person's decision, at most `timeoutMinutes` (Step Functions' task token; no polling while it waits).
 */
export interface ApprovalGate {
  timeoutMinutes: number;
  /** What the person deciding is told (the notification, the progress view, the API's result). */
  message?: string;
}

export const APPROVAL_LIMITS = {
  /** One week: a gate left longer than that is a forgotten gate, not a runbook step. */
  timeoutMinutes: { min: 1, max: 10_080, default: 60 },
  maxMessageLength: 1024,
} as const;

const range = APPROVAL_LIMITS.timeoutMinutes;
const outOfRange = (issue: { input?: unknown }) =>
  `approval.timeoutMinutes must be between ${range.min} and ${range.max} (got ${shown(issue.input)})`;

/** The plan's `approval` field of a wave (zod, so the API's request models are generated from it). */
export const approvalGateSchema = z.strictObject(
  {
    timeoutMinutes: z
      .number({
        error: (issue) =>
          issue.input === undefined
            ? 'is missing: it must be a number'
            : `approval.timeoutMinutes must be a number (got ${shown(issue.input)})`,
      })
      .int({ error: (issue) => `approval.timeoutMinutes must be a whole number (got ${shown(issue.input)})` })
      .min(range.min, { error: outOfRange })
      .max(range.max, { error: outOfRange })
      .default(range.default),
    message: z
      .string({ error: (issue) => `approval.message must be a string (got ${shown(issue.input)})` })
      .max(APPROVAL_LIMITS.maxMessageLength, {
        error: `approval.message is longer than ${APPROVAL_LIMITS.maxMessageLength} characters`,
      })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unexpected field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `'${k}'`).join(', ')} in approval: it takes timeoutMinutes and message`
        : `must be an approval object, e.g. { "timeoutMinutes": 60, "message": "..." } (got ${shown(issue.input)})`,
  },
);

/** The gate as the workflow carries it in the wave's Map item: the Task's TimeoutSecondsPath reads `timeoutSeconds`. */
export interface WaveGate {
  timeoutSeconds: number;
  message?: string;
}

export const waveGateOf = (gate: ApprovalGate): WaveGate => ({
  timeoutSeconds: gate.timeoutMinutes * 60,
  ...(gate.message ? { message: gate.message } : {}),
});
