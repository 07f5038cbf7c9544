/**
 * Pagination as DRS does it: `maxResults` items per page (50 by default) and an opaque
 * `nextToken`. The token names the listing and the key of the next page's first item, so a token
 * from another listing (or a made-up one) is refused as DRS refuses it.
 */
import { DrsApiError } from './errors';

const DEFAULT_PAGE_SIZE = 50;

/** Keys items by position: for listings that only grow at the end. */
export const byIndex = (_item: unknown, index: number): string => String(index);

/** One page of `items`, starting at the item the token names. */
export function paginate<T>(
  listing: string,
  items: T[],
  input: { maxResults?: number; nextToken?: string },
  keyOf: (item: T, index: number) => string,
): { items: T[]; nextToken?: string } {
  let start = 0;
  if (input.nextToken !== undefined) {
    const key = decodeToken(listing, input.nextToken);
    start = items.findIndex((item, index) => keyOf(item, index) === key);
    if (start < 0) {
      throw DrsApiError.validation('The nextToken is not valid for this request', 'fieldValidationFailed', [
        { name: 'nextToken', message: 'unknown or expired token' },
      ]);
    }
  }
  const end = start + (input.maxResults ?? DEFAULT_PAGE_SIZE);
  const page = items.slice(start, end);
  const next = items[end];
  return next === undefined ? { items: page } : { items: page, nextToken: encodeToken(listing, keyOf(next, end)) };
}

function encodeToken(listing: string, key: string): string {
  return Buffer.from(JSON.stringify({ listing, key }), 'utf8').toString('base64url');
}

function decodeToken(listing: string, token: string): string | undefined {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      decoded !== null &&
      typeof decoded === 'object' &&
      'listing' in decoded &&
      'key' in decoded &&
      decoded.listing === listing &&
      typeof decoded.key === 'string'
    ) {
      return decoded.key;
    }
  } catch {
    // not one of ours: refused by the caller
  }
  return undefined;
}
