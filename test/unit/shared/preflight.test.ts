import { DescribeJobsCommand, DescribeSourceServersCommand, DrsClient } from '@aws-sdk/client-drs';
import { DEFAULT_DRS_LIMITS } from '../../../functions/shared/drs-limits';
import { InvalidPlan } from '../../../functions/shared/errors';
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

describe('preflight: tag-selected waves', () => {
  const sid = (n: number) => `s-${String(n).padStart(17, '0')}`;
  // 130 servers, more than two of DescribeSourceServers' pages: the shop's servers are on the last.
  const estate = {
    sourceServers: Array.from({ length: 130 }, (_, i) => ({
      sourceServerID: sid(i + 1),
      tags: i >= 120 ? { App: 'shop', Tier: i >= 125 ? 'app' : 'db' } : { App: 'other' },
    })),
  };
  const tagged: Plan = {
    planId: 'shop',
    name: 'shop',
    pollIntervalSeconds: 30,
    waves: [
      { name: 'Databases', sourceServerIDs: [], sourceServerTags: { App: 'shop', Tier: 'db' }, timeoutMinutes: 60 },
      {
        name: 'App',
        sourceServerIDs: [sid(1)],
        sourceServerTags: { Tier: 'app' },
        optionalSourceServerIDs: [sid(2)],
        timeoutMinutes: 60,
      },
    ],
  };

  it('resolves each wave to every server carrying all its tags, across every page, and checks the lock of each', async () => {
    // Prepare
    const { client } = await start({ scenario: estate });
    const asked: string[][] = [];
    const servers = {
      serversHeldElsewhere: async (args: { sourceServerIDs: readonly string[] }) => {
        asked.push([...args.sourceServerIDs]);
        return new Map();
      },
    };

    // Act
    const report = await preflight(client, tagged, DEFAULT_DRS_LIMITS, START, 'DRILL', { servers, executionId: 'e' });

    // Assess
    expect(report.invalid).toEqual([]);
    expect(report.notReady).toEqual([]);
    const db = [121, 122, 123, 124, 125].map(sid);
    const app = [126, 127, 128, 129, 130].map(sid);
    expect(report.members).toEqual([
      { sourceServerIDs: db, optionalSourceServerIDs: [], taggedSourceServerIDs: db },
      { sourceServerIDs: [sid(1), sid(2), ...app], optionalSourceServerIDs: [sid(2)], taggedSourceServerIDs: app },
    ]);
    expect(report.servers).toBe(12);
    expect(asked).toEqual([[...db, sid(1), sid(2), ...app]]);
  });

  it('is InvalidPlan naming the wave, its tags and the servers when two waves select a server, or tags match nothing', async () => {
    // Prepare
    const { client } = await start({ scenario: estate });
    const clash: Plan = {
      ...tagged,
      waves: [
        ...tagged.waves,
        { name: 'Shop', sourceServerIDs: [], sourceServerTags: { App: 'shop', Tier: 'app' }, timeoutMinutes: 60 },
        { name: 'Cache', sourceServerIDs: [], sourceServerTags: { Tier: 'cache' }, timeoutMinutes: 60 },
      ],
    };

    // Act
    const report = await preflight(client, clash, DEFAULT_DRS_LIMITS, START, 'DRILL');

    // Assess
    expect(report.invalid).toEqual([
      `wave 4 'Cache' (tags {"Tier":"cache"}): no DRS source server in this account and region carries all of these tags: check the tag keys and values (both are case-sensitive) or list the servers by ID`,
      `wave 2 'App' (tags {"Tier":"app"}) and wave 3 'Shop' (tags {"App":"shop","Tier":"app"}) both select ${[126, 127, 128, 129, 130].map(sid).join(', ')}: a server belongs to one wave: make the tags tell the waves apart, or take the server out of one`,
    ]);
    expect(() => assertReady(report)).toThrow(InvalidPlan);
  });

  it('checks a tag-selected server as it checks a listed one (a DRILL needs it CONTINUOUS)', async () => {
    // Prepare
    const sourceServers = estate.sourceServers.map((s) =>
      s.sourceServerID === sid(121) ? { ...s, replicationState: 'STALLED' } : s,
    );
    const { client } = await start({ scenario: { sourceServers } });

    // Act
    const report = await preflight(client, tagged, DEFAULT_DRS_LIMITS, START, 'DRILL');

    // Assess
    expect(report.notReady).toEqual([
      `wave 1 'Databases': ${sid(121)} replication is STALLED, not CONTINUOUS: wait until it is healthy`,
    ]);
  });
});
