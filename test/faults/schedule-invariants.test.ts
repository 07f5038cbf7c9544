import type { Job } from '@aws-sdk/client-drs';
import {
  dependencyViolations,
  drsQuotaViolations,
  planQuotaViolations,
  type RecordedRun,
  type SchedulingPlan,
} from './schedule-invariants';

/**
 * The fault matrix's schedule checks against doctored timelines: a true one passes, and each lie
 * (a wave started early, a start after a failure under STOP, a wave left behind under CONTINUE, a
 * quota exceeded for a moment) is named.
 */
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

const plan = (extra: Partial<SchedulingPlan> = {}): SchedulingPlan => ({
  waves: [
    { name: 'App A', dependsOn: ['Database A'] },
    { name: 'Database A', dependsOn: [] },
    { name: 'Database B', dependsOn: [] },
    { name: 'App B', dependsOn: ['Database B'] },
    { name: 'Web', dependsOn: ['App A', 'App B'] },
  ],
  ...extra,
});

type Wave = RecordedRun['waves'][number];
const wave = (index: number, status: Wave['status'], from?: number, to?: number): Wave => ({
  index,
  name: plan().waves[index]?.name as string,
  status,
  ...(from === undefined ? {} : { startedAt: iso(from) }),
  ...(to === undefined ? {} : { endedAt: iso(to) }),
});

const job = (
  id: string,
  index: number,
  from: number,
  to: number | undefined,
  servers = 2,
  executionId = 'e1',
): Job => ({
  jobID: id,
  type: 'LAUNCH',
  creationDateTime: iso(from),
  ...(to === undefined ? {} : { endDateTime: iso(to) }),
  participatingServers: Array.from({ length: servers }, (_, n) => ({ sourceServerID: `s-${id}-${n}` })),
  tags: { 'drs-orchestrator:execution-id': executionId, 'drs-orchestrator:wave': String(index + 1) },
});

/** The true story: both databases at once, each app after its database, the web tier after both apps. */
const truth = {
  run: {
    executionId: 'e1',
    status: 'COMPLETED',
    waves: [
      wave(0, 'COMPLETED', 60, 120),
      wave(1, 'COMPLETED', 0, 60),
      wave(2, 'COMPLETED', 0, 70),
      wave(3, 'COMPLETED', 70, 130),
      wave(4, 'COMPLETED', 130, 190),
    ],
  } satisfies RecordedRun,
  jobs: [
    job('j-dba', 1, 0, 58),
    job('j-dbb', 2, 0, 68),
    job('j-appa', 0, 60, 118),
    job('j-appb', 3, 70, 128),
    job('j-web', 4, 130, 188, 1),
  ],
};

const withWave = (run: RecordedRun, replaced: Wave): RecordedRun => ({
  ...run,
  waves: run.waves.map((w) => (w.index === replaced.index ? replaced : w)),
});

describe('the schedule checks of the fault matrix', () => {
  it('find nothing wrong in a true timeline', () => {
    expect(dependencyViolations(plan(), truth.run, truth.jobs)).toEqual([]);
    expect(planQuotaViolations(plan(), truth.run, truth.jobs)).toEqual([]);
    expect(drsQuotaViolations(truth.jobs, { maxConcurrentJobs: 20, maxServersInAllJobs: 500 })).toEqual([]);
  });

  it("name a wave whose job DRS created before its dependency's COMPLETED was recorded", () => {
    // App A's job created at 50 s, Database A recorded COMPLETED at 60 s.
    const jobs = truth.jobs.map((j) => (j.jobID === 'j-appa' ? job('j-appa', 0, 50, 118) : j));
    expect(dependencyViolations(plan(), truth.run, jobs)).toEqual([
      `wave 'App A' job j-appa created at ${iso(50)} but its dependency 'Database A' is COMPLETED (recorded ${iso(60)})`,
    ]);
  });

  it('name a wave claimed although a dependency FAILED', () => {
    const run = withWave(withWave(truth.run, wave(2, 'FAILED', 0, 70)), wave(3, 'FAILED', 71, 80));
    const jobs = truth.jobs.filter((j) => j.jobID !== 'j-appb');
    expect(dependencyViolations(plan({ onWaveFailure: 'CONTINUE' }), run, jobs)).toContain(
      `wave 'App B' claimed at ${iso(71)} but its dependency 'Database B' is FAILED (recorded ${iso(70)})`,
    );
  });

  it('name, under STOP, a wave started after another was recorded failed', () => {
    // Database B failed at 70 s; App A was claimed at 75 s.
    const run = {
      ...truth.run,
      status: 'FAILED',
      waves: [
        wave(0, 'COMPLETED', 75, 120),
        wave(1, 'COMPLETED', 0, 60),
        wave(2, 'FAILED', 0, 70),
        wave(3, 'NOT_STARTED'),
        wave(4, 'NOT_STARTED'),
      ],
    } satisfies RecordedRun;
    const jobs = truth.jobs.filter((j) => ['j-dba', 'j-dbb'].includes(j.jobID as string));
    expect(dependencyViolations(plan(), run, [...jobs, job('j-appa', 0, 75, 118)])).toEqual([
      `STOP: wave 'App A' started at ${iso(75)} after a wave failed at ${iso(70)}`,
    ]);
    // The same timeline is what CONTINUE asks for.
    expect(
      dependencyViolations(plan({ onWaveFailure: 'CONTINUE' }), run, [...jobs, job('j-appa', 0, 75, 118)]),
    ).toEqual([]);
  });

  it('name, under CONTINUE, an independent branch left NOT_STARTED after a failure', () => {
    const run = {
      ...truth.run,
      status: 'FAILED',
      waves: [
        wave(0, 'NOT_STARTED'),
        wave(1, 'COMPLETED', 0, 60),
        wave(2, 'FAILED', 0, 70),
        wave(3, 'NOT_STARTED'),
        wave(4, 'NOT_STARTED'),
      ],
    } satisfies RecordedRun;
    const jobs = truth.jobs.filter((j) => ['j-dba', 'j-dbb'].includes(j.jobID as string));
    expect(dependencyViolations(plan({ onWaveFailure: 'CONTINUE' }), run, jobs)).toEqual([
      "wave 'App A' never started although every wave it depends on COMPLETED",
    ]);
    // Under STOP that is the rule.
    expect(dependencyViolations(plan(), run, jobs)).toEqual([]);
    // And a cancelled execution may leave it behind.
    expect(dependencyViolations(plan({ onWaveFailure: 'CONTINUE' }), { ...run, status: 'CANCELLED' }, jobs)).toEqual(
      [],
    );
  });

  it("name the instant DRS ran more of the execution's jobs than the plan allows, even after the wave's verdict", () => {
    // Database A's verdict recorded at 60 s, but its job ran on in DRS until 65 s: Database B's job, created at 62 s, overlaps it.
    const run = withWave(withWave(truth.run, wave(2, 'COMPLETED', 62, 130)), wave(3, 'COMPLETED', 130, 190));
    const jobs = [job('j-dba', 1, 0, 65), job('j-dbb', 2, 62, 128)];
    expect(planQuotaViolations(plan({ maxConcurrentJobs: 1 }), run, jobs)).toEqual([
      `2 jobs running at ${iso(62)} (j-dba, j-dbb), over the plan 1`,
    ]);
    expect(planQuotaViolations(plan({ maxConcurrentJobs: 2 }), run, jobs)).toEqual([]);
  });

  it("name the servers in running jobs over the plan's maxServersInAllJobs", () => {
    const jobs = [job('j-dba', 1, 0, 58, 60), job('j-dbb', 2, 0, 68, 60)];
    expect(planQuotaViolations(plan({ maxServersInAllJobs: 100 }), truth.run, jobs)).toEqual([
      `120 servers in running jobs at ${iso(0)}, over the plan 100`,
    ]);
  });

  it("name the waves running at once over the plan's maxConcurrentWaves, from their recorded claims", () => {
    expect(planQuotaViolations(plan({ maxConcurrentWaves: 1 }), truth.run, truth.jobs)).toEqual([
      `2 waves running at ${iso(0)}, over the plan's maxConcurrentWaves 1`,
      `2 waves running at ${iso(60)}, over the plan's maxConcurrentWaves 1`,
      `2 waves running at ${iso(70)}, over the plan's maxConcurrentWaves 1`,
    ]);
    expect(planQuotaViolations(plan({ maxConcurrentWaves: 2 }), truth.run, truth.jobs)).toEqual([]);
  });

  it("count every job of the account against DRS's quotas, another execution's and a job that never ended included", () => {
    const jobs = [job('j-dba', 1, 0, undefined), job('j-other', 0, 100, 160, 2, 'e2')];
    expect(drsQuotaViolations(jobs, { maxConcurrentJobs: 1, maxServersInAllJobs: 500 })).toEqual([
      `2 jobs running at ${iso(100)} (j-dba, j-other), over DRS's quota 1`,
    ]);
    expect(drsQuotaViolations(jobs, { maxConcurrentJobs: 2, maxServersInAllJobs: 3 })).toEqual([
      `4 servers in running jobs at ${iso(100)}, over DRS's quota 3`,
    ]);
  });
});
