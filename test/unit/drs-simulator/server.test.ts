import { DescribeJobsCommand, DrsClient } from '@aws-sdk/client-drs';
import { DrsSimulatorAlreadyStarted } from '../../../local/drs-simulator';
import { simulatorHarness } from './harness';

const start = simulatorHarness();

describe('DrsSimulator', () => {
  it('fails with DrsSimulatorAlreadyStarted when started twice', async () => {
    // Prepare
    const { sim } = await start();

    // Act
    const again = sim.start();

    // Assess
    await expect(again).rejects.toThrow(DrsSimulatorAlreadyStarted);
    await expect(again).rejects.toMatchObject({
      name: 'DrsSimulatorAlreadyStarted',
      message: 'The DRS simulator is already started',
    });
  });

  it('returns a stopped simulator that refuses connections', async () => {
    // Prepare
    const { client, sim, endpoint } = await start();
    await client.send(new DescribeJobsCommand({}));

    // Act
    await sim.stop();
    const fresh = new DrsClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      // The SDK's socket-usage check timer (requestTimeout + connectionTimeout, 3 s by default) is not
      // cleared when the connection is refused; zero both so it fires at once and Jest exits promptly.
      requestHandler: { requestTimeout: 0, connectionTimeout: 0 },
    });
    const call = fresh.send(new DescribeJobsCommand({})).finally(() => fresh.destroy());

    // Assess
    await expect(call).rejects.toThrow(/ECONNREFUSED/);
  });
});
