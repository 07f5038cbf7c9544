import { LOCAL_CALLER_ARN, proxyEventOf } from '../../../../local/console/api-adapter';

const request = (method: string, path: string, query = '', body = '') => ({
  method,
  path,
  query: new URLSearchParams(query),
  headers: { 'content-type': 'application/json' },
  body,
});

describe('proxyEventOf (the local console: Node http to an API Gateway proxy event)', () => {
  it('matches the route as the stage does: its resource and path parameters', () => {
    const event = proxyEventOf(request('POST', '/plans/three-tier/drills'));

    expect(event.httpMethod).toBe('POST');
    expect(event.resource).toBe('/plans/{planId}/drills');
    expect(event.pathParameters).toEqual({ planId: 'three-tier' });
    expect(event.body).toBeNull();
    expect(event.requestContext.identity.userArn).toBe(LOCAL_CALLER_ARN);
  });

  it('prefers no route over a wrong one: an unknown path keeps itself as the resource, for the API to answer 404', () => {
    const event = proxyEventOf(request('GET', '/plans/a/b/c'));

    expect(event.resource).toBe('/plans/a/b/c');
    expect(event.pathParameters).toBeNull();
  });

  it('passes the query string in both of API Gateway forms, a repeated parameter with every value', () => {
    const event = proxyEventOf(request('GET', '/executions', 'status=FAILED&limit=5&limit=6'));

    expect(event.queryStringParameters).toEqual({ status: 'FAILED', limit: '6' });
    expect(event.multiValueQueryStringParameters).toEqual({ status: ['FAILED'], limit: ['5', '6'] });
  });

  it('decodes path parameters and keeps the body as sent', () => {
    const event = proxyEventOf(request('PUT', '/plans/a%2Eb', '', '{"planId":"a.b"}'));

    expect(event.pathParameters).toEqual({ planId: 'a.b' });
    expect(event.body).toBe('{"planId":"a.b"}');
    expect(event.queryStringParameters).toBeNull();
  });
});
