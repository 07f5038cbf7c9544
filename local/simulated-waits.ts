import type { AslState } from '../statemachine/definition';

// How long the local engine moves the simulated clock for a Wait state or a Retry, so that
// simulated time passes as it would on AWS while the real pause is (almost) zero.

/** The fields of an ASL Retry rule that set its wait. */
export interface RetryRule {
  IntervalSeconds?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: string;
}

/**
 * The simulated time a retry waits: the rule's backoff for this attempt, capped at MaxDelaySeconds
 * (ASL defaults: 1 s, ×2), and with full jitter the mean of its random wait, half of that. The real
 * pause is 0 (`retryIntervalOverrides`); this moves the simulated clock instead, so DRS moves on
 * between attempts as it would (a new job becomes listed, a throttle passes).
 */
export function retryWaitSeconds(rule: RetryRule, attempt: number): number {
  const backoff = (rule.IntervalSeconds ?? 1) * (rule.BackoffRate ?? 2) ** Math.max(0, attempt - 1);
  const capped = Math.min(backoff, rule.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
  return rule.JitterStrategy === 'FULL' ? capped / 2 : capped;
}

/**
 * A Wait state's duration for this input: Seconds, a simple `$.a.b` SecondsPath, or a TimestampPath
 * (until then from now; a time already past waits 0 s, as Step Functions does).
 */
export function waitSeconds(state: AslState, input: unknown, now: Date): number {
  if (typeof state.Seconds === 'number') return state.Seconds;
  const at = (path: string): unknown => {
    let value: unknown = input;
    for (const key of path.slice(2).split('.')) value = (value as Record<string, unknown> | undefined)?.[key];
    return value;
  };
  if (state.SecondsPath?.startsWith('$.')) {
    const value = at(state.SecondsPath);
    if (typeof value === 'number') return value;
  }
  if (state.TimestampPath?.startsWith('$.')) {
    const value = at(state.TimestampPath);
    const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isFinite(ms)) return Math.max(0, (ms - now.getTime()) / 1000);
  }
  throw new Error(`cannot simulate Wait with ${JSON.stringify(state)} on input ${JSON.stringify(input)}`);
}
