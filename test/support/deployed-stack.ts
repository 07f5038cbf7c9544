import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { DrsClient } from '@aws-sdk/client-drs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { main } from '../../cli/main';
import { createApi, type Operation } from '../../functions/api/api';
import type { RouteAccess } from '../../functions/api/routes';
import { ExecutionStore } from '../../functions/shared/execution-store';
import { PlanStore } from '../../functions/shared/plan-store';
import type { Plan } from '../../functions/shared/types';
import { LOCAL_CREDENTIALS, LocalDynamoDb } from '../../local/dynamodb';
import { startLoopbackGateway } from './api-gateway';
import { launched, threeWavePlan } from './store';

export const REGION = 'us-east-1';
export const STATE_MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:recovery-plan';
export const T0 = new Date('2026-01-01T00:00:00Z');
export const DEADLINE = new Date('2026-01-01T01:00:00Z');
export const CALLER = 'arn:aws:sts::111122223333:assumed-role/Operator/ci';
/** test/setup-env.ts gives every SDK client, and so the CLI's credential chain, these keys. */
export const ACCESS_KEY = 'test';
export const SECRET = 'test';

/**
 * The deployed stack as `drs-orchestrator run --aws` meets it, but for AWS itself: the real API
 * handler behind a loopback gateway that checks SigV4 and plays IAM, DynamoDB in dynalite (the
 * API's stores and the CLI's reads of the records alike), CloudFormation's outputs and Step
 * Functions on the test's mocks; a started execution is recorded as the workflow records one that
 * launched every server, and then SUCCEEDED. `fresh()` before each test: new tables, reset mocks.
 */
export async function startDeployedStack(mocks: {
  cfn: AwsClientStub<CloudFormationClient>;
  sfn: AwsClientStub<SFNClient>;
}) {
  const dynamo = new LocalDynamoDb();
  const endpoint = await dynamo.start();
  const dbClient = new DynamoDBClient({ region: REGION, endpoint, credentials: LOCAL_CREDENTIALS });
  const db = DynamoDBDocumentClient.from(dbClient, { marshallOptions: { removeUndefinedValues: true } });
  const apiSfn = new SFNClient({ region: REGION, credentials: LOCAL_CREDENTIALS });
  let api: Operation = async () => ({ statusCode: 500, body: '{"message":"call fresh() first"}' });
  const gateway = await startLoopbackGateway((event) => api(event), { region: REGION });
  // The CLI builds its own DynamoDB client: the SDK's per-service endpoint variable points it at dynalite.
  const savedEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  const dir = mkdtempSync(join(tmpdir(), 'deployed-stack-'));
  let tables = 0;
  const output = { stdout: '', stderr: '' };

  const world = {
    gateway,
    output,
    /** Execution name → the input Step Functions was started with. */
    started: new Map<string, string>(),
    executions: undefined as unknown as ExecutionStore,
    plans: undefined as unknown as PlanStore,
    /** The drill cleanup workflow's runs the API started (by name). */
    cleanupRuns: [] as string[],

    /** The API again, with DRS for its start routes' preflight (none by default). */
    serveApi(options: { drs?: DrsClient } = {}) {
      api = createApi({
        executions: world.executions,
        plans: world.plans,
        sfn: apiSfn,
        stateMachineArn: STATE_MACHINE,
        region: REGION,
        clock: { now: () => T0 },
        ...(options.drs ? { drs: options.drs } : {}),
        cleanupWorkflows: {
          start: async (name) => {
            world.cleanupRuns.push(name);
            return `arn:aws:states:${REGION}:111122223333:execution:drill-cleanup:${name}`;
          },
          stop: async () => {},
        },
      });
    },

    async fresh() {
      tables += 1;
      const tableName = `executions-${tables}`;
      await dynamo.createExecutionsTable(tableName, REGION);
      await dynamo.createPlansTable(`plans-${tables}`, REGION);
      world.executions = new ExecutionStore(db, tableName);
      world.plans = new PlanStore(db, `plans-${tables}`);
      world.serveApi();
      gateway.requests.length = 0;
      gateway.callers.clear();
      world.started.clear();
      world.cleanupRuns.length = 0;
      output.stdout = '';
      output.stderr = '';
      mocks.cfn.reset();
      mocks.sfn.reset();
      mocks.cfn.on(DescribeStacksCommand).resolves({
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
      mocks.sfn.on(StartExecutionCommand).callsFake((input: { name: string; input: string }) => recordRun(input));
      mocks.sfn.on(DescribeExecutionCommand).callsFake(async ({ executionArn }: { executionArn: string }) => {
        const input = world.started.get(executionArn.split(':').pop() ?? '');
        if (input === undefined) {
          throw Object.assign(new Error(`Execution Does Not Exist: '${executionArn}'`), {
            name: 'ExecutionDoesNotExist',
          });
        }
        return { executionArn, status: 'SUCCEEDED', input, startDate: T0, stateMachineArn: STATE_MACHINE };
      });
    },

    /** The operator signing the CLI's requests (the keys of test/setup-env.ts), with the routes IAM allows them. */
    signedInAs(...access: RouteAccess[]) {
      gateway.callers.set(ACCESS_KEY, { secretAccessKey: SECRET, arn: CALLER, access });
    },

    planFile(plan: unknown = threeWavePlan()) {
      const path = join(dir, `plan-${tables}.json`);
      writeFileSync(path, JSON.stringify(plan));
      return path;
    },

    /** `drs-orchestrator run <args> --aws`, its exit code; what it printed is in `output`. */
    run(...args: string[]): Promise<number> {
      return world.cli('run', ...args, '--aws');
    },

    /** `drs-orchestrator <args>`, its exit code; what it printed is in `output`. */
    async cli(...args: string[]): Promise<number> {
      const listeners = process.stdout.listeners('error');
      const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((text) => {
        output.stdout += String(text);
        return true;
      });
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((text) => {
        output.stderr += String(text);
        return true;
      });
      try {
        return await main(['node', 'drs-orchestrator', ...args]);
      } finally {
        stdout.mockRestore();
        stderr.mockRestore();
        process.exitCode = undefined;
        // main() adds its EPIPE listener on each call.
        for (const listener of process.stdout.listeners('error')) {
          if (!listeners.includes(listener)) process.stdout.off('error', listener as (error: Error) => void);
        }
      }
    },

    /** The requests the gateway received, as `METHOD /path` under the stage. */
    calls: () => gateway.requests.map((r) => `${r.method} ${r.path.replace(new URL(gateway.apiUrl).pathname, '/')}`),

    async stop() {
      if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
      else process.env.AWS_ENDPOINT_URL_DYNAMODB = savedEndpoint;
      rmSync(dir, { recursive: true, force: true });
      await gateway.stop();
      apiSfn.destroy();
      dbClient.destroy();
      await dynamo.stop();
    },
  };

  /** What the workflow would record of an execution that launched every server. */
  const recordRun = async (input: { name: string; input: string }) => {
    const { plan, executionType } = JSON.parse(input.input) as { plan: Plan; executionType: 'DRILL' | 'RECOVERY' };
    const { executions } = world;
    world.started.set(input.name, input.input);
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
  };

  return world;
}
