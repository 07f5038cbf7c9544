import type { z } from 'zod';

/**
 * How a zod failure reads to a person: one line per problem, `<where>: <what>`, where `where` is
 * the path as JSON writes it (`waves[0].sourceServerIDs[2]`). The plan rules, the API's query and
 * body readers and the DRS simulator all name problems this way, so a message reads the same
 * whichever door it came in by. The schemas carry the wording (zod `error` options); this only
 * places it.
 */

/** `waves[0].name`: indices in brackets, keys joined by dots; '' for the root. */
export function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out;
}

/** A received value as a message shows it: JSON, cut to `max` characters so one bad field cannot flood the message. */
export function shown(value: unknown, max = 60): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Each issue with its path written out, for a caller that reports problems as fields (the DRS simulator's ValidationException). */
export function placedIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message }));
}

/** One line per issue: `<path>: <message>`, or the message alone for the value as a whole. */
export function problemsOf(error: z.ZodError): string[] {
  return placedIssues(error).map(({ path, message }) => (path ? `${path}: ${message}` : message));
}
