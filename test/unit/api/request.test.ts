import {
  listExecutionsQuery,
  listPlansQuery,
  readJsonBody,
  readQuery,
  readStartExecution,
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

describe('readStartExecution', () => {
  const event = (body: unknown, headers: Record<string, string> = {}) => ({
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
    headers,
  });

  it('returns a DRILL without an Idempotency-Key', () => {
    expect(readStartExecution(event({ executionType: 'DRILL' }))).toEqual({ executionType: 'DRILL' });
  });

  it('returns a confirmed RECOVERY with its Idempotency-Key, whatever the header case', () => {
    expect(
      readStartExecution(event({ executionType: 'RECOVERY', confirm: true }, { 'IDEMPOTENCY-KEY': 'run 7 ~ ok' })),
    ).toEqual({ executionType: 'RECOVERY', idempotencyKey: 'run 7 ~ ok' });
  });

  it('fails when a RECOVERY is not confirmed with true', () => {
    expect(problemsOf(() => readStartExecution(event({ executionType: 'RECOVERY', confirm: false })))).toEqual([
      expect.stringMatching(/^confirm: a RECOVERY launches the production workloads .*send "confirm": true/),
    ]);
  });

  it('fails when executionType is missing, or the body is not an object', () => {
    expect(problemsOf(() => readStartExecution(event({})))).toEqual([
      'executionType: is missing: it must be DRILL or RECOVERY',
    ]);
    expect(problemsOf(() => readStartExecution(event(['DRILL'])))).toEqual([
      'the body must be a JSON object { "executionType": "DRILL" | "RECOVERY", "confirm": true } (got ["DRILL"])',
    ]);
  });

  it('fails naming a non-JSON body and a bad Idempotency-Key together', () => {
    expect(problemsOf(() => readStartExecution(event('DRILL', { 'Idempotency-Key': 'tab\there' })))).toEqual([
      expect.stringMatching(/^the request body is not JSON/),
      'Idempotency-Key: must be 1 to 64 printable ASCII characters (got 8 characters: "tab\\there")',
    ]);
  });
});
