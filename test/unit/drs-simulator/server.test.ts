import { DescribeJobsCommand } from '@aws-sdk/client-drs';
import { createDrsStartClient } from '../../../functions/shared/clients';
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
    const fresh = createDrsStartClient({
      region: 'us-east-1',
      drsEndpoint: endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const call = fresh.send(new DescribeJobsCommand({})).finally(() => fresh.destroy());

    // Assess
    await expect(call).rejects.toThrow(/ECONNREFUSED/);
  });
});
