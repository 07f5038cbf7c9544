import { minutesText, missedTargets } from '../functions/shared/targets';
import type { ExecutionResult } from '../functions/shared/types';

/**
 * The recovery targets in the CLI's summary: the RTO line, the RPO target after the RPO line, and
 * each missed target under them. A miss is never hidden: it carries the word MISSED, and on a
 * terminal it is red as well. It does not change the exit code (a missed target is not a failed
 * execution).
 */
type Targets = Pick<ExecutionResult, 'rto' | 'rpo' | 'waves'>;

const paint = (colour: boolean) => (text: string) => (colour ? `\x1b[31;1m${text}\x1b[0m` : text);
const word = (met: boolean | null | undefined, colour: boolean) =>
  met === false ? paint(colour)('MISSED') : met ? 'met' : 'not decided';

/** `RTO:    14m 00s against a target of 30 min: MISSED`. */
export function rtoLine(result: Targets, colour = false): string {
  const { rto } = result;
  if (rto.targetMinutes === null) return `RTO:    ${minutesText(rto.actualSeconds)} (no target: rtoMinutes)`;
  return `RTO:    ${minutesText(rto.actualSeconds)} against a target of ${rto.targetMinutes} min: ${word(rto.met, colour)}`;
}

/** ` · target 5 min: MISSED`, after the RPO line, when the plan sets rpoMinutes. */
export function rpoTargetSuffix(result: Targets, colour = false): string {
  const target = result.rpo.targetMinutes;
  return target === undefined || target === null ? '' : ` · target ${target} min: ${word(result.rpo.met, colour)}`;
}

/** Every missed target, one line each under a heading (none: no lines). */
export function missedTargetLines(result: Targets, colour = false): string[] {
  const missed = missedTargets(result);
  if (missed.length === 0) return [];
  const red = paint(colour);
  return [red(`Targets MISSED (${missed.length}):`), ...missed.map((line) => red(`  ! ${line}`))];
}
