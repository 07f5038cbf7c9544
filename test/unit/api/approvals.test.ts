import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { OPERATOR, parsed, request, startApiHarness } from './harness';

const sfn = mockClient(SFNClient);
const ROUTE = '/executions/{executionId}/waves/{waveIndex}/approval';
const EXECUTION = 'gated-drill-20260101T000000-000001';
const PLAN = {
  planId: 'gated',
  name: 'Gated',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: ['s-0db00000000000001'], timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: ['s-0app0000000000001'], timeoutMinutes: 60, approval: { timeoutMinutes: 60 } },
  ],
};

describe('POST /executions/{executionId}/waves/{waveIndex}/approval', () => {
  let harness: Awaited<ReturnType<typeof startApiHarness>>;
  beforeAll(async () => {
    harness = await startApiHarness();
  });
  afterAll(() => harness.stop());
  beforeEach(() => sfn.reset());

  /** An execution whose first wave COMPLETED and whose second wave's gate is open on `token`. */
  async function gateOpen(token = 'token-1') {
    const world = await harness.fresh();
    const at = world.clock.now();
    await world.executions.createExecution({
      executionId: EXECUTION,
      plan: PLAN,
      executionType: 'DRILL',
      startedAt: at,
    });
    await world.executions.claimWave(EXECUTION, 0, at, new Date(at.getTime() + 3_600_000));
    await world.executions.recordJob(EXECUTION, 0, 'drsjob-1');
    await world.executions.completeWave(
      EXECUTION,
      0,
      [{ sourceServerID: 's-0db00000000000001', launchStatus: 'LAUNCHED' }],
      at,
    );
    await world.executions.openGate({
      executionId: EXECUTION,
      index: 1,
      taskToken: token,
      requestedAt: at,
      timeoutAt: new Date(at.getTime() + 3_600_000),
    });
    const decide = (body: unknown, waveIndex = '1', executionId = EXECUTION) =>
      world.api(request('POST', ROUTE, { pathParameters: { executionId, waveIndex }, body })).then(parsed);
    return { ...world, decide };
  }

  it('approves with the caller as who decided, and sends the token back with SendTaskSuccess', async () => {
    const { decide, executions } = await gateOpen();
    sfn.on(SendTaskSuccessCommand).resolves({});

    const res = await decide({ decision: 'APPROVE', comment: 'go' });

    expect(res.statusCode).toBe(200);
    expect(res.body.approval).toMatchObject({ decision: 'APPROVE', by: OPERATOR, comment: 'go' });
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'token-1' });
    expect((await executions.getWave(EXECUTION, 1)).status).toBe('NOT_STARTED');
  });

  it('rejects with SendTaskFailure ApprovalRejected', async () => {
    const { decide } = await gateOpen();
    sfn.on(SendTaskFailureCommand).resolves({});

    expect((await decide({ decision: 'REJECT' })).statusCode).toBe(200);
    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, { taskToken: 'token-1', error: 'ApprovalRejected' });
  });

  it('answers 409 to a second decision, and sends nothing', async () => {
    const { decide } = await gateOpen();
    sfn.on(SendTaskSuccessCommand).resolves({});
    await decide({ decision: 'APPROVE' });
    sfn.reset();

    const res = await decide({ decision: 'REJECT' });

    expect(res.statusCode).toBe(409);
    expect(res.body.message).toMatch(/not awaiting approval: APPROVE was already decided by/);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('answers 409 for a wave that is not awaiting approval', async () => {
    const { decide } = await gateOpen();
    expect((await decide({ decision: 'APPROVE' }, '0')).statusCode).toBe(409);
  });

  it('answers 409 and withdraws the decision when Step Functions refuses the token (the gate had closed)', async () => {
    const { decide, executions } = await gateOpen();
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));

    const res = await decide({ decision: 'APPROVE' });

    expect(res.statusCode).toBe(409);
    expect(res.body.message).toMatch(
      /did not reach the workflow: Step Functions answered TaskTimedOut.*Nothing was decided/,
    );
    const approval = (await executions.getWave(EXECUTION, 1)).approval;
    expect(approval?.decision).toBeUndefined();
    expect(approval?.undelivered).toEqual([expect.objectContaining({ decision: 'APPROVE', error: 'TaskTimedOut' })]);
  });

  it('answers 404 for an unknown execution or wave, 400 for a bad body', async () => {
    const { decide } = await gateOpen();
    expect((await decide({ decision: 'APPROVE' }, '1', 'nope-drill-20260101T000000-000001')).statusCode).toBe(404);
    expect((await decide({ decision: 'APPROVE' }, '7')).statusCode).toBe(404);
    const bad = await decide({ decision: 'MAYBE', extra: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.problems).toEqual([
      expect.stringContaining('decision must be "APPROVE" or "REJECT" (got "MAYBE")'),
      expect.stringContaining("unexpected field 'extra'"),
    ]);
  });
});
