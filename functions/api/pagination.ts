import { z } from 'zod';
import { badRequest } from './http';

/**
 * Page tokens: a DynamoDB cursor (LastEvaluatedKey) and the query it belongs to, as base64url
 * JSON. Opaque to callers, not secret: it holds only key attributes of an item the caller was
 * already shown. Binding it to its query means a token passed with other filters is refused
 * rather than silently starting a different listing part-way.
 */
export const PAGE_LIMIT = { min: 1, max: 100, default: 25 } as const;

const MAX_TOKEN_LENGTH = 2048;
const NOT_OURS =
  'nextToken: is not a token this API returned: pass the nextToken of the previous page unchanged, or leave it out to start from the first page';
const tokenSchema = z.strictObject({
  q: z.string(),
  k: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .refine((cursor) => Object.keys(cursor).length > 0 && Object.keys(cursor).length <= 8),
});

export function encodePageToken(query: string, cursor: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ q: query, k: cursor })).toString('base64url');
}

export type DecodedPageToken = { ok: true; cursor: Record<string, unknown> } | { ok: false; problem: string };

/** Reads a token back; `problem` says why it cannot be used (tampered, truncated, or from another query). */
export function decodePageToken(query: string, token: string): DecodedPageToken {
  const notOurs = { ok: false, problem: NOT_OURS } as const;
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) return notOurs;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return notOurs;
  }
  const result = tokenSchema.safeParse(parsed);
  if (!result.success) return notOurs;
  if (result.data.q !== query) {
    return {
      ok: false,
      problem:
        'nextToken: belongs to a listing with other filters: pass the same filters as the request that returned it',
    };
  }
  return { ok: true, cursor: result.data.k };
}

/**
 * For a listing's `.catch`: DynamoDB refuses a start key that is not one of its own
 * (ValidationException), which here can only come from an edited token. That is the caller's 400.
 */
export function rejectedCursor(token: DecodedPageToken | undefined) {
  return (error: unknown): never => {
    if (token?.ok && error instanceof Error && error.name === 'ValidationException') {
      throw badRequest([NOT_OURS]);
    }
    throw error;
  };
}
