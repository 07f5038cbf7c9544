import { z } from 'zod';
import { shown } from '../shared/zod-problems';

/**
 * What the invoke of an operator's action function gave the workflow: its answer (the function's
 * return value, the `Payload` of Step Functions' `lambda:invoke` result), or the error the invoke
 * state caught (`{ Error, Cause }`: the function threw, it timed out, Lambda refused the call).
 */
export type InvokeResult = { answer?: unknown } | { Error: string; Cause?: string };

/** The answer an action function owes: `{ "ok": true|false, "message": "..." }`. */
const answerSchema = z.object({ ok: z.boolean(), message: z.string() });

/** Messages are kept for the records, the console and the CLI's lines: long enough to act on, short enough to show. */
export const MAX_ACTION_MESSAGE = 1000;

/**
 * The action's outcome. SUCCEEDED only for an answer `{ ok: true, message }`: `ok: false`, a thrown
 * error, a timeout and a malformed answer (no `ok`, a string, nothing at all) are failures, in
 * words that say which.
 */
export function outcomeOf(
  result: InvokeResult,
  timeoutSeconds: number,
): { status: 'SUCCEEDED' | 'FAILED'; message: string } {
  if ('Error' in result) return { status: 'FAILED', message: cut(errorMessage(result, timeoutSeconds)) };
  const answer = answerSchema.safeParse(result.answer);
  if (!answer.success) {
    return {
      status: 'FAILED',
      message: cut(
        `the function answered ${shown(result.answer, 200)}, not { "ok": true|false, "message": "..." }: a malformed answer is a failure`,
      ),
    };
  }
  return {
    status: answer.data.ok ? 'SUCCEEDED' : 'FAILED',
    message: cut(answer.data.message || (answer.data.ok ? 'ok' : 'failed')),
  };
}

function errorMessage(result: { Error: string; Cause?: string }, timeoutSeconds: number): string {
  if (result.Error === 'States.Timeout') return `no answer within its timeout of ${timeoutSeconds} s (States.Timeout)`;
  // A function error's Cause is the Lambda error JSON: { errorType, errorMessage, trace }.
  const thrown = parseCause(result.Cause);
  if (thrown) return `the function threw ${thrown.errorType ?? result.Error}: ${thrown.errorMessage}`;
  return `the invoke failed with ${result.Error}${result.Cause ? `: ${result.Cause}` : ''}`;
}

function parseCause(cause: string | undefined): { errorType?: string; errorMessage: string } | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof parsed?.errorMessage !== 'string') return undefined;
    return {
      errorMessage: parsed.errorMessage,
      ...(typeof parsed.errorType === 'string' ? { errorType: parsed.errorType } : {}),
    };
  } catch {
    return undefined;
  }
}

const cut = (text: string) => (text.length > MAX_ACTION_MESSAGE ? `${text.slice(0, MAX_ACTION_MESSAGE - 3)}...` : text);
