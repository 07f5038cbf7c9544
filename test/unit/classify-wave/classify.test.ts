import fc from 'fast-check';
import { type ClassifyInput, classify, NOT_IN_JOB } from '../../../functions/classify-wave/classify';
import type { ExecutionType, JobServer, JobSnapshot } from '../../../functions/shared/types';

const A = 's-aaaaaaaaaaaaaaaaa';
const B = 's-bbbbbbbbbbbbbbbbb';
const NOW = new Date('2026-01-01T00:10:00Z');
const LATER = new Date('2026-01-01T01:00:00Z');
const EARLIER = new Date('2026-01-01T00:05:00Z');

const server = (sourceServerID: string, launchStatus: string, runs?: JobServer['launchActionsStatus']): JobServer => ({
  sourceServerID,
  launchStatus,
  ...(launchStatus === 'LAUNCHED' ? { recoveryInstanceID: `i-${sourceServerID.slice(2, 19)}` } : {}),
  ...(runs ? { launchActionsStatus: runs } : {}),
});
const job = (status: string, servers: JobServer[]): JobSnapshot => ({
  jobID: 'drsjob-00000000000000001',
  status,
  participatingServers: servers,
});
const input = (over: Partial<ClassifyInput> & { job: JobSnapshot }): ClassifyInput => ({
  requestedServerIDs: [A, B],
  executionType: 'DRILL',
  requiredActions: { [A]: [], [B]: [] },
  deadline: LATER,
  now: NOW,
  ...over,
});
const run = (status: string, optional = false, actionId?: string) => ({
  status,
  optional,
  actionName: optional ? 'Optional check' : 'Required check',
  ...(actionId ? { actionId } : {}),
});
const HEALTH = { actionId: '0b1f5e1c-7d2a-4c3e-9f10-2a3b4c5d6e7f', name: 'Validate application health' };
const AGENT = { actionId: '5c4d3e2f-1a0b-4c9d-8e7f-6a5b4c3d2e1f', name: 'Install agent' };
const ran = (action: { actionId: string; name: string }, status: string) => ({
  status,
  optional: false,
  actionId: action.actionId,
  actionName: action.name,
});

describe('classify', () => {
  describe("the bug report's scenarios", () => {
    it('returns COMPLETED when every requested server LAUNCHED', () => {
      const verdict = classify(input({ job: job('COMPLETED', [server(A, 'LAUNCHED'), server(B, 'LAUNCHED')]) }));
      expect(verdict).toMatchObject({ status: 'COMPLETED', failedServers: [], counts: { LAUNCHED: 2 } });
      expect(verdict.servers).toEqual([
        { sourceServerID: A, launchStatus: 'LAUNCHED', recoveryInstanceID: `i-${A.slice(2)}` },
        { sourceServerID: B, launchStatus: 'LAUNCHED', recoveryInstanceID: `i-${B.slice(2)}` },
      ]);
    });

    it('returns FAILED, not COMPLETED, when the job COMPLETED with a FAILED server', () => {
      const verdict = classify(input({ job: job('COMPLETED', [server(A, 'LAUNCHED'), server(B, 'FAILED')]) }));
      expect(verdict.status).toBe('FAILED');
      expect(verdict.failedServers).toEqual([B]);
      expect(verdict.reason).toContain(`${B} FAILED`);
    });

    it('returns LAUNCHING while the job is STARTED and servers are in progress', () => {
      const verdict = classify(input({ job: job('STARTED', [server(A, 'IN_PROGRESS'), server(B, 'PENDING')]) }));
      expect(verdict).toMatchObject({ status: 'LAUNCHING', failedServers: [], counts: { IN_PROGRESS: 1, PENDING: 1 } });
    });
  });

  it.each([
    [
      'a server FAILED while the job is still running',
      job('STARTED', [server(A, 'FAILED'), server(B, 'IN_PROGRESS')]),
      [A],
    ],
    ['a server was TERMINATED', job('STARTED', [server(A, 'LAUNCHED'), server(B, 'TERMINATED')]), [B]],
    [
      'the job COMPLETED with a server still IN_PROGRESS',
      job('COMPLETED', [server(A, 'LAUNCHED'), server(B, 'IN_PROGRESS')]),
      [B],
    ],
    [
      'the job COMPLETED with a server still PENDING',
      job('COMPLETED', [server(A, 'PENDING'), server(B, 'LAUNCHED')]),
      [A],
    ],
    ['the job COMPLETED without a requested server in it', job('COMPLETED', [server(A, 'LAUNCHED')]), [B]],
    [
      'the job COMPLETED with a launch status this code does not know',
      job('COMPLETED', [server(A, 'LAUNCHED'), server(B, 'RELAUNCHED')]),
      [B],
    ],
    ['every server failed', job('COMPLETED', [server(A, 'FAILED'), server(B, 'FAILED')]), [A, B]],
  ])('returns FAILED when %s', (_, j, failed) => {
    const verdict = classify(input({ job: j }));
    expect(verdict.status).toBe('FAILED');
    expect(verdict.failedServers).toEqual(failed);
    for (const id of failed) expect(verdict.reason).toContain(id);
  });

  it('names a server missing from a COMPLETED job as NOT_IN_JOB', () => {
    const verdict = classify(input({ job: job('COMPLETED', [server(A, 'LAUNCHED')]) }));
    expect(verdict.servers[1]).toEqual({ sourceServerID: B, launchStatus: NOT_IN_JOB });
    expect(verdict.reason).toContain('missing from the DRS job');
  });

  it.each([
    ['the job is PENDING with no servers listed yet', job('PENDING', [])],
    ['a server is missing while the job is still STARTED', job('STARTED', [server(A, 'LAUNCHED')])],
    [
      'a launch status this code does not know appears while the job runs',
      job('STARTED', [server(A, 'LAUNCHED'), server(B, 'WARMING_UP')]),
    ],
    ['the job status itself is unknown', job('PAUSED', [server(A, 'LAUNCHED'), server(B, 'IN_PROGRESS')])],
  ])('returns LAUNCHING, never COMPLETED, when %s', (_, j) => {
    expect(classify(input({ job: j })).status).toBe('LAUNCHING');
  });

  describe('deadline', () => {
    it('returns TIMED_OUT when the deadline passed with servers not launched', () => {
      const verdict = classify(
        input({ deadline: EARLIER, job: job('STARTED', [server(A, 'LAUNCHED'), server(B, 'IN_PROGRESS')]) }),
      );
      expect(verdict.status).toBe('TIMED_OUT');
      expect(verdict.reason).toContain(`${B} IN_PROGRESS`);
    });

    it('returns TIMED_OUT exactly at the deadline', () => {
      expect(classify(input({ deadline: NOW, job: job('STARTED', [server(A, 'PENDING')]) })).status).toBe('TIMED_OUT');
    });

    it('returns FAILED rather than TIMED_OUT when a server failed before the deadline was seen', () => {
      expect(classify(input({ deadline: EARLIER, job: job('STARTED', [server(A, 'FAILED')]) })).status).toBe('FAILED');
    });

    it('returns COMPLETED after the deadline when every server LAUNCHED', () => {
      const verdict = classify(
        input({ deadline: EARLIER, job: job('COMPLETED', [server(A, 'LAUNCHED'), server(B, 'LAUNCHED')]) }),
      );
      expect(verdict.status).toBe('COMPLETED');
    });
  });

  describe('post-launch actions', () => {
    const launchedWith = (runs: ReturnType<typeof run>[]) =>
      job('COMPLETED', [server(A, 'LAUNCHED', { runs }), server(B, 'LAUNCHED')]);

    it('returns FAILED for RECOVERY when a required action FAILED', () => {
      const verdict = classify(
        input({ executionType: 'RECOVERY', job: launchedWith([run('SUCCEEDED'), run('FAILED')]) }),
      );
      expect(verdict.status).toBe('FAILED');
      expect(verdict.failedServers).toEqual([A]);
      expect(verdict.reason).toContain("'Required check'");
    });

    it('returns COMPLETED for RECOVERY when only an optional action FAILED', () => {
      const verdict = classify(
        input({ executionType: 'RECOVERY', job: launchedWith([run('SUCCEEDED'), run('FAILED', true)]) }),
      );
      expect(verdict.status).toBe('COMPLETED');
    });

    it('returns LAUNCHING for RECOVERY while an action is IN_PROGRESS', () => {
      expect(classify(input({ executionType: 'RECOVERY', job: launchedWith([run('IN_PROGRESS')]) })).status).toBe(
        'LAUNCHING',
      );
    });

    it('returns LAUNCHING for RECOVERY while an action has a status this code does not know', () => {
      expect(classify(input({ executionType: 'RECOVERY', job: launchedWith([run('SKIPPED')]) })).status).toBe(
        'LAUNCHING',
      );
    });

    it('returns COMPLETED for a DRILL whatever the actions did', () => {
      expect(classify(input({ executionType: 'DRILL', job: launchedWith([run('FAILED')]) })).status).toBe('COMPLETED');
    });

    it('returns COMPLETED for a DRILL even when required actions have not started', () => {
      const verdict = classify(
        input({ executionType: 'DRILL', requiredActions: { [A]: [HEALTH] }, job: launchedWith([]) }),
      );
      expect(verdict.status).toBe('COMPLETED');
    });
  });

  describe('required post-launch actions that have not started (RECOVERY)', () => {
    const recovery = (requiredActions: ClassifyInput['requiredActions'], servers: JobServer[], deadline = LATER) =>
      classify(input({ executionType: 'RECOVERY', requiredActions, deadline, job: job('COMPLETED', servers) }));

    it.each([
      ['runs is empty (DRS has not discovered the SSM agent yet)', { runs: [] }],
      ['launchActionsStatus is absent', undefined],
    ])('returns LAUNCHING, not COMPLETED, when a required action has no run and %s', (_, status) => {
      const verdict = recovery({ [A]: [HEALTH], [B]: [] }, [server(A, 'LAUNCHED', status), server(B, 'LAUNCHED')]);
      expect(verdict.status).toBe('LAUNCHING');
      expect(verdict.reason).toBe('1 of 2 servers done');
    });

    it('returns TIMED_OUT at the deadline naming the server and the action whose run never appeared', () => {
      const verdict = recovery(
        { [A]: [HEALTH], [B]: [] },
        [server(A, 'LAUNCHED', { runs: [] }), server(B, 'LAUNCHED')],
        EARLIER,
      );
      expect(verdict.status).toBe('TIMED_OUT');
      expect(verdict.reason).toContain(`${A} LAUNCHED, post-launch action 'Validate application health'`);
      expect(verdict.reason).toContain('has not started');
      expect(verdict.reason).not.toContain(B);
    });

    it('returns COMPLETED once every required action has a SUCCEEDED run', () => {
      const verdict = recovery({ [A]: [HEALTH, AGENT], [B]: [] }, [
        server(A, 'LAUNCHED', { runs: [ran(HEALTH, 'SUCCEEDED'), ran(AGENT, 'SUCCEEDED')] }),
        server(B, 'LAUNCHED'),
      ]);
      expect(verdict.status).toBe('COMPLETED');
      // Recorded, so the completion audit can check it again from the records.
      expect(verdict.servers[0]?.succeededActions).toEqual([HEALTH.actionId, AGENT.actionId]);
      expect(verdict.servers[1]?.succeededActions).toBeUndefined();
    });

    it('keeps waiting for a required action while another one already SUCCEEDED', () => {
      const verdict = recovery({ [A]: [HEALTH, AGENT], [B]: [] }, [
        server(A, 'LAUNCHED', { runs: [ran(HEALTH, 'SUCCEEDED')] }),
        server(B, 'LAUNCHED'),
      ]);
      expect(verdict.status).toBe('LAUNCHING');
    });

    it('returns FAILED naming the required action whose run FAILED', () => {
      const verdict = recovery({ [A]: [HEALTH], [B]: [] }, [
        server(A, 'LAUNCHED', { runs: [{ ...ran(HEALTH, 'FAILED'), failureReason: 'exit code 1' }] }),
        server(B, 'LAUNCHED'),
      ]);
      expect(verdict).toMatchObject({ status: 'FAILED', failedServers: [A] });
      expect(verdict.reason).toContain(`'Validate application health' (${HEALTH.actionId}) (exit code 1) FAILED`);
    });

    it('returns COMPLETED at LAUNCHED for a server with no required actions, whatever its optional runs do', () => {
      const verdict = recovery({ [A]: [], [B]: [] }, [
        server(A, 'LAUNCHED', { runs: [run('IN_PROGRESS', true), run('FAILED', true)] }),
        server(B, 'LAUNCHED'),
      ]);
      expect(verdict.status).toBe('COMPLETED');
    });

    it('never returns COMPLETED for a server whose required actions are not known', () => {
      const verdict = recovery({ [B]: [] }, [server(A, 'LAUNCHED', { runs: [] }), server(B, 'LAUNCHED')], EARLIER);
      expect(verdict.status).toBe('TIMED_OUT');
      expect(verdict.reason).toContain(`${A} LAUNCHED, its required post-launch actions not known yet`);
    });
  });

  describe('optional servers', () => {
    const withOptional = (over: Partial<ClassifyInput> & { job: JobSnapshot }) =>
      input({ optionalServerIDs: [B], ...over });

    it('returns COMPLETED when every required server LAUNCHED and an optional one FAILED, reporting it', () => {
      const verdict = classify(withOptional({ job: job('COMPLETED', [server(A, 'LAUNCHED'), server(B, 'FAILED')]) }));
      expect(verdict).toMatchObject({ status: 'COMPLETED', failedServers: [], optionalFailedServers: [B] });
      expect(verdict.reason).toBe(
        `all 1 required servers LAUNCHED; optional server not launched (the verdict ignores them): ${B} FAILED`,
      );
    });

    it('returns FAILED, not COMPLETED, when the only server that LAUNCHED is optional', () => {
      const verdict = classify(withOptional({ job: job('COMPLETED', [server(A, 'FAILED'), server(B, 'LAUNCHED')]) }));
      expect(verdict).toMatchObject({ status: 'FAILED', failedServers: [A], optionalFailedServers: [] });
    });

    it('never returns COMPLETED for a wave whose servers are all optional, even when they all LAUNCHED', () => {
      const all = input({
        optionalServerIDs: [A, B],
        job: job('COMPLETED', [server(A, 'LAUNCHED'), server(B, 'LAUNCHED')]),
      });
      expect(classify(all).status).toBe('LAUNCHING');
      const late = classify({ ...all, now: LATER, deadline: EARLIER });
      expect(late.status).toBe('TIMED_OUT');
      expect(late.reason).toContain('the wave has no required server');
    });

    it('waits for an optional server still launching before the deadline', () => {
      const verdict = classify(
        withOptional({ job: job('STARTED', [server(A, 'LAUNCHED'), server(B, 'IN_PROGRESS')]) }),
      );
      expect(verdict.status).toBe('LAUNCHING');
      expect(verdict.reason).toBe(`1 of 1 required servers done; waiting for 1 optional server(s): ${B} IN_PROGRESS`);
    });

    it('returns COMPLETED at the deadline with an optional server still launching, reporting it as not launched', () => {
      const verdict = classify(
        withOptional({ job: job('STARTED', [server(A, 'LAUNCHED'), server(B, 'IN_PROGRESS')]), deadline: EARLIER }),
      );
      expect(verdict).toMatchObject({ status: 'COMPLETED', failedServers: [], optionalFailedServers: [B] });
      expect(verdict.reason).toContain(`${B} IN_PROGRESS at the deadline`);
    });

    it("ignores an optional server's failed required post-launch action in a RECOVERY", () => {
      const verdict = classify(
        withOptional({
          executionType: 'RECOVERY',
          requiredActions: { [A]: [], [B]: [HEALTH] },
          job: job('COMPLETED', [server(A, 'LAUNCHED'), server(B, 'LAUNCHED', { runs: [ran(HEALTH, 'FAILED')] })]),
        }),
      );
      expect(verdict).toMatchObject({ status: 'COMPLETED', optionalFailedServers: [B] });
    });
  });

  describe('property', () => {
    const statuses = fc.constantFrom(
      'PENDING',
      'IN_PROGRESS',
      'LAUNCHED',
      'FAILED',
      'TERMINATED',
      'UNKNOWN_STATUS',
      '',
    );
    const runStatus = fc.constantFrom('IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'WHATEVER');
    const actionIds = ['a1', 'a2', 'a3'];
    const actionId = fc.option(fc.constantFrom(...actionIds), { nil: undefined });
    const ids = fc.uniqueArray(fc.stringMatching(/^s-[0-9a-z]{17}$/), { minLength: 1, maxLength: 8 });
    const scenario = ids.chain((requested) =>
      fc.record({
        requested: fc.constant(requested),
        jobStatus: fc.constantFrom('PENDING', 'STARTED', 'COMPLETED', 'ODD'),
        executionType: fc.constantFrom<ExecutionType>('DRILL', 'RECOVERY'),
        pastDeadline: fc.boolean(),
        // Some members optional (possibly all, possibly none).
        optional: fc.subarray(requested),
        // Per server: the actions it must run, or no entry at all (not known).
        required: fc.tuple(
          ...requested.map(() => fc.option(fc.subarray(actionIds).map((ids) => ids.map((id) => ({ actionId: id }))))),
        ),
        servers: fc.tuple(
          ...requested.map((id) =>
            fc.option(
              fc.record({
                sourceServerID: fc.constant(id),
                launchStatus: statuses,
                launchActionsStatus: fc.option(
                  fc.record({
                    runs: fc.array(
                      fc.record(
                        { status: runStatus, optional: fc.boolean(), actionId },
                        { requiredKeys: ['status', 'optional'] },
                      ),
                      { maxLength: 4 },
                    ),
                  }),
                  { nil: undefined },
                ),
              }),
              { nil: undefined },
            ),
          ),
        ),
      }),
    );

    const requiredOf = (s: { requested: string[]; required: ({ actionId: string }[] | null)[] }) =>
      Object.fromEntries(
        s.requested.flatMap((id, i) => {
          const actions = s.required[i];
          return actions === null || actions === undefined ? [] : [[id, actions]];
        }),
      );

    it('never returns COMPLETED unless there is a required server and every required server is in the job and LAUNCHED (and, for RECOVERY, every required action has a SUCCEEDED run)', () => {
      fc.assert(
        fc.property(scenario, (s) => {
          const participating = s.servers.filter((x): x is NonNullable<typeof x> => x !== undefined) as JobServer[];
          const requiredActions = requiredOf(s);
          const verdict = classify({
            requestedServerIDs: s.requested,
            optionalServerIDs: s.optional,
            job: job(s.jobStatus, participating),
            executionType: s.executionType,
            requiredActions,
            deadline: s.pastDeadline ? EARLIER : LATER,
            now: NOW,
          });
          if (verdict.status !== 'COMPLETED') return true;
          const byId = new Map(participating.map((p) => [p.sourceServerID, p]));
          const required = s.requested.filter((id) => !s.optional.includes(id));
          // Optional successes alone are never a COMPLETED wave.
          if (required.length === 0) return false;
          return required.every((id) => {
            const p = byId.get(id);
            if (p?.launchStatus !== 'LAUNCHED') return false;
            if (s.executionType === 'DRILL') return true;
            const required = requiredActions[id];
            if (required === undefined) return false;
            const runs = p.launchActionsStatus?.runs ?? [];
            return (
              required.every((action) =>
                runs.some((r) => r.actionId === action.actionId && r.status === 'SUCCEEDED'),
              ) &&
              runs.every((r) => r.optional || r.status !== 'FAILED' || required.some((a) => a.actionId === r.actionId))
            );
          });
        }),
        { numRuns: 3000 },
      );
    });

    it('returns TIMED_OUT for RECOVERY at the deadline, naming every required action without a run', () => {
      fc.assert(
        fc.property(scenario, (s) => {
          const participating = s.servers.filter((x): x is NonNullable<typeof x> => x !== undefined) as JobServer[];
          const requiredActions = requiredOf(s);
          const verdict = classify({
            requestedServerIDs: s.requested,
            job: job('STARTED', participating),
            executionType: 'RECOVERY',
            requiredActions,
            deadline: EARLIER,
            now: NOW,
          });
          if (verdict.status !== 'TIMED_OUT') return true;
          return participating.every((p) => {
            if (p.launchStatus !== 'LAUNCHED') return true;
            const runs = p.launchActionsStatus?.runs ?? [];
            return (requiredActions[p.sourceServerID] ?? [])
              .filter((action) => !runs.some((r) => r.actionId === action.actionId))
              .every(
                (action) =>
                  verdict.reason.includes(`${p.sourceServerID} LAUNCHED`) && verdict.reason.includes(action.actionId),
              );
          });
        }),
        { numRuns: 1000 },
      );
    });

    it('never fails a wave for an optional server, and always for a required one that failed', () => {
      fc.assert(
        fc.property(scenario, (s) => {
          const participating = s.servers.filter((x): x is NonNullable<typeof x> => x !== undefined) as JobServer[];
          const verdict = classify({
            requestedServerIDs: s.requested,
            optionalServerIDs: s.optional,
            job: job(s.jobStatus, participating),
            executionType: s.executionType,
            requiredActions: requiredOf(s),
            deadline: s.pastDeadline ? EARLIER : LATER,
            now: NOW,
          });
          const optional = new Set(s.optional);
          const failedRequired = s.requested.some((id) => {
            const p = participating.find((x) => x.sourceServerID === id);
            return !optional.has(id) && (p?.launchStatus === 'FAILED' || p?.launchStatus === 'TERMINATED');
          });
          return (
            verdict.failedServers.every((id) => !optional.has(id)) &&
            verdict.optionalFailedServers.every((id) => optional.has(id)) &&
            (!failedRequired || verdict.status === 'FAILED')
          );
        }),
        { numRuns: 2000 },
      );
    });

    it('reports every optional server that FAILED or TERMINATED, never hiding one', () => {
      fc.assert(
        fc.property(scenario, (s) => {
          const participating = s.servers.filter((x): x is NonNullable<typeof x> => x !== undefined) as JobServer[];
          const verdict = classify({
            requestedServerIDs: s.requested,
            optionalServerIDs: s.optional,
            job: job(s.jobStatus, participating),
            executionType: s.executionType,
            requiredActions: requiredOf(s),
            deadline: s.pastDeadline ? EARLIER : LATER,
            now: NOW,
          });
          return s.optional.every((id) => {
            const p = participating.find((x) => x.sourceServerID === id);
            const failed = p?.launchStatus === 'FAILED' || p?.launchStatus === 'TERMINATED';
            return !failed || verdict.optionalFailedServers.includes(id);
          });
        }),
        { numRuns: 2000 },
      );
    });

    it('lists exactly the failed servers when it returns FAILED, and none otherwise', () => {
      fc.assert(
        fc.property(scenario, (s) => {
          const participating = s.servers.filter((x): x is NonNullable<typeof x> => x !== undefined) as JobServer[];
          const verdict = classify({
            requestedServerIDs: s.requested,
            job: job(s.jobStatus, participating),
            executionType: s.executionType,
            requiredActions: requiredOf(s),
            deadline: LATER,
            now: s.pastDeadline ? LATER : NOW,
          });
          return verdict.status === 'FAILED' ? verdict.failedServers.length > 0 : verdict.failedServers.length === 0;
        }),
        { numRuns: 1000 },
      );
    });
  });
});
