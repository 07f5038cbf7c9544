import { DescribeJobsCommand, StartRecoveryCommand } from '@aws-sdk/client-drs';
import {
  createDocumentClient,
  createDrsClient,
  createDrsStartClient,
  createDynamoDbClient,
  createTaskDeps,
} from '../../../functions/shared/clients';
import { systemClock } from '../../../functions/shared/clock';
import { DrsSimulator, parseScenario } from '../../../local/drs-simulator';
import { SimulatedClock } from '../../../local/simulated-clock';

type Setting<T> = T | (() => Promise<T>);
/** The client's resolved retry settings (client-drs 3.523 keeps some as values, newer clients as providers). */
const retryOf = async (client: { config: unknown }) => {
  const config = client.config as { maxAttempts: Setting<number>; retryMode: Setting<string> };
  const resolve = async <T>(setting: Setting<T>) =>
    typeof setting === 'function' ? (setting as () => Promise<T>)() : setting;
  return { maxAttempts: await resolve(config.maxAttempts), retryMode: await resolve(config.retryMode) };
};
const connection = { region: 'eu-west-1' };

describe('the client factory', () => {
  it('retries DynamoDB in standard mode, 6 attempts, for the stores too', async () => {
    expect(await retryOf(createDynamoDbClient(connection))).toEqual({ maxAttempts: 6, retryMode: 'standard' });
    expect(await retryOf(createDocumentClient(connection))).toEqual({ maxAttempts: 6, retryMode: 'standard' });
  });

  it('retries the DRS reads in standard mode, 4 attempts', async () => {
    expect(await retryOf(createDrsClient(connection))).toEqual({ maxAttempts: 4, retryMode: 'standard' });
  });

  it('never retries StartRecovery in the SDK: a lost response is an uncertain outcome the caller resolves', async () => {
    expect((await retryOf(createDrsStartClient(connection))).maxAttempts).toBe(1);
  });

  it('gives every task the same clients', async () => {
    const deps = createTaskDeps({ ...connection, executionsTableName: 'executions', clock: systemClock });
    expect(await retryOf(deps.drs)).toEqual({ maxAttempts: 4, retryMode: 'standard' });
    expect((await retryOf(deps.drsStart)).maxAttempts).toBe(1);
    expect(deps.plans).toBeUndefined();
  });

  it('connects to a local endpoint with the given credentials', async () => {
    const client = createDrsClient({
      region: 'us-east-1',
      drsEndpoint: 'http://127.0.0.1:4000',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const endpoint = await (
      client.config as { endpoint: () => Promise<{ hostname: string; port?: number }> }
    ).endpoint();
    expect(endpoint).toMatchObject({ hostname: '127.0.0.1', port: 4000 });
  });

  describe('against a DRS that never answers', () => {
    const S1 = 's-0a1b2c3d4e5f60001';
    const drsTimeouts = { connectionMs: 500, readRequestMs: 500, startRequestMs: 500 };
    let sim: DrsSimulator;
    let drsEndpoint: string;
    beforeEach(async () => {
      sim = new DrsSimulator({
        scenario: parseScenario({ faults: { StartRecovery: { hangTimes: 1 }, DescribeJobs: { hangTimes: 1 } } }),
        clock: new SimulatedClock(),
        planServerIDs: [S1],
      });
      drsEndpoint = await sim.start();
    });
    afterEach(() => sim.stop());
    const local = () => ({
      region: 'us-east-1',
      drsEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      drsTimeouts,
    });

    it('gives up on a hung read and retries it in the SDK', async () => {
      const client = createDrsClient(local());
      try {
        await expect(client.send(new DescribeJobsCommand({}))).resolves.toMatchObject({ items: [] });
      } finally {
        client.destroy();
      }
      expect(sim.counts()).toMatchObject({ describeJobsCalls: 2, hungCalls: 1 });
    });

    it('gives up on a hung StartRecovery with a TimeoutError and never calls it again', async () => {
      const client = createDrsStartClient(local());
      const start = new StartRecoveryCommand({ sourceServers: [{ sourceServerID: S1 }], isDrill: true });
      try {
        await expect(client.send(start)).rejects.toMatchObject({ name: 'TimeoutError' });
      } finally {
        client.destroy();
      }
      expect(sim.counts()).toMatchObject({ startRecoveryCalls: 1, jobsCreated: 1, hungCalls: 1 });
    });
  });
});
