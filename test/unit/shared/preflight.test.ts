import { DescribeJobsCommand, DescribeSourceServersCommand, DrsClient } from '@aws-sdk/client-drs';
import { DEFAULT_DRS_LIMITS } from '../../../functions/shared/drs-limits';
import { assertReady, preflight } from '../../../functions/shared/preflight';
import { replicationLagSeconds } from '../../../functions/shared/recovery-point';
import type { Plan } from '../../../functions/shared/types';
import { mockDrs, whenDrs } from '../../support/drs-mock';
import { S1, S2, START, simulatorHarness } from '../drs-simulator/harness';

const start = simulatorHarness();

const plan: Plan = {
  planId: 'outage',
  name: 'outage',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: [S1], timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: [S2], timeoutMinutes: 60 },
  ],
};

const outage = {
  sourceServers: [
    { sourceServerID: S1, replicationState: 'STALLED', lastSnapshotAgeSeconds: 1800 },
    { sourceServerID: S2, replicationState: 'DISCONNECTED', lastSnapshotAgeSeconds: 7200 },
  ],
};

describe('preflight', () => {
  describe('a RECOVERY during an outage (the source site is down)', () => {
    it('is ready when every server has a recovery snapshot, warning about each non-CONTINUOUS server and its data age', async () => {
      // Prepare
      const { client } = await start({ scenario: outage });

      // Act
      const report = await preflight(client, plan, DEFAULT_DRS_LIMITS, START, 'RECOVERY');

      // Assess
      expect(report.invalid).toEqual([]);
      expect(report.notReady).toEqual([]);
      expect(() => assertReady(report)).not.toThrow();
      expect(report.warnings).toEqual([
        `wave 1 'Databases': ${S1} replication is STALLED, not CONTINUOUS: it is recovered from its latest snapshot (2025-12-31T23:30:00.000Z), data age 30m 00s (1800 s)`,
        `wave 2 'App': ${S2} replication is DISCONNECTED, not CONTINUOUS: it is recovered from its latest snapshot (2025-12-31T22:00:00.000Z), data age 2h 00m (7200 s)`,
      ]);
      expect(report.waves).toEqual([
        { dataAges: [{ sourceServerID: S1, dataAgeSeconds: 1800 }], warnings: [report.warnings[0]] },
        { dataAges: [{ sourceServerID: S2, dataAgeSeconds: 7200 }], warnings: [report.warnings[1]] },
      ]);
    });

    it('is PlanNotReady for a server DRS has no snapshot of, naming it', async () => {
      // Prepare
      const { client } = await start({
        scenario: {
          sourceServers: [
            outage.sourceServers[0],
            { sourceServerID: S2, replicationState: 'STALLED', lastSnapshotAgeSeconds: null },
          ],
        },
      });

      // Act
      const report = await preflight(client, plan, DEFAULT_DRS_LIMITS, START, 'RECOVERY');

      // Assess
      expect(report.notReady).toEqual([
        `wave 2 'App': ${S2} has no recovery snapshot (replication is STALLED): DRS has no data to recover it from`,
      ]);
      expect(() => assertReady(report)).toThrow(expect.objectContaining({ name: 'PlanNotReady' }));
    });

    it('reports a CONTINUOUS server as fresh (DRS takes a new snapshot at launch) and warns about nothing', async () => {
      const { client } = await start();
      const report = await preflight(client, plan, DEFAULT_DRS_LIMITS, START, 'RECOVERY');
      expect(report.notReady).toEqual([]);
      expect(report.warnings).toEqual([]);
      expect(report.waves.flatMap((w) => w.dataAges)).toEqual([
        { sourceServerID: S1, dataAgeSeconds: 0 },
        { sourceServerID: S2, dataAgeSeconds: 0 },
      ]);
    });
  });

  describe('a DRILL', () => {
    it('keeps requiring CONTINUOUS replication, snapshot or not', async () => {
      // Prepare
      const { client, sim } = await start({ scenario: outage });

      // Act
      const report = await preflight(client, plan, DEFAULT_DRS_LIMITS, START, 'DRILL');

      // Assess
      expect(report.notReady).toEqual([
        `wave 1 'Databases': ${S1} replication is STALLED, not CONTINUOUS: wait until it is healthy`,
        `wave 2 'App': ${S2} replication is DISCONNECTED, not CONTINUOUS: wait until it is healthy`,
      ]);
      expect(sim.counts().describeRecoverySnapshotsCalls).toBe(0);
    });
  });

  it('reads the replication lag as the data age of a CONTINUOUS server', async () => {
    // Prepare
    const drs = mockDrs();
    whenDrs(drs, DescribeSourceServersCommand).resolves({
      items: [S1, S2].map((sourceServerID, i) => ({
        sourceServerID,
        dataReplicationInfo: { dataReplicationState: 'CONTINUOUS', lagDuration: i === 0 ? 'PT2.5S' : 'PT1M30S' },
      })),
    });
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [] });

    // Act
    const report = await preflight(new DrsClient({ region: 'us-east-1' }), plan, DEFAULT_DRS_LIMITS, START, 'DRILL');

    // Assess
    expect(report.waves.flatMap((w) => w.dataAges)).toEqual([
      { sourceServerID: S1, dataAgeSeconds: 3 },
      { sourceServerID: S2, dataAgeSeconds: 90 },
    ]);
    drs.restore();
  });
});

describe('replicationLagSeconds', () => {
  it.each([
    [undefined, 0],
    ['PT0S', 0],
    ['PT45S', 45],
    ['PT1H2M3S', 3723],
    ['P1DT1S', 86401],
    ['P2D', 172800],
  ])('reads %s as %d seconds', (lagDuration, seconds) => {
    expect(replicationLagSeconds({ dataReplicationInfo: { lagDuration } })).toBe(seconds);
  });

  it.each(['soon', 'P', 'PT', '10'])('does not guess at %s', (lagDuration) => {
    expect(replicationLagSeconds({ dataReplicationInfo: { lagDuration } })).toBeUndefined();
  });
});
