import { parseScenario } from '../../local/drs-simulator';
import { runLocalExecution } from '../../local/run-local-execution';

/**
 * Issue 15, item 2: a short DRS outage must not end a live recovery. A wave that has started its
 * job keeps polling it, backing off in simulated time, until DRS answers or the wave's deadline
 * comes; before any job starts, an outage fails the run early with nothing launched.
 */
const DB = ['s-0db00000000000001', 's-0db00000000000002'];
const APP = ['s-0app0000000000001'];
const plan = {
  planId: 'wobble',
  name: 'Wobble',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: DB, timeoutMinutes: 30 },
    { name: 'App', sourceServerIDs: APP, timeoutMinutes: 30 },
  ],
};
// The databases take ten minutes to launch, so an outage from 120 s strikes in mid-wave. The wave's
// first check comes at the launch wait's fallback (600 s: no launch event before then), in the outage.
const slowDatabases = Object.fromEntries(DB.map((id) => [id, { afterSeconds: 600 }]));
const run = (scenario: unknown, executionType: 'DRILL' | 'RECOVERY' = 'DRILL') =>
  runLocalExecution({ input: { plan, executionType }, scenario: parseScenario(scenario) });

describe('a DRS outage after a wave started its job', () => {
  it('is survived: the wave keeps polling through 900 s of DescribeJobs errors and COMPLETED, with one job', async () => {
    const r = await run({
      launches: slowDatabases,
      outages: [{ operations: ['DescribeJobs'], fromSeconds: 120, forSeconds: 900, error: 'InternalServerException' }],
    });

    expect(r.result.status).toBe('COMPLETED');
    expect(r.result.waves.map((w) => w.status)).toEqual(['COMPLETED', 'COMPLETED']);
    expect(r.result.drs.jobsCreated).toBe(2);
    expect(
      r.jobs.filter((job) => job.participatingServers?.some((s) => DB.includes(s.sourceServerID ?? ''))),
    ).toHaveLength(1);
    // The outage is on the wave, from its first failed poll to the first poll DRS answered.
    const [outage] = r.result.waves[0]?.outages ?? [];
    expect(outage).toMatchObject({ operation: 'DescribeJobs', since: '2026-01-01T00:10:00.000Z' });
    expect(Date.parse(outage?.until ?? '')).toBeGreaterThanOrEqual(Date.parse('2026-01-01T00:17:00.000Z'));
    expect(outage?.lastError).toContain('InternalServerException');
    expect(r.result.warnings).toContainEqual(
      expect.stringContaining("Wave 1 'Databases': DRS did not answer DescribeJobs from 2026-01-01T00:10:00.000Z to"),
    );
    // The waits backed off: far fewer polls than one every 30 s through the outage.
    expect(outage?.attempts).toBeLessThanOrEqual(8);
    expect(r.retries['Check the wave'] ?? 0).toBe(0);
  });

  it('is survived when DRS throttles every operation', async () => {
    const r = await run({
      launches: slowDatabases,
      outages: [{ operations: 'all', fromSeconds: 120, forSeconds: 600, error: 'ThrottlingException' }],
    });

    expect(r.result.status).toBe('COMPLETED');
    expect(r.result.waves[0]?.outages?.[0]).toMatchObject({ operation: 'DescribeJobs' });
    expect(r.result.waves[0]?.outages?.[0]?.lastError).toContain('ThrottlingException');
  });

  it('ends the wave TIMED_OUT at its deadline, naming the outage, when DRS does not answer until then', async () => {
    const r = await run({
      launches: slowDatabases,
      outages: [{ operations: ['DescribeJobs'], fromSeconds: 120, forSeconds: 7200 }],
    });

    expect(r.result).toMatchObject({ status: 'TIMED_OUT', error: 'WaveTimedOut' });
    expect(r.result.waves.map((w) => w.status)).toEqual(['TIMED_OUT', 'NOT_STARTED']);
    expect(r.result.cause).toMatch(
      /^Wave 1 'Databases' TIMED_OUT after 30 minutes \(DRS job drsjob-\w+\): DRS did not answer DescribeJobs since 2026-01-01T00:10:00.000Z \(\d+ attempts, last error: InternalServerException/,
    );
    expect(r.result.cause).toContain('the DRS job may still be running');
    expect(r.result.waves[0]?.reason).toContain('DRS did not answer DescribeJobs');
    // Ended at the deadline, not before: 30 minutes after the wave started.
    expect(r.result.waves[0]?.endedAt).toBe('2026-01-01T00:30:00.000Z');
    expect(r.result.drs.jobsCreated).toBe(1);
  });
});

describe('a DRS outage before any job started', () => {
  it('fails the run early with nothing launched and a cause that names the outage', async () => {
    const r = await run({ outages: [{ operations: 'all', fromSeconds: 0, forSeconds: 3600 }] });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'DrsUnavailable' });
    // The preflight reads DescribeSourceServers and DescribeJobs at once: whichever failed first is named.
    expect(r.result.cause).toMatch(
      /^DRS did not answer the preflight, so nothing was launched: DRS (DescribeSourceServers|DescribeJobs) failed with InternalServerException: .+\. Start the DRILL again once DRS answers\.$/,
    );
    expect(r.result.drs).toMatchObject({ jobsCreated: 0, startRecoveryCalls: 0 });
    expect(r.simulatedSeconds).toBeLessThan(600);
  });
});
