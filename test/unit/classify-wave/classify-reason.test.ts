import fc from 'fast-check';
import { classify, NOT_IN_JOB } from '../../../functions/classify-wave/classify';
import type { JobServer } from '../../../functions/shared/types';

/**
 * What a verdict says besides its status: an empty wave is never a recovery, a TIMED_OUT verdict
 * names what was not done (and fails no server), and a reason always names every failed server
 * with its status (the people reading it act on it).
 */
const NOW = new Date('2026-01-01T00:10:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');
const PAST = new Date('2026-01-01T01:00:01Z');
const A = 's-aaaaaaaaaaaaaaaaa';
const B = 's-bbbbbbbbbbbbbbbbb';
const C = 's-ccccccccccccccccc';

const job = (status: string, servers: JobServer[]) => ({ jobID: 'drsjob-1', status, participatingServers: servers });
const at = (launchStatus: string) => (sourceServerID: string) => ({ sourceServerID, launchStatus });

describe('classify: a wave with no requested server', () => {
  it('is never COMPLETED, even when its job COMPLETED, and times out at its deadline naming why', () => {
    const empty = { requestedServerIDs: [], requiredActions: {}, deadline: DEADLINE };
    for (const executionType of ['DRILL', 'RECOVERY'] as const) {
      const before = classify({ ...empty, executionType, job: job('COMPLETED', []), now: NOW });
      expect(before).toMatchObject({ status: 'LAUNCHING', failedServers: [], reason: '0 of 0 servers done' });
      const after = classify({ ...empty, executionType, job: job('COMPLETED', []), now: PAST });
      expect(after.status).toBe('TIMED_OUT');
      expect(after.reason).toBe(
        `deadline ${DEADLINE.toISOString()} passed with the wave has no required server, and optional servers alone never complete a wave`,
      );
    }
  });
});

describe('classify: TIMED_OUT', () => {
  it('fails no server (none failed), names each required server not done with its status, and reports the optional ones not launched', () => {
    const verdict = classify({
      requestedServerIDs: [A, B, C],
      optionalServerIDs: [C],
      executionType: 'DRILL',
      requiredActions: {},
      job: job('STARTED', [at('LAUNCHED')(A), at('IN_PROGRESS')(B), at('PENDING')(C)]),
      deadline: DEADLINE,
      now: PAST,
    });
    expect(verdict).toMatchObject({ status: 'TIMED_OUT', failedServers: [], optionalFailedServers: [C] });
    expect(verdict.reason).toBe(
      `deadline ${DEADLINE.toISOString()} passed with 1 of 2 required servers not done: ${B} IN_PROGRESS; optional server not launched (the verdict ignores them): ${C} PENDING`,
    );
  });

  it('reports an optional server that failed before the deadline among those not launched', () => {
    const verdict = classify({
      requestedServerIDs: [A, C],
      optionalServerIDs: [C],
      executionType: 'DRILL',
      requiredActions: {},
      job: job('STARTED', [at('PENDING')(A), at('FAILED')(C)]),
      deadline: DEADLINE,
      now: PAST,
    });
    expect(verdict).toMatchObject({ status: 'TIMED_OUT', failedServers: [], optionalFailedServers: [C] });
    expect(verdict.reason).toBe(
      `deadline ${DEADLINE.toISOString()} passed with 1 of 1 required servers not done: ${A} PENDING; optional server not launched (the verdict ignores them): ${C} FAILED`,
    );
  });
});

describe('classify: LAUNCHING', () => {
  it('reports an optional server that already failed while the required ones still launch', () => {
    const verdict = classify({
      requestedServerIDs: [A, C],
      optionalServerIDs: [C],
      executionType: 'DRILL',
      requiredActions: {},
      job: job('STARTED', [at('IN_PROGRESS')(A), at('FAILED')(C)]),
      deadline: DEADLINE,
      now: NOW,
    });
    expect(verdict).toMatchObject({ status: 'LAUNCHING', failedServers: [], optionalFailedServers: [C] });
    expect(verdict.reason).toBe(
      `0 of 1 required servers done; optional server not launched (the verdict ignores them): ${C} FAILED`,
    );
  });
});

describe('classify: the reason', () => {
  const ids = fc.uniqueArray(fc.stringMatching(/^s-[0-9a-z]{17}$/), { minLength: 1, maxLength: 6 });
  const status = fc.constantFrom('PENDING', 'IN_PROGRESS', 'LAUNCHED', 'FAILED', 'TERMINATED', 'ODD', NOT_IN_JOB);
  const scenario = ids.chain((requested) =>
    fc.record({
      requested: fc.constant(requested),
      statuses: fc.tuple(...requested.map(() => status)),
      optional: fc.subarray(requested),
      jobStatus: fc.constantFrom('STARTED', 'COMPLETED'),
      pastDeadline: fc.boolean(),
    }),
  );

  it('names every failed server with its status, and every required server not done at a TIMED_OUT', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const servers = s.requested.flatMap((id, i) => {
          const st = s.statuses[i] ?? NOT_IN_JOB;
          return st === NOT_IN_JOB ? [] : [at(st)(id)];
        });
        const verdict = classify({
          requestedServerIDs: s.requested,
          optionalServerIDs: s.optional,
          executionType: 'DRILL',
          requiredActions: {},
          job: job(s.jobStatus, servers as JobServer[]),
          deadline: DEADLINE,
          now: s.pastDeadline ? PAST : NOW,
        });
        const statusOf = (id: string) => s.statuses[s.requested.indexOf(id)] ?? '';
        for (const id of verdict.failedServers) {
          const st = statusOf(id);
          const named =
            st === 'FAILED' || st === 'TERMINATED'
              ? `${id} ${st}`
              : st === NOT_IN_JOB
                ? `${id} missing from the DRS job, which has COMPLETED`
                : `${id} ${st} when the DRS job COMPLETED`;
          expect(verdict.reason).toContain(named);
        }
        for (const id of verdict.optionalFailedServers) expect(verdict.reason).toContain(id);
        if (verdict.status === 'TIMED_OUT') {
          expect(verdict.failedServers).toEqual([]);
          for (const id of s.requested.filter((r) => !s.optional.includes(r) && statusOf(r) !== 'LAUNCHED')) {
            expect(verdict.reason).toContain(
              `${id} ${statusOf(id) === NOT_IN_JOB ? 'not in the job yet' : statusOf(id)}`,
            );
          }
        }
        if (verdict.status === 'FAILED') expect(verdict.failedServers.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});
