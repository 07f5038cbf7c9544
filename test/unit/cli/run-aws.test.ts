import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { OrchestratorApiClient } from '../../../cli/aws/api-client';
import { idempotencyKeyOf } from '../../../cli/aws/start-through-api';
import { idempotentExecutionName } from '../../../functions/shared/execution-naming';
import type { Plan } from '../../../functions/shared/types';
import { ACCESS_KEY, CALLER, REGION, SECRET, startDeployedStack, T0 } from '../../support/deployed-stack';
import { threeWavePlan } from '../../support/store';

const cfn = mockClient(CloudFormationClient);
const sfn = mockClient(SFNClient);

/** `run --aws` starting through the API (its refusals: run-aws-refusals.test.ts). */
describe('run --aws', () => {
  let stack: Awaited<ReturnType<typeof startDeployedStack>>;

  beforeAll(async () => {
    stack = await startDeployedStack({ cfn, sfn });
  });
  afterAll(async () => stack.stop());
  beforeEach(async () => stack.fresh());

  it('stores a plan the API does not hold, then starts a drill on /drills, signed for execute-api, and follows it', async () => {
    stack.signedInAs('read', 'drill', 'plans');

    const code = await stack.run(stack.planFile());

    expect(code).toBe(0);
    expect(stack.calls()).toEqual(['GET /plans/three-tier', 'PUT /plans/three-tier', 'POST /plans/three-tier/drills']);
    for (const request of stack.gateway.requests) {
      expect(request.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/execute-api\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/,
      );
    }
    expect(await stack.plans.get('three-tier')).toMatchObject(threeWavePlan());
    const [executionId] = [...stack.started.keys()];
    expect(executionId).toMatch(/^three-tier-drill-20260101T000000-[0-9a-f]{6}$/);
    expect(JSON.parse(stack.started.get(executionId ?? '') ?? '')).toMatchObject({ executionType: 'DRILL' });
    expect(stack.output.stderr).toContain('(PUT /plans/three-tier): it was not stored');
    expect(stack.output.stderr).toContain(
      `Started arn:aws:states:us-east-1:111122223333:execution:recovery-plan:${executionId}`,
    );
    expect(stack.output.stdout).toContain('COMPLETED');
  });

  it('starts a stored plan that matches the file without storing it again', async () => {
    stack.signedInAs('read', 'drill');
    await stack.plans.put({ ...threeWavePlan(), description: 'kept apart from the plan rules' }, T0);

    const code = await stack.run(stack.planFile());

    expect(code).toBe(0);
    expect(stack.calls()).toEqual(['GET /plans/three-tier', 'POST /plans/three-tier/drills']);
    expect(stack.output.stderr).not.toContain('Stored');
  });

  it('starts a confirmed RECOVERY on /recoveries with { "confirm": true }', async () => {
    stack.signedInAs('read', 'drill', 'recovery');
    await stack.plans.put(threeWavePlan(), T0);

    const code = await stack.run(stack.planFile(), '--type', 'recovery', '--confirm');

    expect(code).toBe(0);
    expect(stack.calls()).toEqual(['GET /plans/three-tier', 'POST /plans/three-tier/recoveries']);
    expect(JSON.parse(stack.gateway.requests[1]?.body ?? '')).toEqual({ confirm: true });
    expect(JSON.parse([...stack.started.values()][0] ?? '')).toMatchObject({ executionType: 'RECOVERY' });
  });

  it('replaces a stored plan that differs from the file before starting it, naming the fields', async () => {
    stack.signedInAs('read', 'drill', 'plans');
    const stored = threeWavePlan();
    await stack.plans.put({ ...stored, waves: [stored.waves[0] as Plan['waves'][number]], name: 'Old' }, T0);

    const code = await stack.run(stack.planFile());

    expect(code).toBe(0);
    expect(stack.calls()).toEqual(['GET /plans/three-tier', 'PUT /plans/three-tier', 'POST /plans/three-tier/drills']);
    expect(await stack.plans.get('three-tier')).toMatchObject(threeWavePlan());
    expect(stack.output.stderr).toContain('it differed in name, waves');
  });

  it('sends --name as the Idempotency-Key, so the same name follows the execution it started', async () => {
    stack.signedInAs('read', 'drill');
    await stack.plans.put(threeWavePlan(), T0);

    expect(await stack.run(stack.planFile(), '--name', 'nightly-drill-42')).toBe(0);
    expect(await stack.run(stack.planFile(), '--name', 'nightly-drill-42')).toBe(0);

    const starts = stack.gateway.requests.filter((r) => r.method === 'POST');
    expect(starts.map((r) => r.headers['idempotency-key'])).toEqual(['nightly-drill-42', 'nightly-drill-42']);
    const name = idempotentExecutionName({ planId: 'three-tier', caller: CALLER, idempotencyKey: 'nightly-drill-42' });
    expect([...stack.started.keys()]).toEqual([name]);
    expect(stack.output.stderr).toContain(
      `Already started (same --name), following arn:aws:states:us-east-1:111122223333:execution:recovery-plan:${name}`,
    );
  });

  it('sends requests under the stage of an ApiUrl given without its trailing slash', async () => {
    stack.signedInAs('read');
    const api = new OrchestratorApiClient({
      apiUrl: stack.gateway.apiUrl.replace(/\/$/, ''),
      region: REGION,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
    });

    const answer = await api.send('GET', 'plans/three-tier');

    expect(answer).toEqual({ status: 404, body: { message: "no plan with planId 'three-tier'" } });
    expect(stack.calls()).toEqual(['GET /plans/three-tier']);
  });
});

describe('idempotencyKeyOf', () => {
  it('keeps a name the API accepts as a key, and hashes one it does not (over 64 characters, or not ASCII)', () => {
    expect(idempotencyKeyOf('nightly-drill-42')).toBe('nightly-drill-42');
    const long = 'x'.repeat(65);
    expect(idempotencyKeyOf(long)).toMatch(/^[0-9a-f]{64}$/);
    expect(idempotencyKeyOf('drill-é')).toMatch(/^[0-9a-f]{64}$/);
    expect(idempotencyKeyOf('drill-é')).not.toBe(idempotencyKeyOf('drill-e'));
  });
});
