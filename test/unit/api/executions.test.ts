import { ExecutionDoesNotExist, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import type { Plan } from '../../../functions/shared/types';
import { serverId } from '../../support/store';
import { consoleUrl, executionArn, parsed, request, startApiHarness } from './harness';

const sfn = mockClient(SFNClient);
const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:10:00Z');

const plan: Plan = {
  planId: 'three-tier',
  name: 'Three tier',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: [serverId(1), serverId(2)], timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: [serverId(3)], timeoutMinutes: 60 },
  ],
};
const notExists = () => new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} });

describe('execution routes (on dynalite, Step Functions mocked)', () => {
  let harness: Awaited<ReturnType<typeof startApiHarness>>;
  let env: Awaited<ReturnType<typeof harness.fresh>>;

  beforeAll(async () => {
    harness = await startApiHarness();
  });
  afterAll(async () => harness.stop());
  beforeEach(async () => {
    sfn.reset();
    jest.restoreAllMocks();
    env = await harness.fresh();
    await env.plans.create({ ...plan, description: 'The order system' }, T0);
  });

  const call = async (...args: Parameters<typeof request>) => parsed(await env.api(request(...args)));
  const record = (executionId: string, options: { planId?: string; startedAt?: Date; executionArn?: string } = {}) =>
    env.executions.createExecution({
      executionId,
      plan: { ...plan, planId: options.planId ?? plan.planId },
      executionType: 'DRILL',
      startedAt: options.startedAt ?? T0,
      ...(options.executionArn ? { executionArn: options.executionArn } : {}),
    });

  describe('GET /executions', () => {
    const list = (query: Record<string, string> = {}) => call('GET', '/executions', { query });

    beforeEach(async () => {
      await record('three-tier-1', { startedAt: new Date('2026-01-01T01:00:00Z') });
      await record('other-1', { planId: 'other', startedAt: new Date('2026-01-01T02:00:00Z') });
      await record('three-tier-2', { startedAt: new Date('2026-01-01T03:00:00Z') });
      await env.executions.failExecution({
        executionId: 'three-tier-1',
        status: 'FAILED',
        error: 'WaveFailed',
        cause: 'wave 1 failed',
        endedAt: T1,
      });
    });

    it('returns execution summaries, newest first', async () => {
      const response = await list();

      expect(response.statusCode).toBe(200);
      expect(response.body.nextToken).toBeUndefined();
      expect(response.body.items?.map((item) => item.executionId)).toEqual(['three-tier-2', 'other-1', 'three-tier-1']);
      expect(response.body.items?.[2]).toEqual({
        executionId: 'three-tier-1',
        executionArn: executionArn('three-tier-1'),
        planId: 'three-tier',
        planName: 'Three tier',
        executionType: 'DRILL',
        status: 'FAILED',
        waveCount: 2,
        completedWaves: 0,
        startedAt: '2026-01-01T01:00:00.000Z',
        endedAt: T1.toISOString(),
        error: 'WaveFailed',
        cause: 'wave 1 failed',
        consoleUrl: consoleUrl(executionArn('three-tier-1')),
      });
    });

    it('returns the executions of one plan, and of one status', async () => {
      const ofPlan = await list({ planId: 'three-tier' });
      expect(ofPlan.body.items?.map((item) => item.executionId)).toEqual(['three-tier-2', 'three-tier-1']);

      const pending = await list({ status: 'PENDING' });
      expect(pending.body.items?.map((item) => item.executionId)).toEqual(['three-tier-2', 'other-1']);

      const failedOfPlan = await list({ planId: 'three-tier', status: 'FAILED' });
      expect(failedOfPlan.body.items?.map((item) => item.executionId)).toEqual(['three-tier-1']);
    });

    it('returns every execution once, a page at a time, following nextToken', async () => {
      const seen: unknown[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const response = await list({ limit: '1', ...(nextToken ? { nextToken } : {}) });
        expect(response.statusCode).toBe(200);
        seen.push(...(response.body.items ?? []).map((item) => item.executionId));
        nextToken = response.body.nextToken;
        pages += 1;
      } while (nextToken && pages < 10);
      expect(seen).toEqual(['three-tier-2', 'other-1', 'three-tier-1']);
    });

    it('fails with 400 naming every bad query parameter', async () => {
      const response = await list({ status: 'RUNNING', limit: '500', planId: 'no spaces', order: 'asc' });

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        "planId: \"no spaces\" is not a plan ID (1-64 letters, digits, '.', '_' or '-', starting with a letter or digit)",
        'status: must be one of PENDING, POLLING, COMPLETED, FAILED, TIMED_OUT, CANCELLED (got "RUNNING")',
        'limit: must be a whole number from 1 to 100 (got "500")',
        "unknown query parameter 'order': this route accepts planId, status, limit, nextToken",
      ]);
    });

    it('fails with 400 when nextToken is passed with other filters than the listing that returned it', async () => {
      const first = await list({ limit: '1' });

      const response = await list({ planId: 'three-tier', nextToken: String(first.body.nextToken) });

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        'nextToken: belongs to a listing with other filters: pass the same filters as the request that returned it',
      ]);
    });

    it('fails with 400 when nextToken was tampered with', async () => {
      const first = await list({ limit: '1' });
      const token = JSON.parse(Buffer.from(String(first.body.nextToken), 'base64url').toString('utf8'));
      const edited = Buffer.from(JSON.stringify({ ...token, k: { pk: 'x' } })).toString('base64url');

      for (const nextToken of [edited, 'not-a-token', `${first.body.nextToken}=`]) {
        const response = await list({ limit: '1', nextToken });
        expect(response.statusCode).toBe(400);
        expect(response.body.problems).toEqual([expect.stringMatching(/^nextToken: is not a token this API returned/)]);
      }
    });
  });

  describe('GET /executions/{executionId}', () => {
    const get = (executionId: string) => call('GET', '/executions/{executionId}', { pathParameters: { executionId } });

    it('returns the execution with every wave and server, and its console link', async () => {
      await record('three-tier-1');
      await env.executions.claimWave('three-tier-1', 0, T0, T1);
      await env.executions.recordJob('three-tier-1', 0, 'drsjob-00000000000000001');
      await env.executions.recordPoll(
        'three-tier-1',
        0,
        [
          { sourceServerID: serverId(1), launchStatus: 'LAUNCHED', recoveryInstanceID: 'i-0123456789abcdef0' },
          { sourceServerID: serverId(2), launchStatus: 'IN_PROGRESS' },
        ],
        T1,
      );

      const response = await get('three-tier-1');

      expect(response).toEqual({
        statusCode: 200,
        body: {
          executionId: 'three-tier-1',
          executionArn: executionArn('three-tier-1'),
          planName: 'Three tier',
          planId: 'three-tier',
          executionType: 'DRILL',
          status: 'POLLING',
          startedAt: T0.toISOString(),
          rto: { targetMinutes: null, actualSeconds: expect.any(Number), met: null },
          rpo: { maxDataAgeSeconds: 0, servers: [], targetMinutes: null, met: null },
          warnings: [],
          waves: [
            {
              index: 0,
              name: 'Databases',
              dependsOn: [],
              status: 'LAUNCHING',
              jobId: 'drsjob-00000000000000001',
              failedServers: [],
              optionalFailedServers: [],
              startedAt: T0.toISOString(),
              targetMinutes: null,
              targetMet: null,
              servers: [
                {
                  sourceServerID: serverId(1),
                  launchStatus: 'LAUNCHED',
                  recoveryInstanceID: 'i-0123456789abcdef0',
                  launchedAt: T1.toISOString(),
                },
                { sourceServerID: serverId(2), launchStatus: 'IN_PROGRESS' },
              ],
            },
            {
              index: 1,
              name: 'App',
              dependsOn: ['Databases'],
              status: 'NOT_STARTED',
              failedServers: [],
              optionalFailedServers: [],
              targetMinutes: null,
              targetMet: null,
              servers: [{ sourceServerID: serverId(3), launchStatus: 'NOT_STARTED' }],
            },
          ],
          // A live drill: its cleanup waits for its end to be scheduled.
          cleanup: { status: 'SCHEDULED', scheduledFor: null, terminatedInstanceIDs: [], failed: [] },
          consoleUrl: consoleUrl(executionArn('three-tier-1')),
        },
      });
    });

    it('links the execution ARN the record holds', async () => {
      const arn = 'arn:aws:states:us-east-1:111122223333:execution:older-machine:three-tier-1';
      await record('three-tier-1', { executionArn: arn });
      const response = await get('three-tier-1');
      expect(response.body).toMatchObject({ executionArn: arn, consoleUrl: consoleUrl(arn) });
    });

    it('fails with 404 when the execution is unknown', async () => {
      await expect(get('nope')).resolves.toEqual({
        statusCode: 404,
        body: { message: "no execution with executionId 'nope'" },
      });
    });
  });

  describe('POST /executions/{executionId}/cancel', () => {
    const cancel = (executionId: string) =>
      call('POST', '/executions/{executionId}/cancel', { pathParameters: { executionId } });

    it('stops the workflow, records CANCELLED and ends the launching wave, then returns the execution', async () => {
      await record('three-tier-1');
      await env.executions.claimWave('three-tier-1', 0, T0, T1);
      await env.executions.recordJob('three-tier-1', 0, 'drsjob-00000000000000001');
      sfn.on(StopExecutionCommand).resolves({ stopDate: T1 });
      env.clock.time = T1;

      const response = await cancel('three-tier-1');

      expect(sfn).toHaveReceivedCommandWith(StopExecutionCommand, {
        executionArn: executionArn('three-tier-1'),
        error: 'Cancelled',
        cause: 'Cancelled through the API',
      });
      const cause =
        'Cancelled through the API at 2026-01-01T00:10:00.000Z. DRS job drsjob-00000000000000001 of wave 1 was already started: it keeps running, and its recovery instances stay until they are terminated (DRS console, or TerminateRecoveryInstances).';
      expect(response.statusCode).toBe(200);
      expect(response.body).toMatchObject({
        executionId: 'three-tier-1',
        status: 'CANCELLED',
        error: 'ExecutionCancelled',
        cause,
        endedAt: T1.toISOString(),
        consoleUrl: consoleUrl(executionArn('three-tier-1')),
        waves: [
          {
            status: 'FAILED',
            reason: `the execution stopped while the wave was launching: ExecutionCancelled: ${cause}`,
          },
          { status: 'NOT_STARTED' },
        ],
      });
      await expect(env.executions.getExecution('three-tier-1')).resolves.toMatchObject({ status: 'CANCELLED' });
    });

    it("says why it stopped even when Step Functions' status change was recorded first (ExecutionAborted)", async () => {
      await record('three-tier-1');
      // StopExecution's ABORTED status change reaches execution-events before the API writes its own ending.
      sfn.on(StopExecutionCommand).callsFake(async () => {
        await env.executions.failExecution({
          executionId: 'three-tier-1',
          status: 'CANCELLED',
          error: 'ExecutionAborted',
          cause: 'the execution was stopped (Step Functions console Stop or StopExecution)',
          endedAt: T1,
        });
        return { stopDate: T1 };
      });
      env.clock.time = T1;

      const response = await cancel('three-tier-1');

      expect(response.body).toMatchObject({ status: 'CANCELLED', error: 'ExecutionCancelled' });
      expect(response.body.cause).toMatch(/^Cancelled through the API at 2026-01-01T00:10:00.000Z\./);
    });

    it('keeps a real ending that came first: the cancel replaces only the generic ExecutionAborted', async () => {
      await record('three-tier-1');
      sfn.on(StopExecutionCommand).callsFake(async () => {
        await env.executions.failExecution({
          executionId: 'three-tier-1',
          status: 'FAILED',
          error: 'WaveFailed',
          cause: 'wave 1 failed',
          endedAt: T1,
        });
        return { stopDate: T1 };
      });

      const response = await cancel('three-tier-1');

      expect(response.body).toMatchObject({ status: 'FAILED', error: 'WaveFailed', cause: 'wave 1 failed' });
    });

    it('says a DRS job may already run when no wave is launching', async () => {
      await record('three-tier-1');
      sfn.on(StopExecutionCommand).resolves({});
      const response = await cancel('three-tier-1');
      expect(response.body.cause).toMatch(
        /^Cancelled through the API at .+\. A DRS job already started keeps running, and its recovery instances stay/,
      );
    });

    it('fails with 409 saying how it ended when the execution already ended, and stops nothing', async () => {
      await record('three-tier-1');
      await env.executions.failExecution({
        executionId: 'three-tier-1',
        status: 'FAILED',
        error: 'WaveFailed',
        cause: 'x',
        endedAt: T1,
      });

      const response = await cancel('three-tier-1');

      expect(response).toEqual({
        statusCode: 409,
        body: {
          message:
            'execution three-tier-1 has already ended: it is FAILED with WaveFailed at 2026-01-01T00:10:00.000Z; there is nothing to cancel',
        },
      });
      expect(sfn.calls()).toHaveLength(0);
    });

    it('fails with 404 when the execution is unknown', async () => {
      await expect(cancel('nope')).resolves.toEqual({
        statusCode: 404,
        body: { message: "no execution with executionId 'nope'" },
      });
      expect(sfn.calls()).toHaveLength(0);
    });

    it('fails with 409 and leaves the record when Step Functions has no such execution', async () => {
      await record('three-tier-1');
      sfn.on(StopExecutionCommand).rejects(notExists());

      const response = await cancel('three-tier-1');

      expect(response.statusCode).toBe(409);
      expect(response.body.message).toMatch(
        /^execution three-tier-1 is PENDING in the records, but Step Functions has no execution/,
      );
      await expect(env.executions.getExecution('three-tier-1')).resolves.toMatchObject({ status: 'PENDING' });
    });
  });

  describe('an execution ID in the path that cannot be one', () => {
    it.each([
      ['2,048 bytes', 'x'.repeat(2048)],
      ['81 characters', 'x'.repeat(81)],
      ['a slash', 'three-tier/../other'],
      ['a space', 'a b'],
    ])('answers 404 naming the rule, reading nothing and stopping nothing (%s)', async (_, executionId) => {
      for (const [method, resource] of [
        ['GET', '/executions/{executionId}'],
        ['POST', '/executions/{executionId}/cancel'],
      ] as const) {
        const response = await env.api(request(method, resource, { pathParameters: { executionId } }));
        const { statusCode, body } = parsed(response);
        expect({ resource, statusCode }).toEqual({ resource, statusCode: 404 });
        expect(body.message).toMatch(/^no execution with executionId ".*: it is not an execution ID \(1-80 characters/);
        expect(response.body.length).toBeLessThan(400);
      }
      expect(sfn.calls()).toHaveLength(0);
    });
  });
});
