import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createApi } from '../../../functions/api/api';
import { API_ROUTES } from '../../../functions/api/routes';
import { ExecutionStore } from '../../../functions/shared/execution-store';
import { logger } from '../../../functions/shared/observability';
import { PlanStore } from '../../../functions/shared/plan-store';
import { parsed, REGION, request, STATE_MACHINE_ARN, startApiHarness } from './harness';

describe('createApi', () => {
  let harness: Awaited<ReturnType<typeof startApiHarness>>;
  let env: Awaited<ReturnType<typeof harness.fresh>>;

  beforeAll(async () => {
    harness = await startApiHarness();
    env = await harness.fresh();
  });
  afterAll(async () => harness.stop());
  afterEach(() => jest.restoreAllMocks());

  it('returns 404 for a route it does not know, or a method the route does not have', async () => {
    await expect(env.api(request('GET', '/nowhere')).then(parsed)).resolves.toEqual({
      statusCode: 404,
      body: { message: 'there is no route GET /nowhere' },
    });
    await expect(
      env.api(request('PATCH', '/plans/{planId}', { pathParameters: { planId: 'p' } })).then(parsed),
    ).resolves.toEqual({ statusCode: 404, body: { message: 'there is no route PATCH /plans/p' } });
  });

  it.each(API_ROUTES.map((route) => [route.method, route.path] as const))(
    'routes %s %s to an operation, answering JSON',
    async (method, path) => {
      const response = await env.api(
        request(method, path, { pathParameters: { planId: 'nope', executionId: 'nope' }, body: {} }),
      );
      expect(response.headers).toEqual({ 'content-type': 'application/json' });
      expect(response.body).not.toContain('there is no route');
      expect(response.statusCode).toBeLessThan(500);
    },
  );

  it('returns 500 without the error and logs it when the records cannot be read', async () => {
    const error = jest.spyOn(logger, 'error');
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: REGION }));
    jest.spyOn(db, 'send').mockImplementation(async () => {
      throw Object.assign(new Error('Requested resource not found: Table: plans-x not found'), {
        name: 'ResourceNotFoundException',
      });
    });
    const api = createApi({
      executions: new ExecutionStore(db, 'executions-x'),
      plans: new PlanStore(db, 'plans-x'),
      sfn: new SFNClient({ region: REGION }),
      stateMachineArn: STATE_MACHINE_ARN,
      region: REGION,
      clock: { now: () => new Date() },
    });

    const response = await api(request('GET', '/plans/{planId}', { pathParameters: { planId: 'p' } }));

    expect(parsed(response)).toEqual({
      statusCode: 500,
      body: { message: 'Internal error (request req-1): it is logged; retry later, or report the request ID' },
    });
    expect(response.body).not.toMatch(/plans-x|ResourceNotFound|at /);
    expect(error).toHaveBeenCalledWith(
      { message: 'API request failed', method: 'GET', resource: '/plans/{planId}', requestId: 'req-1' },
      expect.objectContaining({ name: 'ResourceNotFoundException' }),
    );
  });

  it('fails at construction when the state machine ARN is not one', () => {
    expect(() => createApi({ ...depsOf(env), stateMachineArn: 'recovery-plan' })).toThrow(
      "'recovery-plan' is not a state machine ARN",
    );
  });
});

function depsOf(env: { executions: ExecutionStore; plans: PlanStore }) {
  return {
    executions: env.executions,
    plans: env.plans,
    sfn: new SFNClient({ region: REGION }),
    stateMachineArn: STATE_MACHINE_ARN,
    region: REGION,
    clock: { now: () => new Date() },
  };
}
