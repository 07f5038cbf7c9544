import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { createApi } from '../../../functions/api/api';
import { createDrsClient } from '../../../functions/shared/clients';
import type { Plan } from '../../../functions/shared/types';
import { DrsSimulator, parseScenario } from '../../../local/drs-simulator';
import { SimulatedClock } from '../../../local/simulated-clock';
import { serverId } from '../../support/store';
import { executionArn, parsed, request, STATE_MACHINE_ARN, startApiHarness } from './harness';

const sfn = mockClient(SFNClient);
const T0 = new Date('2026-01-01T00:00:00Z');

const plan: Plan = {
  planId: 'three-tier',
  name: 'Three tier',
  pollIntervalSeconds: 30,
  waves: [{ name: 'Databases', sourceServerIDs: [serverId(1), serverId(2)], timeoutMinutes: 60 }],
};
/** Another plan sharing one server (serverId(2)) with the one above. */
const other: Plan = {
  planId: 'reporting',
  name: 'Reporting',
  pollIntervalSeconds: 30,
  waves: [{ name: 'Reports', sourceServerIDs: [serverId(2), serverId(3)], timeoutMinutes: 60 }],
};

describe("start routes: the workflow's preflight, against the DRS simulator", () => {
  let harness: Awaited<ReturnType<typeof startApiHarness>>;
  let simulator: DrsSimulator;
  let drs: ReturnType<typeof createDrsClient>;

  beforeAll(async () => {
    harness = await startApiHarness();
    simulator = new DrsSimulator({
      scenario: parseScenario({}),
      clock: new SimulatedClock(T0),
      planServerIDs: [serverId(1), serverId(2), serverId(3)],
    });
    drs = createDrsClient({
      region: 'us-east-1',
      drsEndpoint: await simulator.start(),
      credentials: { accessKeyId: 't', secretAccessKey: 't' },
    });
  });
  afterAll(async () => {
    drs.destroy();
    await simulator.stop();
    await harness.stop();
  });
  beforeEach(() => sfn.reset());

  const apiWithDrs = async () => {
    const env = await harness.fresh();
    const api = createApi({
      executions: env.executions,
      plans: env.plans,
      sfn: new SFNClient({ region: 'us-east-1' }),
      stateMachineArn: STATE_MACHINE_ARN,
      region: 'us-east-1',
      clock: env.clock,
      drs,
    });
    await env.plans.create(plan, T0);
    return {
      env,
      startDrill: async () =>
        parsed(await api(request('POST', '/plans/{planId}/drills', { pathParameters: { planId: plan.planId } }))),
    };
  };

  it('starts a drill of a plan whose servers no live execution holds', async () => {
    const { startDrill } = await apiWithDrs();
    sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => ({ executionArn: executionArn(input.name) }));

    await expect(startDrill()).resolves.toMatchObject({ statusCode: 202 });
  });

  it("fails with 400 naming the server and the other plan's live execution that holds it, and starts nothing", async () => {
    const { env, startDrill } = await apiWithDrs();
    await env.executions.createExecution({
      executionId: 'reporting-drill-1',
      plan: other,
      executionType: 'DRILL',
      startedAt: T0,
    });
    await env.executions.claimServers({ executionId: 'reporting-drill-1', plan: other, now: T0 });

    const response = await startDrill();

    expect(response.statusCode).toBe(400);
    const problems = (response.body.problems ?? []) as string[];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(serverId(2));
    expect(problems[0]).toContain('reporting-drill-1');
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});
