import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { logger } from '../../../functions/shared/observability';
import type { Plan } from '../../../functions/shared/types';
import { serverId } from '../../support/store';
import { consoleUrl, executionArn, parsed, request, STATE_MACHINE_ARN, startApiHarness } from './harness';

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
const KEY = 'order-42';
// sha256('order-42'), first 16 hex
const KEYED_NAME = 'three-tier-3bf8b157c4238eef';

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
  const start = (body: unknown, headers: Record<string, string> = {}, planId = 'three-tier') =>
    call('POST', '/plans/{planId}/executions', { pathParameters: { planId }, body, headers });
  const record = (executionId: string, options: { planId?: string; startedAt?: Date; executionArn?: string } = {}) =>
    env.executions.createExecution({
      executionId,
      plan: { ...plan, planId: options.planId ?? plan.planId },
      executionType: 'DRILL',
      startedAt: options.startedAt ?? T0,
      ...(options.executionArn ? { executionArn: options.executionArn } : {}),
    });

  describe('POST /plans/{planId}/executions', () => {
    it('returns 202 and starts the workflow with the stored plan as it is now', async () => {
      sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => ({
        executionArn: executionArn(input.name),
        startDate: T0,
      }));

      const response = await start({ executionType: 'DRILL' });

      expect(response.statusCode).toBe(202);
      const name = String(response.body.executionId);
      expect(name).toMatch(/^three-tier-drill-20260101T000000-[0-9a-f]{6}$/);
      expect(response.body).toEqual({
        executionId: name,
        executionArn: executionArn(name),
        planId: 'three-tier',
        executionType: 'DRILL',
        status: 'RUNNING',
        consoleUrl: consoleUrl(executionArn(name)),
      });
      expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
      expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
        stateMachineArn: STATE_MACHINE_ARN,
        name,
        input: JSON.stringify({ plan, executionType: 'DRILL' }),
      });
    });

    it('gives two starts in the same second different names', async () => {
      sfn
        .on(StartExecutionCommand)
        .callsFake((input: { name: string }) => ({ executionArn: executionArn(input.name) }));
      const first = await start({ executionType: 'DRILL' });
      const second = await start({ executionType: 'DRILL' });
      expect(first.body.executionId).not.toBe(second.body.executionId);
    });

    it('starts a RECOVERY when it is confirmed', async () => {
      sfn
        .on(StartExecutionCommand)
        .callsFake((input: { name: string }) => ({ executionArn: executionArn(input.name) }));

      const response = await start({ executionType: 'RECOVERY', confirm: true });

      expect(response.statusCode).toBe(202);
      expect(response.body.executionId).toMatch(/^three-tier-recovery-20260101T000000-[0-9a-f]{6}$/);
      expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
        input: JSON.stringify({ plan, executionType: 'RECOVERY' }),
      });
    });

    it.each([{}, { confirm: false }])('fails with 400 when a RECOVERY is not confirmed (%p)', async (confirm) => {
      const response = await start({ executionType: 'RECOVERY', ...confirm });

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        'confirm: a RECOVERY launches the production workloads in the recovery Region (not a drill): send "confirm": true to start it',
      ]);
      expect(sfn.calls()).toHaveLength(0);
    });

    it('fails with 400 naming every problem of the body and the Idempotency-Key at once', async () => {
      const response = await start({ executionType: 'TEST', confirm: 'yes', dryRun: true }, { 'Idempotency-Key': '' });

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        'executionType: must be DRILL or RECOVERY (got "TEST")',
        'confirm: must be true or false (got "yes")',
        "unexpected field 'dryRun': the body has only executionType and confirm",
        'Idempotency-Key: must be 1 to 64 printable ASCII characters (got 0 characters)',
      ]);
      expect(sfn.calls()).toHaveLength(0);
    });

    it('fails with 400 saying so when the body is not JSON', async () => {
      const response = await call('POST', '/plans/{planId}/executions', {
        pathParameters: { planId: 'three-tier' },
        rawBody: 'executionType=DRILL',
      });
      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([expect.stringMatching(/^the request body is not JSON/)]);
    });

    it('fails with 404 when the plan is unknown, and starts nothing', async () => {
      const response = await start({ executionType: 'DRILL' }, {}, 'nope');
      expect(response).toEqual({
        statusCode: 404,
        body: { message: "no plan with planId 'nope': create it with POST /plans" },
      });
      expect(sfn.calls()).toHaveLength(0);
    });

    it('fails with 400 when the stored plan breaks the plan rules, and starts nothing', async () => {
      await env.plans.put({ ...plan, waves: [{ name: 'Empty', sourceServerIDs: [], timeoutMinutes: 60 }] }, T1);

      const response = await start({ executionType: 'DRILL' });

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        'waves[0].sourceServerIDs: the wave has no servers: list at least one source server ID',
      ]);
      expect(response.body.message).toMatch(/replace it with PUT \/plans\/three-tier$/);
      expect(sfn.calls()).toHaveLength(0);
    });

    it('fails with 400 when the plan is too large for a workflow input, and starts nothing', async () => {
      // 100 waves of 100 servers with 128-character names of 3-byte letters: over Step Functions' 256 KiB.
      const waves = Array.from({ length: 100 }, (_, w) => ({
        name: `${String(w).padStart(3, '0')}${'漢'.repeat(125)}`,
        sourceServerIDs: Array.from({ length: 100 }, (_, s) => serverId(w * 100 + s + 1)),
        timeoutMinutes: 60,
      }));
      await env.plans.put({ ...plan, waves }, T1);

      const response = await start({ executionType: 'DRILL' });

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        expect.stringMatching(
          /^plan: the plan is \d+ bytes of JSON, more than the 262080 a Step Functions execution input holds/,
        ),
      ]);
      expect(sfn.calls()).toHaveLength(0);
    });

    it.each(['PENDING', 'POLLING'])('fails with 409 naming the %s execution of the plan', async (status) => {
      // As the workflow's first task does: the plan's lock, then the record (the API reads the lock's holder).
      await env.executions.acquirePlanLock({
        planId: 'three-tier',
        executionId: 'three-tier-drill-1',
        now: T0,
        expiresAt: T1,
      });
      await record('three-tier-drill-1');
      if (status === 'POLLING') await env.executions.claimWave('three-tier-drill-1', 0, T0, T1);

      const response = await start({ executionType: 'DRILL' });

      expect(response.statusCode).toBe(409);
      expect(response.body.message).toBe(
        `plan 'three-tier' already has a live execution, three-tier-drill-1 (${status}): wait for it to end or cancel it with POST /executions/three-tier-drill-1/cancel`,
      );
      expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    });

    it('starts when the plan has only ended executions, and executions of other plans are live', async () => {
      await record('three-tier-drill-1');
      await env.executions.failExecution({
        executionId: 'three-tier-drill-1',
        status: 'FAILED',
        error: 'WaveFailed',
        cause: 'x',
        endedAt: T1,
      });
      await record('other-drill-1', { planId: 'other' });
      sfn
        .on(StartExecutionCommand)
        .callsFake((input: { name: string }) => ({ executionArn: executionArn(input.name) }));

      await expect(start({ executionType: 'DRILL' })).resolves.toMatchObject({ statusCode: 202 });
    });

    describe('with an Idempotency-Key', () => {
      it('starts the execution under the name the key stands for', async () => {
        sfn.on(DescribeExecutionCommand).rejects(notExists());
        sfn.on(StartExecutionCommand).resolves({ executionArn: executionArn(KEYED_NAME), startDate: T0 });

        const response = await start({ executionType: 'DRILL' }, { 'idempotency-key': KEY });

        expect(response).toEqual({
          statusCode: 202,
          body: {
            executionId: KEYED_NAME,
            executionArn: executionArn(KEYED_NAME),
            planId: 'three-tier',
            executionType: 'DRILL',
            status: 'RUNNING',
            consoleUrl: consoleUrl(executionArn(KEYED_NAME)),
          },
        });
        expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: executionArn(KEYED_NAME) });
        expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { name: KEYED_NAME });
      });

      it('returns 200 with the execution a retried request already started, and starts no other', async () => {
        // The first request started it and its first task recorded it: a live execution of the plan.
        await record(KEYED_NAME);
        sfn.on(DescribeExecutionCommand).resolves({
          executionArn: executionArn(KEYED_NAME),
          name: KEYED_NAME,
          status: 'RUNNING',
          input: JSON.stringify({ plan, executionType: 'DRILL' }),
          startDate: T0,
        });

        const response = await start({ executionType: 'DRILL' }, { 'Idempotency-Key': KEY });

        expect(response).toEqual({
          statusCode: 200,
          body: {
            executionId: KEYED_NAME,
            executionArn: executionArn(KEYED_NAME),
            planId: 'three-tier',
            executionType: 'DRILL',
            status: 'RUNNING',
            consoleUrl: consoleUrl(executionArn(KEYED_NAME)),
          },
        });
        expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
      });

      it('returns 200 with the Step Functions status of an execution that already ended', async () => {
        sfn.on(DescribeExecutionCommand).resolves({
          executionArn: executionArn(KEYED_NAME),
          status: 'SUCCEEDED',
          input: JSON.stringify({ plan, executionType: 'DRILL' }),
        });
        const response = await start({ executionType: 'DRILL' }, { 'Idempotency-Key': KEY });
        expect(response).toMatchObject({ statusCode: 200, body: { executionId: KEYED_NAME, status: 'SUCCEEDED' } });
      });

      it('returns 200 with the execution when a concurrent request started it first', async () => {
        sfn
          .on(DescribeExecutionCommand)
          .rejectsOnce(notExists())
          .resolves({
            executionArn: executionArn(KEYED_NAME),
            status: 'RUNNING',
            input: JSON.stringify({ plan, executionType: 'DRILL' }),
          });
        sfn
          .on(StartExecutionCommand)
          .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));

        const response = await start({ executionType: 'DRILL' }, { 'Idempotency-Key': KEY });

        expect(response).toMatchObject({ statusCode: 200, body: { executionId: KEYED_NAME, status: 'RUNNING' } });
        expect(sfn).toHaveReceivedCommandTimes(DescribeExecutionCommand, 2);
      });

      it('fails with 409 when the key was used to start another type of execution', async () => {
        sfn.on(DescribeExecutionCommand).resolves({
          executionArn: executionArn(KEYED_NAME),
          status: 'RUNNING',
          input: JSON.stringify({ plan, executionType: 'DRILL' }),
        });

        const response = await start({ executionType: 'RECOVERY', confirm: true }, { 'Idempotency-Key': KEY });

        expect(response.statusCode).toBe(409);
        expect(response.body.message).toBe(
          `the Idempotency-Key was already used to start a DRILL of plan 'three-tier' (execution ${KEYED_NAME}): send a new key for a different request`,
        );
        expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
      });

      it('fails with 400 when the key is longer than 64 characters', async () => {
        const response = await start({ executionType: 'DRILL' }, { 'Idempotency-Key': 'k'.repeat(65) });
        expect(response.statusCode).toBe(400);
        expect(response.body.problems).toEqual([
          expect.stringMatching(/^Idempotency-Key: must be 1 to 64 printable ASCII characters \(got 65 characters/),
        ]);
      });
    });

    it('returns 500 with a generic message and logs the error when Step Functions fails', async () => {
      const error = jest.spyOn(logger, 'error');
      sfn.on(StartExecutionCommand).rejects(new Error('secret internals at line 42'));

      const response = await env.api(
        request('POST', '/plans/{planId}/executions', {
          pathParameters: { planId: 'three-tier' },
          body: { executionType: 'DRILL' },
        }),
      );

      expect(response.statusCode).toBe(500);
      expect(response.headers).toEqual({ 'content-type': 'application/json' });
      expect(JSON.parse(response.body)).toEqual({
        message: 'Internal error (request req-1): it is logged; retry later, or report the request ID',
      });
      expect(response.body).not.toContain('secret');
      expect(error).toHaveBeenCalledWith(
        expect.objectContaining({ message: 'API request failed', requestId: 'req-1' }),
        expect.objectContaining({ message: 'secret internals at line 42' }),
      );
    });
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
          waves: [
            {
              index: 0,
              name: 'Databases',
              status: 'LAUNCHING',
              jobId: 'drsjob-00000000000000001',
              failedServers: [],
              startedAt: T0.toISOString(),
              servers: [
                { sourceServerID: serverId(1), launchStatus: 'LAUNCHED', recoveryInstanceID: 'i-0123456789abcdef0' },
                { sourceServerID: serverId(2), launchStatus: 'IN_PROGRESS' },
              ],
            },
            {
              index: 1,
              name: 'App',
              status: 'NOT_STARTED',
              failedServers: [],
              servers: [{ sourceServerID: serverId(3), launchStatus: 'NOT_STARTED' }],
            },
          ],
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
});
