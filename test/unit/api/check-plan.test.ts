import { SFNClient } from '@aws-sdk/client-sfn';
import { createApi } from '../../../functions/api/api';
import type { CheckReport } from '../../../functions/api/check-plan';
import { createDrsClient } from '../../../functions/shared/clients';
import type { Plan } from '../../../functions/shared/types';
import { DrsSimulator, parseScenario } from '../../../local/drs-simulator';
import { SimulatedClock } from '../../../local/simulated-clock';
import { serverId } from '../../support/store';
import { parsed, request, STATE_MACHINE_ARN, startApiHarness } from './harness';

const T0 = new Date('2026-01-01T00:00:00Z');

/** Wave 1 is ready; wave 2 has a STALLED server without a snapshot and a server DRS does not know. */
const plan: Plan = {
  planId: 'three-tier',
  name: 'Three tier',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: [serverId(1)], timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: [serverId(2), serverId(4)], timeoutMinutes: 60 },
  ],
};
const ready: Plan = { ...plan, planId: 'db-only', waves: [plan.waves[0] as Plan['waves'][number]] };

describe('POST /plans/{planId}/check: the preflight alone, against the DRS simulator', () => {
  let harness: Awaited<ReturnType<typeof startApiHarness>>;
  let simulator: DrsSimulator;
  let drs: ReturnType<typeof createDrsClient>;
  let check: (planId: string, body?: unknown, rawBody?: string) => Promise<ReturnType<typeof parsed>>;
  let env: Awaited<ReturnType<typeof harness.fresh>>;

  beforeAll(async () => {
    harness = await startApiHarness();
    simulator = new DrsSimulator({
      scenario: parseScenario({
        sourceServers: [
          { sourceServerID: serverId(1) },
          { sourceServerID: serverId(2), replicationState: 'STALLED', lastSnapshotAgeSeconds: null },
          { sourceServerID: serverId(3) },
        ],
      }),
      clock: new SimulatedClock(T0),
      planServerIDs: [],
    });
    drs = createDrsClient({
      region: 'us-east-1',
      drsEndpoint: await simulator.start(),
      credentials: { accessKeyId: 't', secretAccessKey: 't' },
    });
    env = await harness.fresh();
    const api = createApi({
      executions: env.executions,
      plans: env.plans,
      sfn: new SFNClient({ region: 'us-east-1' }),
      stateMachineArn: STATE_MACHINE_ARN,
      region: 'us-east-1',
      clock: { now: () => T0 },
      drs,
    });
    await env.plans.create(plan, T0);
    await env.plans.create(ready, T0);
    check = async (planId, body, rawBody) =>
      parsed(
        await api(
          request('POST', '/plans/{planId}/check', {
            pathParameters: { planId },
            ...(body === undefined ? {} : { body }),
            ...(rawBody === undefined ? {} : { rawBody }),
          }),
        ),
      );
  });
  afterAll(async () => {
    drs.destroy();
    await simulator.stop();
    await harness.stop();
  });

  it('answers ready for a plan DRS can run, a DRILL when the body is left out', async () => {
    const { statusCode, body } = await check('db-only');
    expect(statusCode).toBe(200);
    expect(body).toMatchObject({ planId: 'db-only', executionType: 'DRILL', ready: true, problems: [], servers: 1 });
    expect(body.error).toBeUndefined();
    expect(body.waves).toEqual([
      {
        waveIndex: 0,
        name: 'Databases',
        servers: [{ sourceServerID: serverId(1), problems: [] }],
        problems: [],
        warnings: [],
      },
    ]);
  });

  it('lists every problem, each under its wave and server, and starts nothing', async () => {
    const { statusCode, body } = await check('three-tier', {});
    expect(statusCode).toBe(200);
    const report = body as unknown as CheckReport;
    expect(report).toMatchObject({ ready: false, error: 'InvalidPlan', executionType: 'DRILL' });
    const stalled = `wave 2 'App': ${serverId(2)} replication is STALLED, not CONTINUOUS: wait until it is healthy`;
    const unknown = `wave 2 'App': ${serverId(4)} is not a DRS source server in this account and region`;
    expect([...report.problems].sort()).toEqual([stalled, unknown].sort());
    expect(report.waves[0]?.problems).toEqual([]);
    expect([...(report.waves[1]?.problems ?? [])].sort()).toEqual([stalled, unknown].sort());
    expect(report.waves[1]?.servers).toEqual([
      { sourceServerID: serverId(2), problems: [stalled] },
      { sourceServerID: serverId(4), problems: [unknown] },
    ]);
    await expect(env.executions.listExecutions({ limit: 10 })).resolves.toMatchObject({ items: [] });
  });

  it('checks a RECOVERY when asked: a server with no snapshot cannot be recovered', async () => {
    const { body } = await check('three-tier', { executionType: 'RECOVERY' });
    expect(body.executionType).toBe('RECOVERY');
    expect(body.problems).toContain(
      `wave 2 'App': ${serverId(2)} has no recovery snapshot (replication is STALLED): DRS has no data to recover it from`,
    );
  });

  it('refuses a body other than the execution type with 400 naming each problem', async () => {
    const { statusCode, body } = await check('three-tier', { executionType: 'FAILOVER', extra: 1 });
    expect(statusCode).toBe(400);
    expect(body.problems).toEqual([
      'executionType: must be DRILL or RECOVERY (got "FAILOVER")',
      "unexpected field 'extra': the body has only executionType",
    ]);
    await expect(check('three-tier', undefined, '{not json')).resolves.toMatchObject({ statusCode: 400 });
  });

  it('answers 404 for an unknown plan', async () => {
    await expect(check('nope')).resolves.toMatchObject({
      statusCode: 404,
      body: { message: "no plan with planId 'nope'" },
    });
  });
});
