import { InvalidExecutionType } from './errors';
import { EXECUTION_TYPES, type ExecutionType } from './types';

/**
 * Fail closed on the execution type: every task that acts on it (start-wave's `isDrill`,
 * classify-wave's post-launch action rule) takes it through here first, before any DRS call. A
 * value other than DRILL or RECOVERY (a lower-case `drill`, a typo, a missing field) must never
 * fall through to a branch, least of all to "not a drill", which launches production recovery
 * instances.
 */
export function checkedExecutionType(value: unknown, what: string): ExecutionType {
  if ((EXECUTION_TYPES as readonly unknown[]).includes(value)) return value as ExecutionType;
  throw new InvalidExecutionType(
    `${what}: the execution type is ${value === undefined ? 'missing' : JSON.stringify(value)}, not ${EXECUTION_TYPES.join(' or ')}: refused before any DRS call`,
  );
}
