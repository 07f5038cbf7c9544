import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { createDrsClient } from '../../../functions/shared/clients';
import { DrsSimulator, parseScenario } from '../../../local/drs-simulator';
import { LOCAL_CREDENTIALS } from '../../../local/dynamodb';
import { SimulatedClock } from '../../../local/simulated-clock';
import { ACCESS_KEY, CALLER, DEADLINE, REGION, startDeployedStack, T0 } from '../../support/deployed-stack';
import { serverId, threeWavePlan } from '../../support/store';

const cfn = mockClient(CloudFormationClient);
const sfn = mockClient(SFNClient);

/** `run --aws` when the plan or the API says no: exit 2 naming why (1 for the API's own failures), nothing started. */
describe('run --aws refused', () => {
  let stack: Awaited<ReturnType<typeof startDeployedStack>>;

  beforeAll(async () => {
    stack = await startDeployedStack({ cfn, sfn });
  });
  afterAll(async () => stack.stop());
  beforeEach(async () => stack.fresh());

  it('refuses a RECOVERY without --confirm before any request', async () => {
    stack.signedInAs('read', 'drill', 'recovery');

    expect(await stack.run(stack.planFile(), '--type', 'recovery')).toBe(2);
    expect(stack.gateway.requests).toHaveLength(0);
    expect(stack.output.stderr).toContain('add --confirm');
  });

  it('with --no-update-plan, refuses a plan that differs from the stored one: exit 2, nothing stored or started', async () => {
    stack.signedInAs('read', 'drill', 'plans');
    const changed = threeWavePlan();
    await stack.plans.put(changed, T0);
    const file = { ...changed, waves: changed.waves.map((w, i) => (i === 1 ? { ...w, timeoutMinutes: 30 } : w)) };

    const code = await stack.run(stack.planFile(file), '--no-update-plan');

    expect(code).toBe(2);
    expect(stack.calls()).toEqual(['GET /plans/three-tier']);
    expect(stack.output.stderr).toContain('the plan file differs from the stored plan');
    expect(stack.output.stderr).toContain('field waves[1].timeoutMinutes');
    expect(stack.output.stderr).toContain('--no-update-plan forbids storing it');
    expect(stack.started.size).toBe(0);
  });

  it('exits 2 when the plan differs and the caller may not update plans (403), saying who may', async () => {
    stack.signedInAs('read', 'drill');
    await stack.plans.put({ ...threeWavePlan(), pollIntervalSeconds: 60 }, T0);

    const code = await stack.run(stack.planFile());

    expect(code).toBe(2);
    expect(stack.calls()).toEqual(['GET /plans/three-tier', 'PUT /plans/three-tier']);
    expect(stack.output.stderr).toContain('the plan file differs from the stored plan');
    expect(stack.output.stderr).toContain('PUT /plans/three-tier answered 403');
    expect(stack.output.stderr).toContain('Only plan authors may update plans');
    expect(stack.started.size).toBe(0);
  });

  it('exits 2 when a drill operator asks for a RECOVERY (403 from IAM), naming the policy it needs', async () => {
    stack.signedInAs('read', 'drill');
    await stack.plans.put(threeWavePlan(), T0);

    const code = await stack.run(stack.planFile(), '--type', 'recovery', '--confirm');

    expect(code).toBe(2);
    expect(stack.output.stderr).toContain('POST /plans/three-tier/recoveries answered 403: User: ');
    expect(stack.output.stderr).toContain('RecoveryOperatorPolicyArn');
    expect(stack.started.size).toBe(0);
  });

  it('exits 2 naming the live execution when the plan is already running (409)', async () => {
    stack.signedInAs('read', 'drill');
    await stack.plans.put(threeWavePlan(), T0);
    // As the workflow's first task does: the plan's lock, then the record.
    const executionId = 'three-tier-drill-live';
    await stack.executions.acquirePlanLock({ planId: 'three-tier', executionId, now: T0, expiresAt: DEADLINE });
    await stack.executions.createExecution({
      executionId,
      plan: threeWavePlan(),
      executionType: 'DRILL',
      startedAt: T0,
    });

    const code = await stack.run(stack.planFile());

    expect(code).toBe(2);
    expect(stack.output.stderr).toContain('answered 409');
    expect(stack.output.stderr).toContain(executionId);
    expect(stack.started.size).toBe(0);
  });

  it("exits 2 naming the plan's problems when the API's DRS preflight refuses it (400), and starts nothing", async () => {
    stack.signedInAs('read', 'drill');
    await stack.plans.put(threeWavePlan(), T0);
    // DRS (the wire-protocol simulator) replicates three of the plan's four servers.
    const simulator = new DrsSimulator({
      scenario: parseScenario({}),
      clock: new SimulatedClock(T0),
      planServerIDs: [serverId(1), serverId(2), serverId(3)],
    });
    const drs = createDrsClient({
      region: REGION,
      drsEndpoint: await simulator.start(),
      credentials: LOCAL_CREDENTIALS,
    });
    stack.serveApi({ drs });
    try {
      const code = await stack.run(stack.planFile());

      expect(code).toBe(2);
      expect(stack.output.stderr).toContain(
        "POST /plans/three-tier/drills answered 400: plan 'three-tier' cannot run now",
      );
      expect(stack.output.stderr).toContain(`\n  - wave 3 'Web': ${serverId(4)}`);
      expect(stack.started.size).toBe(0);
    } finally {
      drs.destroy();
      await simulator.stop();
    }
  });

  it("exits 1 when the API fails (5xx), with the API's message", async () => {
    stack.signedInAs('read', 'drill');
    await stack.plans.put(threeWavePlan(), T0);
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('internal'), { name: 'InternalFailure' }));

    const code = await stack.run(stack.planFile());

    expect(code).toBe(1);
    expect(stack.output.stderr).toContain(
      'POST /plans/three-tier/drills answered 500: Internal error (request loopback-',
    );
  });

  it("signs with the caller's own key: a request signed with another secret is refused (403), exit 2", async () => {
    stack.gateway.callers.set(ACCESS_KEY, {
      secretAccessKey: 'another secret',
      arn: CALLER,
      access: ['read', 'drill'],
    });

    expect(await stack.run(stack.planFile())).toBe(2);
    expect(stack.output.stderr).toContain(
      'GET /plans/three-tier answered 403: The request signature we calculated does not match',
    );
  });
});
