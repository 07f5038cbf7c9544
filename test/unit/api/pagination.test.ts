import { decodePageToken, encodePageToken, rejectedCursor } from '../../../functions/api/pagination';
import { executionKey, indexKeys } from '../../../functions/shared/records/keys';

// A LastEvaluatedKey as the byStartTime listing returns it: the item's key and the index's key.
const { gsi2pk, gsi2sk } = indexKeys({ executionId: 'x', planId: 'p', startedAt: '2026-01-01T00:00:00.000Z' });
const cursor = { ...executionKey('x'), gsi2pk, gsi2sk };
const NOT_OURS = /^nextToken: is not a token this API returned/;
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('encodePageToken / decodePageToken', () => {
  it('returns the cursor it encoded, from a base64url token', () => {
    const token = encodePageToken('q1', cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken('q1', token)).toEqual({ ok: true, cursor });
  });

  it('fails when the token belongs to another query', () => {
    expect(decodePageToken('q2', encodePageToken('q1', cursor))).toEqual({
      ok: false,
      problem:
        'nextToken: belongs to a listing with other filters: pass the same filters as the request that returned it',
    });
  });

  it.each([
    ['characters outside base64url', 'abc+/='],
    ['a truncated token', encodePageToken('q1', cursor).slice(0, 20)],
    ['JSON of another shape', b64url({ cursor })],
    ['an empty cursor', b64url({ q: 'q1', k: {} })],
    ['a cursor with an object value', b64url({ q: 'q1', k: { pk: { S: 'x' } } })],
    ['an extra field', b64url({ q: 'q1', k: cursor, admin: true })],
    ['a token far too long', 'a'.repeat(3000)],
  ])('fails when the token has %s', (_what, token) => {
    expect(decodePageToken('q1', token)).toEqual({ ok: false, problem: expect.stringMatching(NOT_OURS) });
  });
});

describe('rejectedCursor', () => {
  const validation = Object.assign(new Error('The provided starting key is invalid'), { name: 'ValidationException' });
  const token = decodePageToken('q1', encodePageToken('q1', cursor));

  it("fails with a 400 naming nextToken when DynamoDB refuses the token's cursor", () => {
    expect(() => rejectedCursor(token)(validation)).toThrow(
      expect.objectContaining({ statusCode: 400, problems: [expect.stringMatching(NOT_OURS)] }),
    );
  });

  it('fails with the error itself when no token was given, or the error is another', () => {
    expect(() => rejectedCursor(undefined)(validation)).toThrow(validation);
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    expect(() => rejectedCursor(token)(throttled)).toThrow(throttled);
  });
});
