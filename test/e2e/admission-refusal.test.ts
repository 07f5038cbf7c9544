import { parseScenario } from '../../local/drs-simulator';
import { runLocalExecution } from '../../local/run-local-execution';

/**
 * A wave whose claim is refused for room after admission said START (another wave took the room
 * while it waited at its gate and ran its pre-wave action) waits for room again and goes straight
 * to its start: its gate and its actions are behind it. On the local stack: the deployed ASL, the
 * real tasks, dynalite and the DRS simulator.
 */
const id = (tier: string, n: number) => `s-${tier}${String(n).padStart(17 - tier.length, '0')}`;
const fn = (name: string) => `arn:aws:lambda:us-east-1:111122223333:function:${name}`;
const DB = id('db', 1);
const APP = Array.from({ length: 100 }, (_, n) => id('app', n + 1));

/**
 * Reports is admitted at once beside Databases (2 servers of 100). When Databases COMPLETES, the
 * App tier (100 servers), earlier in the Map's order, is admitted first and claims the room while
 * Reports still waits at its gate: Reports' claim is refused (WaveWaitingForCapacity) once.
 */
const PLAN = {
  planId: 'refused-once',
  name: 'Refused once',
  pollIntervalSeconds: 30,
  maxServersInAllJobs: 100,
  waves: [
    { name: 'Databases', sourceServerIDs: [DB], timeoutMinutes: 60, dependsOn: [] },
    { name: 'App', sourceServerIDs: APP, timeoutMinutes: 60, dependsOn: ['Databases'] },
    {
      name: 'Reports',
      sourceServerIDs: [id('rep', 1)],
      timeoutMinutes: 60,
      dependsOn: [],
      approval: { timeoutMinutes: 240, message: 'Start the reports?' },
      preWaveActions: [{ name: 'Pause report jobs', lambdaFunctionArn: fn('pause-report-jobs'), timeoutSeconds: 300 }],
    },
  ],
};

describe('a wave whose claim is refused for room after its gate and pre-wave actions', () => {
  it('waits for room, then starts without asking for approval again or rerunning its actions', async () => {
    const r = await runLocalExecution({
      input: { plan: PLAN, executionType: 'DRILL' },
      // Approved once App has claimed the room (Databases ends at 300 s), while App still launches.
      scenario: parseScenario({
        approvals: { Reports: { decision: 'APPROVE', afterSeconds: 900 } },
        launches: {
          [DB]: { result: 'LAUNCHED', afterSeconds: 300 },
          ...Object.fromEntries(APP.map((s) => [s, { result: 'LAUNCHED', afterSeconds: 1800 }])),
        },
      }),
    });

    expect(r.result.status).toBe('COMPLETED');
    expect(r.result.waves.map((w) => w.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    // The refusal happened: four claims for three jobs (the refused one started nothing).
    expect(r.taskCalls['Start wave recovery']).toBe(4);
    expect(r.jobs).toHaveLength(3);
    // Asked once, acted once.
    expect(r.notifications.filter((n) => n.attributes.status === 'AWAITING_APPROVAL')).toHaveLength(1);
    expect(r.taskCalls['Await approval']).toBe(1);
    expect(r.actionInvocations.map((i) => i.name)).toEqual(['Pause report jobs']);
    // One pre-wave phase: a begin that runs the action, a begin that ends the phase DONE (not a second phase's).
    expect(r.taskCalls['Begin pre-wave action']).toBe(2);
    // Never over the room: Reports started once App (which filled it) ended.
    const [, app, reports] = r.result.waves;
    expect(Date.parse(reports?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(app?.endedAt ?? ''));
    expect(Date.parse(reports?.approval?.at ?? '')).toBeLessThan(Date.parse(app?.endedAt ?? ''));
  });
});
