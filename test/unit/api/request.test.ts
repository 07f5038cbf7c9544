import {
  callerOf,
  listExecutionsQuery,
  listPlansQuery,
  readJsonBody,
  readQuery,
  readStartRequest,
} from '../../../functions/api/request';

const query = (params: Record<string, string> | null, multi?: Record<string, string[]>) => ({
  queryStringParameters: params,
  multiValueQueryStringParameters:
    multi ?? (params ? Object.fromEntries(Object.entries(params).map(([k, v]) => [k, [v]])) : null),
});
const problemsOf = (act: () => unknown): string[] => {
  try {
    act();
  } catch (error) {
    return (error as { problems: string[] }).problems;
  }
  throw new Error('expected a 400');
};

describe('readJsonBody', () => {
  it('returns the parsed body', () => {
    expect(readJsonBody({ body: '{"a":1}', isBase64Encoded: false }, 'x')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('returns the parsed body of a base64-encoded body', () => {
    const body = Buffer.from('{"a":1}').toString('base64');
    expect(readJsonBody({ body, isBase64Encoded: true }, 'x')).toEqual({ ok: true, value: { a: 1 } });
  });

  it.each([null, '', '  '])('fails saying the body is empty when it is %p', (body) => {
    expect(readJsonBody({ body, isBase64Encoded: false }, 'a plan')).toEqual({
      ok: false,
      problem: 'the request body is empty: send a plan as JSON',
    });
  });

  it('fails saying the body is not JSON, with the parser message', () => {
    expect(readJsonBody({ body: "{'a': 1}", isBase64Encoded: false }, 'a plan')).toEqual({
      ok: false,
      problem: expect.stringMatching(/^the request body is not JSON \(.*JSON.*\): send a plan as JSON$/),
    });
  });
});

describe('readQuery', () => {
  it('returns the default limit when there is no query string', () => {
    expect(readQuery(query(null), listPlansQuery)).toEqual({ limit: 25 });
  });

  it('returns the parameters with limit as a number', () => {
    expect(
      readQuery(query({ planId: 'erp.v2', status: 'CANCELLED', limit: '100', nextToken: 'abc' }), listExecutionsQuery),
    ).toEqual({ planId: 'erp.v2', status: 'CANCELLED', limit: 100, nextToken: 'abc' });
    expect(readQuery(query({ limit: '1' }), listPlansQuery)).toEqual({ limit: 1 });
  });

  it('fails naming every unknown, repeated and bad parameter', () => {
    expect(
      problemsOf(() =>
        readQuery(
          query({ status: 'done', limit: '1e2', nextToken: '', page: '2' }, { status: ['done', 'done'] }),
          listExecutionsQuery,
        ),
      ),
    ).toEqual([
      'status: is given 2 times: give it once',
      'status: must be one of PENDING, POLLING, COMPLETED, FAILED, TIMED_OUT, CANCELLED (got "done")',
      'limit: must be a whole number from 1 to 100 (got "1e2")',
      'nextToken: must not be empty: leave it out to start from the first page',
      "unknown query parameter 'page': this route accepts planId, status, limit, nextToken",
    ]);
  });
});

describe('readStartRequest', () => {
  const event = (body: unknown, headers: Record<string, string> = {}) => ({
    body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
    headers,
  });

  it('returns a DRILL for no body, an empty body or {}', () => {
    for (const body of [undefined, '', '  ', {}]) {
      expect(readStartRequest(event(body), 'DRILL')).toEqual({ executionType: 'DRILL' });
    }
  });

  it('returns a confirmed RECOVERY with its Idempotency-Key, whatever the header case', () => {
    expect(readStartRequest(event({ confirm: true }, { 'IDEMPOTENCY-KEY': 'run 7 ~ ok' }), 'RECOVERY')).toEqual({
      executionType: 'RECOVERY',
      idempotencyKey: 'run 7 ~ ok',
    });
  });

  it.each([
    ['no body', undefined],
    ['{}', {}],
    ['confirm false', { confirm: false }],
  ])('fails when a RECOVERY is not confirmed with true (%s)', (_, body) => {
    expect(problemsOf(() => readStartRequest(event(body), 'RECOVERY'))).toEqual([
      'confirm: a RECOVERY launches the production workloads in the recovery Region (not a drill): send "confirm": true to start it',
    ]);
  });

  it('fails when a drill body names a type, saying the route is the type', () => {
    expect(problemsOf(() => readStartRequest(event({ executionType: 'RECOVERY', confirm: true }), 'DRILL'))).toEqual([
      "unexpected fields 'executionType', 'confirm': POST /plans/{planId}/drills takes no body (the route says DRILL; a RECOVERY is POST /plans/{planId}/recoveries)",
    ]);
  });

  it('fails when a recovery body has more than the confirmation, or is not an object', () => {
    expect(
      problemsOf(() => readStartRequest(event({ executionType: 'RECOVERY', confirm: 'yes' }), 'RECOVERY')),
    ).toEqual([
      'confirm: must be true (got "yes")',
      "unexpected field 'executionType': the body has only confirm (the route says RECOVERY)",
    ]);
    expect(problemsOf(() => readStartRequest(event(['RECOVERY']), 'RECOVERY'))).toEqual([
      'the body must be the JSON object { "confirm": true } (got ["RECOVERY"])',
    ]);
  });

  it('names at most ten unexpected fields, and how many more', () => {
    const body = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`f${i}`, i]));
    const [problem] = problemsOf(() => readStartRequest(event(body), 'DRILL'));
    expect(problem).toMatch(/^unexpected fields 'f0', 'f1', .*'f9' and 15 more: /);
  });

  it('fails naming a non-JSON body and a bad Idempotency-Key together', () => {
    expect(
      problemsOf(() => readStartRequest(event('RECOVERY', { 'Idempotency-Key': 'tab\there' }), 'RECOVERY')),
    ).toEqual([
      expect.stringMatching(/^the request body is not JSON/),
      'Idempotency-Key: must be 1 to 64 printable ASCII characters (got 8 characters: "tab\\there")',
    ]);
  });
});

describe('callerOf', () => {
  const withIdentity = (identity: Record<string, string | null> | undefined) =>
    ({ requestContext: { identity } }) as never;

  it('returns the IAM principal API Gateway verified: the user ARN, else the caller', () => {
    expect(callerOf(withIdentity({ userArn: 'arn:aws:iam::111122223333:user/alice', caller: 'AIDA1' }))).toBe(
      'arn:aws:iam::111122223333:user/alice',
    );
    expect(callerOf(withIdentity({ userArn: null, caller: 'AROA1:session' }))).toBe('AROA1:session');
  });

  it('returns undefined when API Gateway passed no identity', () => {
    expect(callerOf(withIdentity(undefined))).toBeUndefined();
    expect(callerOf(withIdentity({ userArn: null, caller: null }))).toBeUndefined();
  });
});
