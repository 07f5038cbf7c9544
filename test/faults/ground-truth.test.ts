import type { Job } from '@aws-sdk/client-drs';
import { type RunTruth, recordViolations } from './ground-truth';
import { PLANS } from './matrix-plans';

/**
 * The fault matrix's record checks against doctored ground truth: a true run of the branching plan
 * passes; a second DRS job for a wave, a COMPLETED wave with a server DRS did not launch, a wave
 * left WAITING_FOR_CAPACITY and a job no wave recorded are each named.
 */
const matrixPlan = PLANS.find((p) => p.name === 'branches-queued');
if (!matrixPlan) throw new Error('no branches-queued plan');
const { plan } = matrixPlan;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

// One job at a time, in the order the admission gave the room: Database A, App A, Database B, App B, Web.
const SCHEDULE: [index: number, from: number][] = [
  [1, 0],
  [0, 62],
  [2, 124],
  [3, 186],
  [4, 248],
];

const job = (index: number, from: number, launched = true): Job => ({
  jobID: `j-${index}`,
  type: 'LAUNCH',
  creationDateTime: iso(from),
  endDateTime: iso(from + 60),
  participatingServers: (plan.waves[index]?.sourceServerIDs ?? []).map((sourceServerID) => ({
    sourceServerID,
    launchStatus: launched ? 'LAUNCHED' : 'FAILED',
  })),
  tags: { 'drs-orchestrator:execution-id': 'e1', 'drs-orchestrator:wave': String(index + 1) },
});

const run: RunTruth = {
  result: {
    executionId: 'e1',
    planId: plan.planId,
    status: 'COMPLETED',
    waves: plan.waves.map((w, index) => {
      const from = SCHEDULE.find(([i]) => i === index)?.[1] ?? 0;
      return {
        index,
        name: w.name,
        status: 'COMPLETED',
        jobId: `j-${index}`,
        failedServers: [],
        startedAt: iso(from),
        endedAt: iso(from + 62),
      };
    }),
  },
  workflow: { status: 'SUCCEEDED' },
};
const jobs = SCHEDULE.map(([index, from]) => job(index, from));

describe('the record checks of the fault matrix', () => {
  it('find nothing wrong in a true run of one job at a time', () => {
    expect(recordViolations([plan], [run], jobs, jobs.length)).toEqual([]);
  });

  it('name a wave DRS has two jobs for', () => {
    const twice = [...jobs, { ...job(4, 250), jobID: 'j-4-again' }];
    expect(recordViolations([plan], [run], twice, twice.length)).toEqual(
      expect.arrayContaining(['6 DRS jobs created for 5 waves started', 'wave e1/4 has 2 DRS jobs']),
    );
  });

  it('name a COMPLETED wave whose server DRS did not launch', () => {
    const failed = jobs.map((j) => (j.jobID === 'j-2' ? job(2, 124, false) : j));
    const [first, second] = plan.waves[2]?.sourceServerIDs ?? [];
    expect(recordViolations([plan], [run], failed, failed.length)).toEqual([
      `wave 3 COMPLETED but DRS says ${first} is FAILED`,
      `wave 3 COMPLETED but DRS says ${second} is FAILED`,
    ]);
  });

  it('name a wave still waiting for room after the execution ended', () => {
    const waiting = {
      ...run,
      result: {
        ...run.result,
        status: 'FAILED' as const,
        waves: run.result.waves.map((w) =>
          w.index === 4 ? { index: 4, name: 'Web', status: 'WAITING_FOR_CAPACITY' as const, failedServers: [] } : w,
        ),
      },
      workflow: { status: 'FAILED' as const },
    };
    const fewer = jobs.filter((j) => j.jobID !== 'j-4');
    expect(recordViolations([plan], [waiting], fewer, fewer.length)).toEqual([
      'wave 5 still WAITING_FOR_CAPACITY after the execution ended',
    ]);
  });

  it("name two of the execution's jobs running at once over the plan's one, by DRS's timeline", () => {
    // Database B's job created 2 s before App A's ended in DRS.
    const overlapping = jobs.map((j) => (j.jobID === 'j-2' ? job(2, 120) : j));
    expect(recordViolations([plan], [run], overlapping, overlapping.length)).toEqual([
      `2 jobs running at ${iso(120)} (j-0, j-2), over the plan 1`,
    ]);
  });
});
