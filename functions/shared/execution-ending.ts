import { z } from 'zod';
import { readableCause } from './causes';

/**
 * How an execution ends, decided from its waves' verdicts (issue 12). The Map's iterations never
 * fail: an inline Map stops every other iteration on the first failed one, and a launching wave must
 * run to its own verdict. So each iteration ends with a verdict and the state after the Map decides
 * the ending here, with exactly the error names a failed iteration used to end the execution with.
 */

export const WAVE_VERDICT_STATUSES = ['COMPLETED', 'FAILED', 'TIMED_OUT', 'NOT_STARTED'] as const;

/**
 * One iteration's end. A failure carries its error name and cause either as `error`/`cause` (a
 * path of the workflow's own, e.g. "Wave failed") or as `failure`, the `{ Error, Cause }` a
 * Catch(States.ALL) put there (a task's error after its retries, a rejected gate).
 */
export const waveVerdictSchema = z.object({
  waveIndex: z.number().int().min(0),
  status: z.enum(WAVE_VERDICT_STATUSES),
  error: z.string().optional(),
  cause: z.string().optional(),
  failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});
export type WaveVerdict = z.infer<typeof waveVerdictSchema>;

export const waveVerdictsSchema = z.array(waveVerdictSchema).min(1);

export type ExecutionEnding =
  | { outcome: 'COMPLETED' }
  | { outcome: 'FAILED'; error: string; cause: string; waveIndex: number };

/**
 * COMPLETED only if every wave COMPLETED. Otherwise the first failure in plan order (not in the
 * order the verdicts came in: waves end in any order once they run in parallel) names the error and
 * the cause. NOT_STARTED is a consequence of a failure, never its cause; a wave not started with no
 * failure to explain it is reported rather than ignored.
 */
export function executionEnding(verdicts: readonly WaveVerdict[]): ExecutionEnding {
  const inPlanOrder = [...verdicts].sort((a, b) => a.waveIndex - b.waveIndex);
  const failed = inPlanOrder.find((v) => v.status !== 'COMPLETED' && v.status !== 'NOT_STARTED');
  if (failed) {
    const error = failed.error ?? failed.failure?.Error ?? 'States.Unknown';
    const cause = readableCause(failed.cause ?? failed.failure?.Cause);
    return { outcome: 'FAILED', error, cause, waveIndex: failed.waveIndex };
  }
  const notStarted = inPlanOrder.filter((v) => v.status === 'NOT_STARTED');
  if (notStarted.length > 0) {
    return {
      outcome: 'FAILED',
      error: 'UnexpectedVerdict',
      cause: `wave(s) ${notStarted.map((v) => v.waveIndex + 1).join(', ')} were not started, yet no wave failed`,
      waveIndex: notStarted[0]?.waveIndex as number,
    };
  }
  return { outcome: 'COMPLETED' };
}
