import { buildReport } from '../../../../functions/shared/report/report-facts';
import { APP1, APP2, at, DB2, DRS_REASON, finishedDrill } from '../../../fixtures/report-records';

const NOW = new Date('2026-01-01T01:00:00.000Z');

describe('buildReport', () => {
  it('returns the header facts: plan, type, who started it, start and end, verdict and error', () => {
    const report = buildReport(finishedDrill(), NOW);

    expect(report.execution).toMatchObject({
      planId: 'three-tier',
      planName: 'Three tier',
      executionType: 'DRILL',
      status: 'FAILED',
      error: 'WaveFailed',
      startedBy: 'arn:aws:sts::111122223333:assumed-role/DrillOperator/alice',
      startedAt: at(0),
      endedAt: at(14),
    });
  });

  it('returns RTO and RPO against their targets, and names every missed target', () => {
    const report = buildReport(finishedDrill(), NOW);

    // The RTO runs to the last wave's verdict; a FAILED execution did not meet it.
    expect(report.rto).toEqual({ targetMinutes: 30, actualSeconds: 840, met: false });
    expect(report.rpo).toEqual({ targetMinutes: 5, maxDataAgeSeconds: 400, met: false, oldestServer: DB2 });
    expect(report.missedTargets).toEqual([
      'RTO target missed: the execution ended FAILED after 14m 00s without recovering every wave (30 min allowed)',
      'RPO target missed: 5 min allowed, the oldest data launched was 6m 40s old',
      "wave 1 'Databases' missed its target of 8 min",
    ]);
  });

  it('returns each server with its recovery instance, launch time, time to launch and data age', () => {
    const [databases] = buildReport(finishedDrill(), NOW).waves;

    expect(databases?.servers[1]).toEqual({
      sourceServerID: DB2,
      optional: false,
      launchStatus: 'LAUNCHED',
      recoveryInstanceID: 'i-0db0000000000002a',
      launchedAt: at(8.5),
      secondsToLaunch: 510,
      dataAgeSeconds: 400,
      failed: false,
      reason: null,
    });
    expect(databases).toMatchObject({ jobId: 'drsjob-227735a59c0496ec9', durationSeconds: 510, targetMet: false });
  });

  it('returns each failed server with what DRS said about it', () => {
    const report = buildReport(finishedDrill(), NOW);

    expect(report.failedServers).toEqual([
      {
        wave: 'Application servers',
        sourceServerID: APP2,
        launchStatus: 'FAILED',
        reason: `DRS: ${DRS_REASON}`,
      },
    ]);
    expect(report.waves[1]?.servers.find((s) => s.sourceServerID === APP1)?.failed).toBe(false);
    expect(report.jobIds).toEqual(['drsjob-227735a59c0496ec9', 'drsjob-a1feef7ac8cea2d4e']);
  });

  it('finds an optional server reason after the note that introduces optional servers', () => {
    const records = finishedDrill();
    const wave = records.waves[1] as (typeof records.waves)[number];
    wave.optionalSourceServerIDs = [APP1];
    wave.optionalFailedServers = [APP1];
    wave.servers = [
      { sourceServerID: APP1, launchStatus: 'FAILED' },
      { sourceServerID: APP2, launchStatus: 'FAILED' },
    ];
    wave.reason = `${APP2} FAILED - DRS: x; optional server not launched (the verdict ignores them): ${APP1} FAILED - DRS: y`;

    const servers = buildReport(records, NOW).waves[1]?.servers;

    expect(servers?.find((s) => s.sourceServerID === APP1)).toMatchObject({
      optional: true,
      reason: 'DRS: y',
    });
  });

  it('returns the approval wait, the wave actions and the cleanup when the records hold them', () => {
    const records = finishedDrill();
    const approval = { requestedAt: at(8.5), timeoutAt: at(68.5), decision: 'APPROVED', by: 'bob', at: at(9) };
    const actions = [{ name: 'smoke test', phase: 'POST', status: 'SUCCEEDED', startedAt: at(9), endedAt: at(10) }];
    const cleanup = { status: 'SCHEDULED', scheduledFor: at(134), terminatedInstanceIDs: [], failed: [] };
    Object.assign(records.waves[1] as object, { approval, actions });
    Object.assign(records.execution, { cleanup });

    const report = buildReport(records, NOW);

    expect(report.waves[1]).toMatchObject({ approval, actions });
    expect(report.cleanup).toEqual(cleanup);
    const without = buildReport(finishedDrill(), NOW);
    expect(without.cleanup).toBeNull();
    expect(without.waves[1]).toMatchObject({ approval: null, actions: [] });
  });
});
