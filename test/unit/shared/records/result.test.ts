import type { ExecutionRecord } from '../../../../functions/shared/records/execution-records';
import { toResult } from '../../../../functions/shared/records/result';
import { newWaveRecords, parseWave, type WaveRecord } from '../../../../functions/shared/records/wave-records';
import type { Plan } from '../../../../functions/shared/types';
import { serverId } from '../../../support/store';

const EXECUTION: ExecutionRecord = {
  executionId: 'exec-1',
  planId: 'estate',
  executionType: 'DRILL',
  status: 'POLLING',
  waveCount: 4,
  completedWaves: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
};

/** Databases first; App and Reporting both need only Databases; Web needs App. */
const branchingPlan = (): Plan => ({
  planId: 'estate',
  name: 'Estate',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: [serverId(1)], timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: [serverId(2)], timeoutMinutes: 60, dependsOn: ['Databases'] },
    { name: 'Reporting', sourceServerIDs: [serverId(3)], timeoutMinutes: 60, dependsOn: ['Databases'] },
    { name: 'Web', sourceServerIDs: [serverId(4)], timeoutMinutes: 60 },
  ],
});

describe('toResult (the result view)', () => {
  it('gives each wave its dependencies resolved: the plan’s, the previous wave when absent, [] for the first', () => {
    const result = toResult(EXECUTION, newWaveRecords('exec-1', branchingPlan()));
    expect(result.waves.map((w) => [w.name, w.dependsOn])).toEqual([
      ['Databases', []],
      ['App', ['Databases']],
      ['Reporting', ['Databases']],
      ['Web', ['Reporting']],
    ]);
  });

  it('keeps a wave that depends on nothing at []', () => {
    const plan = branchingPlan();
    plan.waves[3] = { ...(plan.waves[3] as Plan['waves'][number]), dependsOn: [] };
    expect(toResult(EXECUTION, newWaveRecords('exec-1', plan)).waves[3]?.dependsOn).toEqual([]);
  });

  it('reads a record made before dependencies were kept as depending on the previous wave', () => {
    const legacy = newWaveRecords('exec-1', branchingPlan()).map(({ dependsOn: _, ...wave }) => wave);
    expect(toResult(EXECUTION, legacy).waves.map((w) => w.dependsOn)).toEqual([
      [],
      ['Databases'],
      ['App'],
      ['Reporting'],
    ]);
  });

  it('lists the waves in plan order, with their own start and end, whatever order they ended in', () => {
    const [databases, app, reporting, web] = newWaveRecords('exec-1', branchingPlan()) as [
      WaveRecord,
      WaveRecord,
      WaveRecord,
      WaveRecord,
    ];
    // Reporting ended before App; the waves are handed over in the order they ended.
    const ended: WaveRecord[] = [
      { ...databases, status: 'COMPLETED', startedAt: '2026-01-01T00:00:05.000Z', endedAt: '2026-01-01T00:10:00.000Z' },
      { ...reporting, status: 'COMPLETED', startedAt: '2026-01-01T00:10:01.000Z', endedAt: '2026-01-01T00:15:00.000Z' },
      { ...app, status: 'FAILED', startedAt: '2026-01-01T00:10:02.000Z', endedAt: '2026-01-01T00:20:00.000Z' },
      { ...web, status: 'NOT_STARTED' },
    ];
    const waves = toResult(EXECUTION, ended).waves;
    expect(waves.map((w) => w.name)).toEqual(['Databases', 'App', 'Reporting', 'Web']);
    expect(waves[1]).toMatchObject({ startedAt: '2026-01-01T00:10:02.000Z', endedAt: '2026-01-01T00:20:00.000Z' });
    expect(waves[2]).toMatchObject({ startedAt: '2026-01-01T00:10:01.000Z', endedAt: '2026-01-01T00:15:00.000Z' });
    expect(waves[3]).not.toHaveProperty('startedAt');
    expect(waves[3]).not.toHaveProperty('endedAt');
  });

  it('shows a wave WAITING_FOR_CAPACITY as recorded', () => {
    const [databases, app] = newWaveRecords('exec-1', branchingPlan()) as [WaveRecord, WaveRecord];
    const waves = toResult(EXECUTION, [
      { ...databases, status: 'COMPLETED' },
      { ...app, status: 'WAITING_FOR_CAPACITY' },
    ]).waves;
    expect(waves[1]).toMatchObject({ status: 'WAITING_FOR_CAPACITY', dependsOn: ['Databases'] });
    expect(waves[1]).not.toHaveProperty('startedAt');
  });
});

describe('parseWave', () => {
  it('reads a wave recorded WAITING_FOR_CAPACITY', () => {
    const [wave] = newWaveRecords('exec-1', branchingPlan());
    expect(parseWave({ ...wave, status: 'WAITING_FOR_CAPACITY' }, 'exec-1').status).toBe('WAITING_FOR_CAPACITY');
  });
});
