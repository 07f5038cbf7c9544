import {
  badRequest,
  errorResponse,
  header,
  json,
  MAX_LISTED_PROBLEMS,
  MAX_PROBLEM_LENGTH,
  pathParameter,
} from '../../../functions/api/http';

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

describe('bounded error answers', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => `waves[${i}].name: wrong`);

  it('lists the first 50 problems and says how many more there are', () => {
    const response = errorResponse(badRequest(many(300_000), 'The plan'));
    const body = JSON.parse(response.body) as { message: string; problems: string[]; moreProblems: number };

    expect(body.problems).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(body.problems[49]).toBe('waves[49].name: wrong');
    expect(body.moreProblems).toBe(299_950);
    expect(body.message).toMatch(
      /^The plan is not valid \(300000 problems, the first 50 listed\): waves\[0\]\.name: wrong;/,
    );
    expect(body.message).toMatch(
      /waves\[49\]\.name: wrong; and 299950 more: fix these and send it again to see the rest$/,
    );
  });

  it('cuts a single very long problem', () => {
    const response = errorResponse(badRequest([`unexpected fields ${'x'.repeat(3_000_000)}`]));
    const body = JSON.parse(response.body) as { problems: string[] };
    expect(body.problems[0]).toHaveLength(MAX_PROBLEM_LENGTH);
    expect(body.problems[0]?.endsWith('...')).toBe(true);
    expect(response.body.length).toBeLessThan(2 * MAX_PROBLEM_LENGTH + 200);
  });

  it('keeps a short list whole, without moreProblems', () => {
    expect(JSON.parse(errorResponse(badRequest(many(50))).body)).not.toHaveProperty('moreProblems');
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
