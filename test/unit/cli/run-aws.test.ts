import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { OrchestratorApiClient } from '../../../cli/aws/api-client';
import { idempotencyKeyOf } from '../../../cli/aws/start-through-api';
import { main } from '../../../cli/main';
import { createApi, type Operation } from '../../../functions/api/api';
import { createDrsClient } from '../../../functions/shared/clients';
import { idempotentExecutionName } from '../../../functions/shared/execution-naming';
import { ExecutionStore } from '../../../functions/shared/execution-store';
import { PlanStore } from '../../../functions/shared/plan-store';
import type { Plan } from '../../../functions/shared/types';
import { DrsSimulator, parseScenario } from '../../../local/drs-simulator';
import { LOCAL_CREDENTIALS, LocalDynamoDb } from '../../../local/dynamodb';
import { SimulatedClock } from '../../../local/simulated-clock';
import { startLoopbackGateway } from '../../support/api-gateway';
import { launched, serverId, threeWavePlan } from '../../support/store';

const REGION = 'us-east-1';
const STATE_MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:recovery-plan';
const T0 = new Date('2026-01-01T00:00:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');
const CALLER = 'arn:aws:sts::111122223333:assumed-role/Operator/ci';
/** test/setup-env.ts gives every SDK client, and the CLI's credential chain, these keys. */
const ACCESS_KEY = 'test';
const SECRET = 'test';

const cfn = mockClient(CloudFormationClient);
const sfn = mockClient(SFNClient);

/**
 * `drs-orchestrator run <plan> --aws` end to end but for AWS itself: the real CLI, the real API
 * handler behind a loopback gateway that checks SigV4 and plays IAM, DynamoDB in dynalite (the
 * API's stores and the CLI's reads of the records alike), CloudFormation and Step Functions
 * mocked; a started execution is recorded as the workflow would record a drill that launched.
 */
describe('run --aws', () => {
  let dynamo: LocalDynamoDb;
  let endpoint: string;
  let db: DynamoDBDocumentClient;
  let dbClient: DynamoDBClient;
  let apiSfn: SFNClient;
  let gateway: Awaited<ReturnType<typeof startLoopbackGateway>>;
  let dir: string;
  let tables = 0;
  let env: { api: Operation; executions: ExecutionStore; plans: PlanStore; tableName: string };
  let started: Map<string, string>;
  let stdout: string;
  let stderr: string;
  const savedEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;

  beforeAll(async () => {
    dynamo = new LocalDynamoDb();
    endpoint = await dynamo.start();
    dbClient = new DynamoDBClient({ region: REGION, endpoint, credentials: LOCAL_CREDENTIALS });
    db = DynamoDBDocumentClient.from(dbClient, { marshallOptions: { removeUndefinedValues: true } });
    apiSfn = new SFNClient({ region: REGION, credentials: LOCAL_CREDENTIALS });
    gateway = await startLoopbackGateway((event) => env.api(event), { region: REGION });
    // The CLI builds its own DynamoDB client: the SDK's per-service endpoint variable points it at dynalite.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
    dir = mkdtempSync(join(tmpdir(), 'run-aws-'));
  });

  afterAll(async () => {
    if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    else process.env.AWS_ENDPOINT_URL_DYNAMODB = savedEndpoint;
    rmSync(dir, { recursive: true, force: true });
    await gateway.stop();
    apiSfn.destroy();
    dbClient.destroy();
    await dynamo.stop();
  });

  beforeEach(async () => {
    tables += 1;
    const tableName = `executions-${tables}`;
    await dynamo.createExecutionsTable(tableName, REGION);
    await dynamo.createPlansTable(`plans-${tables}`, REGION);
    const executions = new ExecutionStore(db, tableName);
    const plans = new PlanStore(db, `plans-${tables}`);
    const api = createApi({
      executions,
      plans,
      sfn: apiSfn,
      stateMachineArn: STATE_MACHINE,
      region: REGION,
      clock: { now: () => T0 },
    });
    env = { api, executions, plans, tableName };
    gateway.requests.length = 0;
    gateway.callers.clear();
    started = new Map();
    cfn.reset();
    sfn.reset();
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'DrsOrchestrator',
          CreationTime: T0,
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [
            { OutputKey: 'StateMachineArn', OutputValue: STATE_MACHINE },
            { OutputKey: 'ApiUrl', OutputValue: gateway.apiUrl },
            { OutputKey: 'ExecutionsTableName', OutputValue: tableName },
          ],
        },
      ],
    });
    // Step Functions: a started execution is recorded as one that launched every server, then SUCCEEDED.
    sfn.on(StartExecutionCommand).callsFake(async (input: { name: string; input: string }) => {
      const { plan, executionType } = JSON.parse(input.input) as { plan: Plan; executionType: 'DRILL' | 'RECOVERY' };
      started.set(input.name, input.input);
      await executions.createExecution({ executionId: input.name, plan, executionType, startedAt: T0 });
      for (const [index, wave] of plan.waves.entries()) {
        await executions.claimWave(input.name, index, T0, DEADLINE);
        // A RECOVERY wave reads its required post-launch actions from DRS first: none here.
        if (executionType === 'RECOVERY') {
          await executions.recordRequiredActions(
            input.name,
            index,
            Object.fromEntries(wave.sourceServerIDs.map((id) => [id, []])),
          );
        }
        await executions.completeWave(input.name, index, launched(...wave.sourceServerIDs), T0);
      }
      await executions.completeExecution(input.name, T0);
      return { executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${input.name}`, startDate: T0 };
    });
    sfn.on(DescribeExecutionCommand).callsFake(async ({ executionArn }: { executionArn: string }) => {
      const name = executionArn.split(':').pop() ?? '';
      const input = started.get(name);
      if (input === undefined) {
        throw Object.assign(new Error(`Execution Does Not Exist: '${executionArn}'`), {
          name: 'ExecutionDoesNotExist',
        });
      }
      return { executionArn, status: 'SUCCEEDED', input, startDate: T0, stateMachineArn: STATE_MACHINE };
    });
    stdout = '';
    stderr = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((text) => {
      stdout += String(text);
      return true;
    });
    jest.spyOn(process.stderr, 'write').mockImplementation((text) => {
      stderr += String(text);
      return true;
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
    process.stdout.removeAllListeners('error');
  });

  /** The operator signing the CLI's requests (the keys of test/setup-env.ts), with the routes IAM allows them. */
  const signedInAs = (...access: ('read' | 'drill' | 'recovery' | 'plans')[]) =>
    gateway.callers.set(ACCESS_KEY, { secretAccessKey: SECRET, arn: CALLER, access });

  const planFile = (plan: unknown = threeWavePlan()) => {
    const path = join(dir, `plan-${tables}.json`);
    writeFileSync(path, JSON.stringify(plan));
    return path;
  };

  const run = (...args: string[]) => main(['node', 'drs-orchestrator', 'run', ...args, '--aws']);

  const calls = () =>
    gateway.requests.map((r) => `${r.method} ${r.path.replace(new URL(gateway.apiUrl).pathname, '/')}`);

  it('stores a plan the API does not hold, then starts a drill on /drills, signed for execute-api, and follows it', async () => {
    signedInAs('read', 'drill', 'plans');

    const code = await run(planFile());

    expect(code).toBe(0);
    expect(calls()).toEqual(['GET /plans/three-tier', 'PUT /plans/three-tier', 'POST /plans/three-tier/drills']);
    for (const request of gateway.requests) {
      expect(request.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/execute-api\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/,
      );
    }
    expect(await env.plans.get('three-tier')).toMatchObject(threeWavePlan());
    const [executionId] = [...started.keys()];
    expect(executionId).toMatch(/^three-tier-drill-20260101T000000-[0-9a-f]{6}$/);
    expect(JSON.parse(started.get(executionId ?? '') ?? '')).toMatchObject({ executionType: 'DRILL' });
    expect(stderr).toContain('(PUT /plans/three-tier): it was not stored');
    expect(stderr).toContain(`Started arn:aws:states:us-east-1:111122223333:execution:recovery-plan:${executionId}`);
    expect(stdout).toContain('COMPLETED');
  });

  it('starts a stored plan that matches the file without storing it again', async () => {
    signedInAs('read', 'drill');
    await env.plans.put({ ...threeWavePlan(), description: 'kept apart from the plan rules' }, T0);

    const code = await run(planFile());

    expect(code).toBe(0);
    expect(calls()).toEqual(['GET /plans/three-tier', 'POST /plans/three-tier/drills']);
    expect(stderr).not.toContain('Stored');
  });

  it('starts a confirmed RECOVERY on /recoveries with { "confirm": true }', async () => {
    signedInAs('read', 'drill', 'recovery');
    await env.plans.put(threeWavePlan(), T0);

    const code = await run(planFile(), '--type', 'recovery', '--confirm');

    expect(code).toBe(0);
    expect(calls()).toEqual(['GET /plans/three-tier', 'POST /plans/three-tier/recoveries']);
    expect(JSON.parse(gateway.requests[1]?.body ?? '')).toEqual({ confirm: true });
    expect(JSON.parse([...started.values()][0] ?? '')).toMatchObject({ executionType: 'RECOVERY' });
  });

  it('refuses a RECOVERY without --confirm before any request', async () => {
    signedInAs('read', 'drill', 'recovery');

    expect(await run(planFile(), '--type', 'recovery')).toBe(2);
    expect(gateway.requests).toHaveLength(0);
    expect(stderr).toContain('add --confirm');
  });

  it('replaces a stored plan that differs from the file before starting it, naming the fields', async () => {
    signedInAs('read', 'drill', 'plans');
    const stored = threeWavePlan();
    await env.plans.put({ ...stored, waves: [stored.waves[0] as Plan['waves'][number]], name: 'Old' }, T0);

    const code = await run(planFile());

    expect(code).toBe(0);
    expect(calls()).toEqual(['GET /plans/three-tier', 'PUT /plans/three-tier', 'POST /plans/three-tier/drills']);
    expect(await env.plans.get('three-tier')).toMatchObject(threeWavePlan());
    expect(stderr).toContain('it differed in name, waves');
  });

  it('with --no-update-plan, refuses a plan that differs from the stored one: exit 2, nothing stored or started', async () => {
    signedInAs('read', 'drill', 'plans');
    const changed = threeWavePlan();
    await env.plans.put(changed, T0);
    const file = { ...changed, waves: changed.waves.map((w, i) => (i === 1 ? { ...w, timeoutMinutes: 30 } : w)) };

    const code = await run(planFile(file), '--no-update-plan');

    expect(code).toBe(2);
    expect(calls()).toEqual(['GET /plans/three-tier']);
    expect(stderr).toContain('the plan file differs from the stored plan');
    expect(stderr).toContain('field waves[1].timeoutMinutes');
    expect(stderr).toContain('--no-update-plan forbids storing it');
    expect(started.size).toBe(0);
  });

  it('exits 2 when the plan differs and the caller may not update plans (403), saying who may', async () => {
    signedInAs('read', 'drill');
    await env.plans.put({ ...threeWavePlan(), pollIntervalSeconds: 60 }, T0);

    const code = await run(planFile());

    expect(code).toBe(2);
    expect(calls()).toEqual(['GET /plans/three-tier', 'PUT /plans/three-tier']);
    expect(stderr).toContain('the plan file differs from the stored plan');
    expect(stderr).toContain('PUT /plans/three-tier answered 403');
    expect(stderr).toContain('Only plan authors may update plans');
    expect(started.size).toBe(0);
  });

  it('exits 2 when a drill operator asks for a RECOVERY (403 from IAM), naming the policy it needs', async () => {
    signedInAs('read', 'drill');
    await env.plans.put(threeWavePlan(), T0);

    const code = await run(planFile(), '--type', 'recovery', '--confirm');

    expect(code).toBe(2);
    expect(stderr).toContain('POST /plans/three-tier/recoveries answered 403: User: ');
    expect(stderr).toContain('RecoveryOperatorPolicyArn');
    expect(started.size).toBe(0);
  });

  it('exits 2 naming the live execution when the plan is already running (409)', async () => {
    signedInAs('read', 'drill');
    await env.plans.put(threeWavePlan(), T0);
    // As the workflow's first task does: the plan's lock, then the record.
    await env.executions.acquirePlanLock({
      planId: 'three-tier',
      executionId: 'three-tier-drill-live',
      now: T0,
      expiresAt: DEADLINE,
    });
    await env.executions.createExecution({
      executionId: 'three-tier-drill-live',
      plan: threeWavePlan(),
      executionType: 'DRILL',
      startedAt: T0,
    });

    const code = await run(planFile());

    expect(code).toBe(2);
    expect(stderr).toContain('answered 409');
    expect(stderr).toContain('three-tier-drill-live');
    expect(started.size).toBe(0);
  });

  it("exits 2 naming the plan's problems when the API's DRS preflight refuses it (400), and starts nothing", async () => {
    signedInAs('read', 'drill');
    await env.plans.put(threeWavePlan(), T0);
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
    env.api = createApi({
      executions: env.executions,
      plans: env.plans,
      sfn: apiSfn,
      stateMachineArn: STATE_MACHINE,
      region: REGION,
      clock: { now: () => T0 },
      drs,
    });
    try {
      const code = await run(planFile());

      expect(code).toBe(2);
      expect(stderr).toContain("POST /plans/three-tier/drills answered 400: plan 'three-tier' cannot run now");
      expect(stderr).toContain(`\n  - `);
      expect(stderr).toContain(serverId(4));
      expect(started.size).toBe(0);
    } finally {
      drs.destroy();
      await simulator.stop();
    }
  });

  it("exits 1 when the API fails (5xx), with the API's message", async () => {
    signedInAs('read', 'drill');
    await env.plans.put(threeWavePlan(), T0);
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('internal'), { name: 'InternalFailure' }));

    const code = await run(planFile());

    expect(code).toBe(1);
    expect(stderr).toContain('POST /plans/three-tier/drills answered 500: Internal error (request loopback-');
  });

  it('sends --name as the Idempotency-Key, so the same name follows the execution it started', async () => {
    signedInAs('read', 'drill');
    await env.plans.put(threeWavePlan(), T0);

    expect(await run(planFile(), '--name', 'nightly-drill-42')).toBe(0);
    expect(await run(planFile(), '--name', 'nightly-drill-42')).toBe(0);

    const starts = gateway.requests.filter((r) => r.method === 'POST');
    expect(starts.map((r) => r.headers['idempotency-key'])).toEqual(['nightly-drill-42', 'nightly-drill-42']);
    const name = idempotentExecutionName({ planId: 'three-tier', caller: CALLER, idempotencyKey: 'nightly-drill-42' });
    expect([...started.keys()]).toEqual([name]);
    expect(stderr).toContain(
      `Already started (same --name), following arn:aws:states:us-east-1:111122223333:execution:recovery-plan:${name}`,
    );
  });

  it('sends requests under the stage of an ApiUrl given without its trailing slash', async () => {
    signedInAs('read');
    const api = new OrchestratorApiClient({
      apiUrl: gateway.apiUrl.replace(/\/$/, ''),
      region: REGION,
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET },
    });

    const answer = await api.send('GET', 'plans/three-tier');

    expect(answer).toEqual({ status: 404, body: { message: "no plan with planId 'three-tier'" } });
    expect(calls()).toEqual(['GET /plans/three-tier']);
  });

  it("signs with the caller's own key: a request signed with another secret is refused (403), exit 2", async () => {
    gateway.callers.set(ACCESS_KEY, { secretAccessKey: 'another secret', arn: CALLER, access: ['read', 'drill'] });

    expect(await run(planFile())).toBe(2);
    expect(stderr).toContain('GET /plans/three-tier answered 403: The request signature we calculated does not match');
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
