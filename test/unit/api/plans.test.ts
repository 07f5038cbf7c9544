import { serverId } from '../../support/store';
import { parsed, request, startApiHarness } from './harness';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-02T00:00:00.000Z';

const planBody = (over: Record<string, unknown> = {}) => ({
  planId: 'three-tier',
  name: 'Three tier',
  description: 'The order system',
  waves: [
    { name: 'Databases', sourceServerIDs: [serverId(1)] },
    { name: 'App', sourceServerIDs: [serverId(2)], timeoutMinutes: 90 },
  ],
  ...over,
});

const storedPlan = {
  planId: 'three-tier',
  name: 'Three tier',
  description: 'The order system',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: [serverId(1)], timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: [serverId(2)], timeoutMinutes: 90 },
  ],
  createdAt: T0,
  updatedAt: T0,
};

describe('plan routes (on dynalite)', () => {
  let harness: Awaited<ReturnType<typeof startApiHarness>>;
  let env: Awaited<ReturnType<typeof harness.fresh>>;

  beforeAll(async () => {
    harness = await startApiHarness();
  });
  afterAll(async () => harness.stop());
  beforeEach(async () => {
    env = await harness.fresh();
  });

  const call = async (...args: Parameters<typeof request>) => parsed(await env.api(request(...args)));
  const createPlan = (body: unknown) => call('POST', '/plans', { body });

  describe('POST /plans', () => {
    it('returns 201 with the stored plan, its defaults filled in, and stores it', async () => {
      const created = await createPlan(planBody());

      expect(created).toEqual({ statusCode: 201, body: storedPlan });
      await expect(env.plans.get('three-tier')).resolves.toEqual(storedPlan);
    });

    it('names the plan after its planId when it has no name', async () => {
      const created = await createPlan(planBody({ name: undefined }));
      expect(created.body).toMatchObject({ planId: 'three-tier', name: 'three-tier' });
    });

    it('fails with 409 when the planId exists, and keeps the first plan', async () => {
      await createPlan(planBody());
      env.clock.time = new Date(T1);

      const again = await createPlan(planBody({ name: 'Another' }));

      expect(again.statusCode).toBe(409);
      expect(again.body.message).toBe(
        "a plan with planId 'three-tier' already exists: change it with PUT /plans/three-tier",
      );
      await expect(env.plans.get('three-tier')).resolves.toMatchObject({ name: 'Three tier', updatedAt: T0 });
    });

    it('fails with 400 naming every problem of the plan at once, and stores nothing', async () => {
      const bad = planBody({
        waves: [
          { name: 'Databases', sourceServerIDs: ['s-1'] },
          { name: 'Databases', sourceServerIDs: [serverId(2)], timeoutMinutes: 0 },
        ],
        extra: true,
      });

      const response = await createPlan(bad);

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        'waves[0].sourceServerIDs[0]: "s-1" is not a DRS source server ID (\'s-\' followed by 17 letters or digits)',
        'waves[1].timeoutMinutes: timeoutMinutes must be between 1 and 1440 (got 0)',
        "unexpected field 'extra': remove it",
        "waves[1].name: 'Databases' is also the name of waves[0]: give each wave its own name",
      ]);
      expect(response.body.message).toMatch(/^The plan is not valid \(4 problems\): waves\[0\]/);
      await expect(env.plans.get('three-tier')).resolves.toBeUndefined();
    });

    it('fails with 400 saying so when the body is not JSON', async () => {
      const response = await call('POST', '/plans', { rawBody: '{"planId": "three-tier",' });
      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        expect.stringMatching(/^the request body is not JSON \(.+\): send a plan/),
      ]);
    });

    it('fails with 400 saying so when the body is empty', async () => {
      const response = await call('POST', '/plans');
      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([expect.stringMatching(/^the request body is empty: send a plan/)]);
    });

    it('reads a base64-encoded body', async () => {
      const event = request('POST', '/plans', {
        rawBody: Buffer.from(JSON.stringify(planBody())).toString('base64'),
      });
      const response = parsed(await env.api({ ...event, isBase64Encoded: true }));
      expect(response.statusCode).toBe(201);
    });
  });

  describe('PUT /plans/{planId}', () => {
    const putPlan = (planId: string, body: unknown) =>
      call('PUT', '/plans/{planId}', { pathParameters: { planId }, body });

    it('returns 201 when it creates the plan', async () => {
      const response = await putPlan('three-tier', planBody());
      expect(response).toEqual({ statusCode: 201, body: storedPlan });
    });

    it('returns 200 when it replaces the plan, keeping createdAt and dropping a description left out', async () => {
      await putPlan('three-tier', planBody());
      env.clock.time = new Date(T1);

      const response = await putPlan('three-tier', planBody({ description: undefined, pollIntervalSeconds: 60 }));

      const { description: _description, ...withoutDescription } = storedPlan;
      const replaced = { ...withoutDescription, pollIntervalSeconds: 60, createdAt: T0, updatedAt: T1 };
      expect(response).toEqual({ statusCode: 200, body: replaced });
      await expect(env.plans.get('three-tier')).resolves.toEqual(replaced);
    });

    it('fails with 400 when the body planId differs from the path, with the plan problems in the same answer', async () => {
      const response = await putPlan('three-tier', planBody({ planId: 'other', pollIntervalSeconds: 1 }));

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        'pollIntervalSeconds: pollIntervalSeconds must be between 5 and 3600 (got 1)',
        expect.stringMatching(/^planId: "other" in the body differs from "three-tier" in the path/),
      ]);
      await expect(env.plans.get('other')).resolves.toBeUndefined();
      await expect(env.plans.get('three-tier')).resolves.toBeUndefined();
    });
  });

  describe('GET /plans/{planId}', () => {
    it('returns the plan', async () => {
      await createPlan(planBody());
      const response = await call('GET', '/plans/{planId}', { pathParameters: { planId: 'three-tier' } });
      expect(response).toEqual({ statusCode: 200, body: storedPlan });
    });

    it('fails with 404 when the plan is unknown', async () => {
      const response = await call('GET', '/plans/{planId}', { pathParameters: { planId: 'nope' } });
      expect(response).toEqual({ statusCode: 404, body: { message: "no plan with planId 'nope'" } });
    });
  });

  describe('GET /plans', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];

    it('returns every plan once, a page at a time, following nextToken', async () => {
      for (const planId of ids) await createPlan(planBody({ planId }));

      const seen: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const response = await call('GET', '/plans', { query: { limit: '2', ...(nextToken ? { nextToken } : {}) } });
        expect(response.statusCode).toBe(200);
        expect(response.body.items?.length).toBeLessThanOrEqual(2);
        seen.push(...(response.body.items ?? []).map((plan) => String(plan.planId)));
        nextToken = response.body.nextToken;
        pages += 1;
      } while (nextToken && pages < 10);

      expect(seen.sort()).toEqual(ids);
      expect(pages).toBeGreaterThanOrEqual(3);
    });

    it('returns the stored plans in full, without nextToken when they fit one page', async () => {
      await createPlan(planBody());
      const response = await call('GET', '/plans');
      expect(response).toEqual({ statusCode: 200, body: { items: [storedPlan] } });
    });

    it('returns an empty list when there is no plan', async () => {
      await expect(call('GET', '/plans')).resolves.toEqual({ statusCode: 200, body: { items: [] } });
    });

    it('fails with 400 naming each bad or unknown query parameter', async () => {
      const response = await call('GET', '/plans', { query: { limit: '0', planId: 'x', sort: 'name' } });
      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        'limit: must be a whole number from 1 to 100 (got "0")',
        "unknown query parameters 'planId', 'sort': this route accepts limit, nextToken",
      ]);
    });

    it.each(['101', 'abc', '2.5', '-1', ''])('fails with 400 when limit is %p', async (limit) => {
      const response = await call('GET', '/plans', { query: { limit } });
      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        `limit: must be a whole number from 1 to 100 (got ${JSON.stringify(limit)})`,
      ]);
    });

    it('fails with 400 when a parameter is given twice', async () => {
      const response = await call('GET', '/plans', { query: { limit: '2' }, multiQuery: { limit: ['1', '2'] } });
      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual(['limit: is given 2 times: give it once']);
    });

    it('fails with 400 when nextToken was tampered with', async () => {
      for (const planId of ids) await createPlan(planBody({ planId }));
      const first = await call('GET', '/plans', { query: { limit: '1' } });
      const token = String(first.body.nextToken);
      const edited = Buffer.from(
        Buffer.from(token, 'base64url')
          .toString('utf8')
          .replace(/"planId":"[^"]*"/, '"planId":1,"x":"y"'),
      ).toString('base64url');

      for (const nextToken of [`${token}!`, token.slice(0, -3), edited]) {
        const response = await call('GET', '/plans', { query: { nextToken } });
        expect(response.statusCode).toBe(400);
        expect(response.body.problems).toEqual([expect.stringMatching(/^nextToken: is not a token this API returned/)]);
      }
    });
  });

  describe('DELETE /plans/{planId}', () => {
    const deletePlan = (planId: string) => call('DELETE', '/plans/{planId}', { pathParameters: { planId } });
    // As the workflow's first task does: the plan's lock, then the record (the API reads the lock's holder).
    const startRecord = async (executionId: string) => {
      const at = new Date(T0);
      await env.executions.acquirePlanLock({ planId: storedPlan.planId, executionId, now: at, expiresAt: at });
      await env.executions.createExecution({
        executionId,
        plan: { ...storedPlan, name: 'Three tier' },
        executionType: 'DRILL',
        startedAt: at,
      });
    };

    it('returns 204 with no body and the plan is gone', async () => {
      await createPlan(planBody());

      const response = await env.api(
        request('DELETE', '/plans/{planId}', { pathParameters: { planId: 'three-tier' } }),
      );

      expect(response).toEqual({ statusCode: 204, headers: { 'content-type': 'application/json' }, body: '' });
      await expect(env.plans.get('three-tier')).resolves.toBeUndefined();
    });

    it('fails with 404 when the plan is unknown', async () => {
      await expect(deletePlan('nope')).resolves.toEqual({
        statusCode: 404,
        body: { message: "no plan with planId 'nope'" },
      });
    });

    it('fails with 409 naming the live execution, and keeps the plan', async () => {
      await createPlan(planBody());
      await startRecord('three-tier-drill-1');

      const response = await deletePlan('three-tier');

      expect(response.statusCode).toBe(409);
      expect(response.body.message).toMatch(/^plan 'three-tier' has a live execution, three-tier-drill-1 \(PENDING\)/);
      await expect(env.plans.get('three-tier')).resolves.toBeDefined();
    });

    it('returns 204 once the plan has only ended executions', async () => {
      await createPlan(planBody());
      await startRecord('three-tier-drill-1');
      await env.executions.failExecution({
        executionId: 'three-tier-drill-1',
        status: 'FAILED',
        error: 'WaveFailed',
        cause: 'x',
        endedAt: new Date(T1),
      });

      await expect(deletePlan('three-tier')).resolves.toMatchObject({ statusCode: 204 });
    });
  });

  describe('bounded answers', () => {
    /** Under Lambda's 6 MB response limit with room to spare, whatever was sent. */
    const SMALL_ANSWER = 64 * 1024;
    const answer = async (method: string, resource: string, options: Parameters<typeof request>[2]) => {
      const response = await env.api(request(method, resource, options));
      return { ...parsed(response), bytes: Buffer.byteLength(response.body) };
    };

    it('answers a 900 KB plan of 10,000 bad server IDs with the first 50 problems and how many more', async () => {
      const body = planBody({
        waves: Array.from({ length: 100 }, (_, w) => ({
          name: `Wave ${w}`,
          sourceServerIDs: Array.from({ length: 100 }, (_, i) => `s-${'y'.repeat(76)}-${w}-${i}`),
          // Within the history budget (100 waves of 60 minutes are not): only the IDs are wrong.
          timeoutMinutes: 10,
        })),
      });
      expect(JSON.stringify(body).length).toBeGreaterThan(850_000);

      const response = await answer('POST', '/plans', { body });

      expect(response.statusCode).toBe(400);
      expect(response.bytes).toBeLessThan(SMALL_ANSWER);
      expect(response.body.problems).toHaveLength(50);
      expect(response.body.moreProblems).toBe(10_001 - 50);
      expect(response.body.message).toMatch(/^The plan is not valid \(10001 problems, the first 50 listed\): /);
      expect(response.body.message).toMatch(/; and 9951 more: fix these and send it again to see the rest$/);
      await expect(env.plans.get('three-tier')).resolves.toBeUndefined();
    });

    it('answers 300,000 waves with 400 naming the count alone, before any other rule runs', async () => {
      const response = await answer('POST', '/plans', {
        body: planBody({ waves: Array.from({ length: 300_000 }, () => ({ name: 'Same' })) }),
      });

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        'waves: the plan has 300000 waves, more than the 100 a plan holds: split it into several plans (nothing else in it was checked)',
      ]);
    });

    it('answers a wave of 300,000 servers with 400 naming the count, on PUT as on POST', async () => {
      const body = planBody({
        waves: [{ name: 'Huge', sourceServerIDs: Array.from({ length: 300_000 }, () => 1) }],
      });

      for (const response of [
        await answer('POST', '/plans', { body }),
        await answer('PUT', '/plans/{planId}', { pathParameters: { planId: 'three-tier' }, body }),
      ]) {
        expect(response.statusCode).toBe(400);
        expect(response.body.problems).toEqual([
          'waves[0].sourceServerIDs: the wave has 300000 servers, more than the 100 DRS allows in one recovery job: split it into several waves (nothing else in the plan was checked)',
        ]);
      }
    });

    it.each([
      ['2,048 bytes', 'x'.repeat(2048)],
      ['4,096 bytes', 'x'.repeat(4096)],
      ['a space', 'a b'],
      ['a leading dot', '.hidden'],
    ])('answers 404 naming the rule for a plan ID in the path that is not one (%s)', async (_, planId) => {
      for (const method of ['GET', 'DELETE']) {
        const response = await answer(method, '/plans/{planId}', { pathParameters: { planId } });
        expect({ method, statusCode: response.statusCode }).toEqual({ method, statusCode: 404 });
        expect(response.body.message).toMatch(/^no plan with planId ".*: it is not a plan ID \(1-64 letters/);
        expect(response.bytes).toBeLessThan(300);
      }
    });

    it('answers 400 naming the rule for PUT to a plan ID that is not one, and stores nothing', async () => {
      const planId = 'x'.repeat(2049);
      const response = await answer('PUT', '/plans/{planId}', {
        pathParameters: { planId },
        body: planBody({ planId }),
      });

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toContain(
        `planId: "${'x'.repeat(56)}... in the path is not a plan ID (1-64 letters, digits, '.', '_' or '-', starting with a letter or digit)`,
      );
      expect(response.bytes).toBeLessThan(2048);
    });
  });
});
