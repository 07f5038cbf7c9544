import { LOCAL_CALLER_ARN, proxyEventOf } from '../../../../local/console/api-adapter';
import { startConsoleServer } from '../../../../local/console/console-server';
import { DEFAULT_SCENARIO } from '../../../../local/console/scenarios';
import { defaultScenario, parseScenario } from '../../../../local/drs-simulator';

const SERVER = 's-0db00000000000001';

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

describe('the local console server: a plan check through the adapter', () => {
  it('routes POST /plans/{planId}/check to the check, which asks a simulator of the scenario the request names', async () => {
    expect(proxyEventOf(request('POST', '/plans/three-tier/check', '', '{}')).resource).toBe('/plans/{planId}/check');
    const server = await startConsoleServer({
      speed: 60,
      scenarios: new Map([
        [DEFAULT_SCENARIO, defaultScenario()],
        ['stalled', parseScenario({ sourceServers: [{ sourceServerID: SERVER, replicationState: 'STALLED' }] })],
      ]),
    });
    const call = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(new URL(`api${path}`, server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: await response.json() }));
    try {
      const plan = { planId: 'one', waves: [{ name: 'Only', sourceServerIDs: [SERVER] }] };
      await expect(call('/plans', plan)).resolves.toMatchObject({ status: 201 });

      await expect(call('/plans/one/check', {})).resolves.toMatchObject({
        status: 200,
        body: { planId: 'one', ready: true, problems: [] },
      });
      await expect(call('/plans/one/check', {}, { 'x-local-scenario': 'stalled' })).resolves.toMatchObject({
        status: 200,
        body: {
          ready: false,
          error: 'PlanNotReady',
          problems: [`wave 1 'Only': ${SERVER} replication is STALLED, not CONTINUOUS: wait until it is healthy`],
        },
      });
      await expect(call('/plans/nope/check', {})).resolves.toMatchObject({ status: 404 });
    } finally {
      await server.close();
    }
  });
});
