import { DescribeRecoverySnapshotsCommand } from '@aws-sdk/client-drs';
import { at, S1, S2, simulatorHarness } from './harness';

const start = simulatorHarness();

describe('DrsSimulator DescribeRecoverySnapshots', () => {
  it('returns the latest snapshot lastSnapshotAgeSeconds before the start, newest first with order DESC', async () => {
    // Prepare
    const { client } = await start({
      scenario: { sourceServers: [{ sourceServerID: S1, replicationState: 'STALLED', lastSnapshotAgeSeconds: 3600 }] },
    });

    // Act
    const { items } = await client.send(
      new DescribeRecoverySnapshotsCommand({ sourceServerID: S1, order: 'DESC', maxResults: 1 }),
    );

    // Assess
    expect(items).toHaveLength(1);
    expect(items?.[0]).toMatchObject({ sourceServerID: S1, timestamp: at(-3600), expectedTimestamp: at(-3600) });
    expect(items?.[0]?.snapshotID).toMatch(/^pit-[0-9a-zA-Z]{17}$/);
  });

  it('returns 300-second-old data by default, oldest first without an order, over pages', async () => {
    // Prepare
    const { client } = await start();

    // Act
    const first = await client.send(new DescribeRecoverySnapshotsCommand({ sourceServerID: S2, maxResults: 4 }));
    const rest = await client.send(
      new DescribeRecoverySnapshotsCommand({ sourceServerID: S2, maxResults: 4, nextToken: first.nextToken }),
    );

    // Assess
    const times = [...(first.items ?? []), ...(rest.items ?? [])].map((s) => s.timestamp);
    expect(times).toEqual([at(-3300), at(-2700), at(-2100), at(-1500), at(-900), at(-300)]);
    expect(rest.nextToken).toBeUndefined();
  });

  it('returns no snapshot for a server the scenario gives none (lastSnapshotAgeSeconds null)', async () => {
    const { client } = await start({
      scenario: {
        sourceServers: [{ sourceServerID: S1, replicationState: 'DISCONNECTED', lastSnapshotAgeSeconds: null }],
      },
    });
    expect((await client.send(new DescribeRecoverySnapshotsCommand({ sourceServerID: S1 }))).items).toEqual([]);
  });

  it('refuses an unknown server as DRS does', async () => {
    const { client } = await start({ scenario: { sourceServers: [{ sourceServerID: S1 }] } });
    await expect(client.send(new DescribeRecoverySnapshotsCommand({ sourceServerID: S2 }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
