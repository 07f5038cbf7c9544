import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  type ExecutionStatus,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { planVersionOf } from '../../../functions/api/start-execution';
import { idempotentExecutionName } from '../../../functions/shared/execution-naming';
import { logger } from '../../../functions/shared/observability';
import type { Plan } from '../../../functions/shared/types';
import { serverId } from '../../support/store';
import { consoleUrl, executionArn, OPERATOR, parsed, request, STATE_MACHINE_ARN, startApiHarness } from './harness';

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
const KEYED_NAME = idempotentExecutionName({ planId: 'three-tier', caller: OPERATOR, idempotencyKey: KEY });
/** The caller the loopback gateway signs for by default: the input names it as who started the execution. */
const CALLER = 'arn:aws:sts::111122223333:assumed-role/DrillOperator/ci';
const OTHER_CALLER = 'arn:aws:sts::111122223333:assumed-role/DrillOperator/someone-else';

describe('start routes (on dynalite, Step Functions mocked)', () => {
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
  interface Start {
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    planId?: string;
    caller?: string | null;
  }
  const startOn =
    (route: 'drills' | 'recoveries') =>
    ({ planId = 'three-tier', ...options }: Start = {}) =>
      call('POST', `/plans/{planId}/${route}`, { pathParameters: { planId }, ...options });
  const drill = startOn('drills');
  const recovery = startOn('recoveries');
  const startsNamed = () =>
    sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => ({ executionArn: executionArn(input.name) }));
  const record = (executionId: string) =>
    env.executions.createExecution({ executionId, plan, executionType: 'DRILL', startedAt: T0 });

  describe('POST /plans/{planId}/drills', () => {
    it('returns 202 and starts a DRILL of the stored plan as it is now', async () => {
      startsNamed();

      const response = await drill();

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
        input: JSON.stringify({ plan, executionType: 'DRILL', startedBy: CALLER }),
      });
    });

    it('accepts {} as the body', async () => {
      startsNamed();
      await expect(drill({ body: {} })).resolves.toMatchObject({ statusCode: 202 });
    });

    it('gives two starts in the same second different names', async () => {
      startsNamed();
      const first = await drill();
      const second = await drill();
      expect(first.body.executionId).not.toBe(second.body.executionId);
    });

    it('fails with 400 when the body asks for a RECOVERY, and starts nothing', async () => {
      const response = await drill({ body: { executionType: 'RECOVERY', confirm: true } });

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        "unexpected fields 'executionType', 'confirm': POST /plans/{planId}/drills takes no body (the route says DRILL; a RECOVERY is POST /plans/{planId}/recoveries)",
      ]);
      expect(sfn.calls()).toHaveLength(0);
    });
  });

  describe('POST /plans/{planId}/recoveries', () => {
    it('returns 202 and starts a RECOVERY when it is confirmed', async () => {
      startsNamed();

      const response = await recovery({ body: { confirm: true } });

      expect(response.statusCode).toBe(202);
      expect(response.body).toMatchObject({ executionType: 'RECOVERY', planId: 'three-tier' });
      expect(response.body.executionId).toMatch(/^three-tier-recovery-20260101T000000-[0-9a-f]{6}$/);
      expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
        input: JSON.stringify({ plan, executionType: 'RECOVERY', startedBy: CALLER }),
      });
    });

    it.each([
      ['no body', {}],
      ['{}', { body: {} }],
      ['confirm false', { body: { confirm: false } }],
    ])('fails with 400 when it is not confirmed (%s), and starts nothing', async (_, options) => {
      const response = await recovery(options);

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        'confirm: a RECOVERY launches the production workloads in the recovery Region (not a drill): send "confirm": true to start it',
      ]);
      expect(sfn.calls()).toHaveLength(0);
    });

    it('fails with 400 naming every problem of the body and the Idempotency-Key at once', async () => {
      const response = await recovery({
        body: { confirm: 'yes', dryRun: true },
        headers: { 'Idempotency-Key': '' },
      });

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        'confirm: must be true (got "yes")',
        "unexpected field 'dryRun': the body has only confirm (the route says RECOVERY)",
        'Idempotency-Key: must be 1 to 64 printable ASCII characters (got 0 characters)',
      ]);
      expect(sfn.calls()).toHaveLength(0);
    });

    it('fails with 400 saying so when the body is not JSON', async () => {
      const response = await recovery({ rawBody: 'confirm=true' });
      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([expect.stringMatching(/^the request body is not JSON/)]);
    });
  });

  describe.each([
    ['drills', drill],
    ['recoveries', (options: Start = {}) => recovery({ body: { confirm: true }, ...options })],
  ])('POST /plans/{planId}/%s', (_, start) => {
    it('fails with 404 when the plan is unknown, and starts nothing', async () => {
      const response = await start({ planId: 'nope' });
      expect(response).toEqual({
        statusCode: 404,
        body: { message: "no plan with planId 'nope': create it with POST /plans" },
      });
      expect(sfn.calls()).toHaveLength(0);
    });

    it('fails with 404 naming the rule when the plan ID is not one (2,048 bytes), and starts nothing', async () => {
      const response = await start({ planId: 'x'.repeat(2048) });

      expect(response.statusCode).toBe(404);
      expect(response.body.message).toBe(
        `no plan with planId "${'x'.repeat(56)}...: it is not a plan ID (1-64 letters, digits, '.', '_' or '-', starting with a letter or digit)`,
      );
      expect(sfn.calls()).toHaveLength(0);
    });

    it('fails with 400 when the stored plan breaks the plan rules, and starts nothing', async () => {
      await env.plans.put({ ...plan, waves: [{ name: 'Empty', sourceServerIDs: [], timeoutMinutes: 60 }] }, T1);

      const response = await start();

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        "waves[0].sourceServerIDs: the wave has no servers: list at least one source server ID in wave 'Empty', or select its servers with sourceServerTags",
      ]);
      expect(response.body.message).toMatch(/replace it with PUT \/plans\/three-tier$/);
      expect(sfn.calls()).toHaveLength(0);
    });

    it('fails with 400 when the plan is too large for a workflow input, and starts nothing', async () => {
      // 100 waves of 100 servers with 128-character names of 3-byte letters: over Step Functions' 256 KiB.
      const waves = Array.from({ length: 100 }, (_, w) => ({
        name: `${String(w).padStart(3, '0')}${'漢'.repeat(125)}`,
        sourceServerIDs: Array.from({ length: 100 }, (_, s) => serverId(w * 100 + s + 1)),
        // Within the history budget (100 waves of 60 minutes are not): only the size is wrong.
        timeoutMinutes: 10,
      }));
      await env.plans.put({ ...plan, waves }, T1);

      const response = await start();

      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        expect.stringMatching(
          /^plan: the plan is \d+ bytes of JSON, more than the 196608 a Step Functions execution input holds/,
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

      const response = await start();

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
      await env.executions.createExecution({
        executionId: 'other-drill-1',
        plan: { ...plan, planId: 'other' },
        executionType: 'DRILL',
        startedAt: T0,
      });
      startsNamed();

      await expect(start()).resolves.toMatchObject({ statusCode: 202 });
    });

    it('returns 500 with a generic message and logs the error when Step Functions fails', async () => {
      const error = jest.spyOn(logger, 'error');
      sfn.on(StartExecutionCommand).rejects(new Error('secret internals at line 42'));

      const response = await start();

      expect(response).toEqual({
        statusCode: 500,
        body: { message: 'Internal error (request req-1): it is logged; retry later, or report the request ID' },
      });
      expect(error).toHaveBeenCalledWith(
        expect.objectContaining({ message: 'API request failed', requestId: 'req-1' }),
        expect.objectContaining({ message: 'secret internals at line 42' }),
      );
    });
  });

  describe('with an Idempotency-Key', () => {
    const keyed = (headers: Record<string, string> = { 'Idempotency-Key': KEY }) => ({ headers });
    /** Step Functions knows the execution of that name, started with that input. */
    const known = (name: string, input: { plan: Plan; executionType: string }, status: ExecutionStatus = 'RUNNING') => {
      sfn.on(DescribeExecutionCommand).rejects(notExists());
      sfn
        .on(DescribeExecutionCommand, { executionArn: executionArn(name) })
        .resolves({ executionArn: executionArn(name), name, status, input: JSON.stringify(input), startDate: T0 });
    };

    it('starts the execution under the name the caller, the plan and the key stand for', async () => {
      sfn.on(DescribeExecutionCommand).rejects(notExists());
      sfn.on(StartExecutionCommand).resolves({ executionArn: executionArn(KEYED_NAME), startDate: T0 });

      const response = await drill(keyed({ 'idempotency-key': KEY }));

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
      expect(KEYED_NAME).toMatch(/^three-tier-[0-9a-f]{24}$/);
      expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: executionArn(KEYED_NAME) });
      expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { name: KEYED_NAME });
    });

    it('returns 200 with the execution a retried request already started, and starts no other', async () => {
      // The first request started it and its first task recorded it: a live execution of the plan.
      await record(KEYED_NAME);
      known(KEYED_NAME, { plan, executionType: 'DRILL' });

      const response = await drill(keyed());

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
      known(KEYED_NAME, { plan, executionType: 'DRILL' }, 'SUCCEEDED');
      const response = await drill(keyed());
      expect(response).toMatchObject({ statusCode: 200, body: { executionId: KEYED_NAME, status: 'SUCCEEDED' } });
    });

    it('returns 200 when the plan was replaced with the same content', async () => {
      known(KEYED_NAME, { plan, executionType: 'DRILL' });
      await env.plans.put({ ...plan, description: 'The order system' }, T1);

      await expect(drill(keyed())).resolves.toMatchObject({ statusCode: 200, body: { executionId: KEYED_NAME } });
    });

    it('returns 200 with the execution when a concurrent request started it first', async () => {
      sfn
        .on(DescribeExecutionCommand)
        .rejectsOnce(notExists())
        .resolves({
          executionArn: executionArn(KEYED_NAME),
          status: 'RUNNING',
          input: JSON.stringify({ plan, executionType: 'DRILL', startedBy: CALLER }),
        });
      sfn
        .on(StartExecutionCommand)
        .rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));

      const response = await drill(keyed());

      expect(response).toMatchObject({ statusCode: 200, body: { executionId: KEYED_NAME, status: 'RUNNING' } });
      expect(sfn).toHaveReceivedCommandTimes(DescribeExecutionCommand, 2);
    });

    it('fails with 409 naming the type when the key started another type of execution', async () => {
      known(KEYED_NAME, { plan, executionType: 'DRILL' });

      const response = await recovery({ body: { confirm: true }, ...keyed() });

      expect(response.statusCode).toBe(409);
      expect(response.body.message).toBe(
        `the Idempotency-Key was already used to start a DRILL of plan 'three-tier' (execution ${KEYED_NAME}), and this request differs: executionType: it started a DRILL, this request is for a RECOVERY: send a new key for a different request`,
      );
      expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    });

    it('fails with 409 naming both versions when the plan changed since the key started an execution', async () => {
      known(KEYED_NAME, { plan, executionType: 'DRILL' });
      const edited = { ...plan, pollIntervalSeconds: 60 };
      await env.plans.put(edited, T1);

      const response = await drill(keyed());

      expect(response.statusCode).toBe(409);
      expect(response.body.message).toBe(
        `the Idempotency-Key was already used to start a DRILL of plan 'three-tier' (execution ${KEYED_NAME}), and this request differs: plan version: it ran version ${planVersionOf(plan)} of the plan, which has changed since (now version ${planVersionOf(edited)}, updated at ${T1.toISOString()}): send a new key for a different request`,
      );
      expect(planVersionOf(plan)).not.toBe(planVersionOf(edited));
      expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    });

    it("does not return another caller's execution for the same key: it starts the caller's own", async () => {
      known(KEYED_NAME, { plan, executionType: 'DRILL' });
      startsNamed();

      const response = await drill({ ...keyed(), caller: OTHER_CALLER });

      const own = idempotentExecutionName({ planId: 'three-tier', caller: OTHER_CALLER, idempotencyKey: KEY });
      expect(own).not.toBe(KEYED_NAME);
      expect(response).toMatchObject({ statusCode: 202, body: { executionId: own } });
      expect(sfn).not.toHaveReceivedCommandWith(DescribeExecutionCommand, {
        executionArn: executionArn(KEYED_NAME),
      });
      expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { name: own });
    });

    it('starts distinct executions for plans a.b and a_b with the same key', async () => {
      await env.plans.create({ ...plan, planId: 'a.b' }, T0);
      await env.plans.create({ ...plan, planId: 'a_b' }, T0);
      sfn.on(DescribeExecutionCommand).rejects(notExists());
      startsNamed();

      const first = await drill({ ...keyed(), planId: 'a.b' });
      const second = await drill({ ...keyed(), planId: 'a_b' });

      expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
      expect(first.body.executionId).not.toBe(second.body.executionId);
      expect(String(first.body.executionId).startsWith('a_b-')).toBe(true);
    });

    it('fails with 403 and starts nothing when API Gateway passed no caller', async () => {
      const response = await drill({ ...keyed(), caller: null });

      expect(response.statusCode).toBe(403);
      expect(response.body.message).toMatch(/^the request carries no IAM caller/);
      expect(sfn.calls()).toHaveLength(0);
    });

    it('fails with 400 when the key is longer than 64 characters', async () => {
      const response = await drill(keyed({ 'Idempotency-Key': 'k'.repeat(65) }));
      expect(response.statusCode).toBe(400);
      expect(response.body.problems).toEqual([
        expect.stringMatching(/^Idempotency-Key: must be 1 to 64 printable ASCII characters \(got 65 characters/),
      ]);
    });
  });
});
