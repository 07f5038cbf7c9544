import { badRequest, errorResponse, header, json, pathParameter } from '../../../functions/api/http';

describe('json', () => {
  it('returns a JSON response with its content type', () => {
    expect(json(200, { a: 1 })).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
  });

  it('returns an empty body, still typed JSON, when there is nothing to say', () => {
    expect(json(204)).toEqual({ statusCode: 204, headers: { 'content-type': 'application/json' }, body: '' });
  });
});

describe('badRequest / errorResponse', () => {
  it('returns 400 with a message counting the problems and the problems listed', () => {
    expect(errorResponse(badRequest(['a is wrong', 'b is wrong']))).toEqual(
      json(400, {
        message: 'The request is not valid (2 problems): a is wrong; b is wrong',
        problems: ['a is wrong', 'b is wrong'],
      }),
    );
    expect(JSON.parse(errorResponse(badRequest(['a is wrong'], 'The plan')).body).message).toBe(
      'The plan is not valid (1 problem): a is wrong',
    );
  });
});

describe('header', () => {
  it('returns a header whatever its case', () => {
    expect(header({ headers: { 'idempotency-KEY': 'k' } }, 'Idempotency-Key')).toBe('k');
  });

  it('returns undefined when the header or the headers are absent', () => {
    expect(header({ headers: { other: 'x' } }, 'Idempotency-Key')).toBeUndefined();
    expect(header({ headers: null as never }, 'Idempotency-Key')).toBeUndefined();
  });
});

describe('pathParameter', () => {
  it('returns the parameter', () => {
    expect(pathParameter({ pathParameters: { planId: 'p' } }, 'planId')).toBe('p');
  });

  it('fails with 404 when the route gave no such parameter', () => {
    expect(() => pathParameter({ pathParameters: null }, 'planId')).toThrow(
      expect.objectContaining({ statusCode: 404 }),
    );
  });
});
