/**
 * How a scenario's problems read: each names its path, the value received and what was expected,
 * so a typo in a failure drill is caught with a message a person can act on (the scenario's
 * schema is in `scenario.ts`).
 */
import type { z } from 'zod';
import { SOURCE_SERVER_ID } from '../../functions/shared/ids';
import { pathOf, shown } from '../../functions/shared/zod-problems';

// A scenario message may quote a whole launch or fault entry: show more of it than a plan message does.
const show = (value: unknown) => shown(value, 80);

export type Path = readonly PropertyKey[];

/** Checks zod cannot make without hiding other problems: launch keys, duplicate and unknown servers. */
export function crossCheck(input: unknown): string[] {
  if (!isPlainObject(input)) {
    return [];
  }
  const problems: string[] = [];
  let inventory: Set<string> | undefined;
  if (Array.isArray(input.sourceServers)) {
    inventory = new Set();
    const firstIndex = new Map<string, number>();
    input.sourceServers.forEach((server: unknown, index: number) => {
      if (!isPlainObject(server) || typeof server.sourceServerID !== 'string') {
        return;
      }
      const id = server.sourceServerID;
      inventory?.add(id);
      const first = firstIndex.get(id);
      if (first === undefined) {
        firstIndex.set(id, index);
      } else {
        problems.push(
          `sourceServers[${index}]: sourceServerID ${show(id)} is listed twice (first at sourceServers[${first}]); expected each server once`,
        );
      }
    });
  }
  for (const field of ['launches', 'terminations'] as const) {
    const byServer = input[field];
    if (!isPlainObject(byServer)) continue;
    for (const key of Object.keys(byServer)) {
      if (!SOURCE_SERVER_ID.test(key)) {
        problems.push(
          `${field}: key ${show(key)} is not a source server ID (expected one matching ${SOURCE_SERVER_ID.source})`,
        );
      } else if (inventory !== undefined && !inventory.has(key)) {
        problems.push(
          `${field}: key ${show(key)} is not in sourceServers (a server that does not exist in DRS ${field === 'launches' ? 'cannot launch' : 'has no recovery instance'}; expected one of the sourceServers IDs)`,
        );
      }
    }
  }
  if (Array.isArray(input.existingRecoveryInstances) && inventory !== undefined) {
    input.existingRecoveryInstances.forEach((instance: unknown, index: number) => {
      const id = isPlainObject(instance) ? instance.sourceServerID : undefined;
      if (typeof id === 'string' && !inventory?.has(id)) {
        problems.push(
          `existingRecoveryInstances[${index}].sourceServerID: ${show(id)} is not in sourceServers (an instance is of a server DRS knows)`,
        );
      }
    });
  }
  return problems;
}

export function describeIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  allowedKeysAt: (path: Path) => string[],
): string {
  const path: Path = issue.path;
  const where = path.length > 1 ? pathOf(path.slice(0, -1)) : 'scenario';
  const field = path.length > 0 ? String(path[path.length - 1]) : undefined;
  const subject = field === undefined ? '' : `${field} `;
  const value = valueAt(input, path);
  const received = value.present ? show(value.value) : undefined;

  if (issue.code === 'unrecognized_keys') {
    const objectPath = path.length > 0 ? pathOf(path) : 'scenario';
    const allowed = allowedKeysAt(path);
    const keys = issue.keys.map(show).join(', ');
    return `${objectPath}: unknown field${issue.keys.length === 1 ? '' : 's'} ${keys} (expected only ${allowed.join(', ')})`;
  }
  if (received === undefined) {
    return `${where}: ${subject}is missing (${expectation(issue)})`;
  }
  return `${where}: ${subject}${received} ${failure(issue)}`;
}

/** What the value should have been, as a phrase after "expected". */
function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${withArticle(issue.expected)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join(', ')}`;
    default:
      return `expected a value: ${issue.message}`;
  }
}

/** Why the received value is wrong, as a phrase after the value. */
function failure(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `is not ${withArticle(issue.expected)}`;
    case 'invalid_value':
      return `is not one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue && typeof issue.pattern === 'string'
        ? `does not match ${issue.pattern.replace(/^\/(.*)\/[a-z]*$/, '$1')}`
        : `is not a valid ${issue.format}`;
    case 'too_small':
      if (issue.origin === 'number') {
        return issue.inclusive
          ? `is less than ${issue.minimum} (expected a number ≥ ${issue.minimum})`
          : `is not greater than ${issue.minimum} (expected a number > ${issue.minimum})`;
      }
      return `is too short (expected at least ${issue.minimum} ${issue.origin === 'string' ? 'character' : 'item'}${Number(issue.minimum) === 1 ? '' : 's'})`;
    case 'too_big':
      return `is too big (expected at most ${issue.maximum})`;
    default:
      return `is not valid (${issue.message})`;
  }
}

function withArticle(expected: string): string {
  if (expected === 'record') {
    return 'an object (a map keyed by source server ID)';
  }
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function valueAt(input: unknown, path: Path): { present: boolean; value?: unknown } {
  let current: unknown = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') {
      return { present: false };
    }
    const key = typeof segment === 'symbol' ? segment : String(segment);
    if (!Object.hasOwn(current, key)) {
      return { present: false };
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current === undefined ? { present: false } : { present: true, value: current };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
