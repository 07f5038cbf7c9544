import { completionProblems } from '../../../../functions/shared/records/completion-audit';
import type { ExecutionRecord } from '../../../../functions/shared/records/execution-records';
import type { WaveRecord } from '../../../../functions/shared/records/wave-records';

const A = 's-aaaaaaaaaaaaaaaaa';
const B = 's-bbbbbbbbbbbbbbbbb';
const HEALTH = '0b1f5e1c-7d2a-4c3e-9f10-2a3b4c5d6e7f';

const execution = (executionType: string): ExecutionRecord => ({
  executionId: 'exec-1',
  planId: 'p',
  executionType,
  status: 'POLLING',
  waveCount: 1,
  completedWaves: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
});
const wave = (over: Partial<WaveRecord> = {}): WaveRecord => ({
  executionId: 'exec-1',
  index: 0,
  name: 'Databases',
  sourceServerIDs: [A, B],
  timeoutMinutes: 60,
  status: 'COMPLETED',
  servers: [
    { sourceServerID: A, launchStatus: 'LAUNCHED' },
    { sourceServerID: B, launchStatus: 'LAUNCHED' },
  ],
  ...over,
});

describe('completionProblems', () => {
  it('returns none for a DRILL whose servers all LAUNCHED, post-launch actions or not', () => {
    expect(completionProblems(execution('DRILL'), [wave()])).toEqual([]);
  });

  it('returns none for a RECOVERY whose every required action SUCCEEDED', () => {
    const done = wave({
      requiredActions: { [A]: [{ actionId: HEALTH, name: 'Health' }], [B]: [] },
      servers: [
        { sourceServerID: A, launchStatus: 'LAUNCHED', succeededActions: [HEALTH] },
        { sourceServerID: B, launchStatus: 'LAUNCHED' },
      ],
    });
    expect(completionProblems(execution('RECOVERY'), [done])).toEqual([]);
  });

  it('refuses a RECOVERY whose required action has no recorded SUCCEEDED run, naming the server and the action', () => {
    const notDone = wave({ requiredActions: { [A]: [{ actionId: HEALTH, name: 'Health' }], [B]: [] } });
    expect(completionProblems(execution('RECOVERY'), [notDone])).toEqual([
      `wave 'Databases' has required post-launch actions not SUCCEEDED: ${A} 'Health'`,
    ]);
  });

  it('refuses a RECOVERY wave whose required actions were never read', () => {
    expect(completionProblems(execution('RECOVERY'), [wave()])).toEqual([
      "wave 'Databases' has no record of its required post-launch actions",
    ]);
  });
});

describe('completionProblems with optional servers', () => {
  it('returns none when every required server LAUNCHED and an optional one FAILED', () => {
    const done = wave({
      optionalSourceServerIDs: [B],
      servers: [
        { sourceServerID: A, launchStatus: 'LAUNCHED' },
        { sourceServerID: B, launchStatus: 'FAILED' },
      ],
    });
    expect(completionProblems(execution('DRILL'), [done])).toEqual([]);
  });

  it('refuses a wave whose only LAUNCHED server is optional, naming the required one', () => {
    const notDone = wave({
      optionalSourceServerIDs: [B],
      servers: [
        { sourceServerID: A, launchStatus: 'FAILED' },
        { sourceServerID: B, launchStatus: 'LAUNCHED' },
      ],
    });
    expect(completionProblems(execution('DRILL'), [notDone])).toEqual([
      `wave 'Databases' has servers not LAUNCHED: ${A}`,
    ]);
  });

  it('refuses a wave with no required server, however many optional ones LAUNCHED', () => {
    const onlyOptional = wave({ optionalSourceServerIDs: [A, B] });
    expect(completionProblems(execution('DRILL'), [onlyOptional])).toEqual([`wave 'Databases' has no required server`]);
  });

  it("ignores an optional server's required post-launch actions in a RECOVERY", () => {
    const done = wave({
      optionalSourceServerIDs: [B],
      requiredActions: { [A]: [], [B]: [{ actionId: HEALTH, name: 'Health' }] },
    });
    expect(completionProblems(execution('RECOVERY'), [done])).toEqual([]);
  });
});

describe('completionProblems: the counts and the wave status', () => {
  it('refuses when fewer waves are recorded than the execution counts, even with every counted one COMPLETED', () => {
    const twoCounted = { ...execution('DRILL'), waveCount: 2, completedWaves: 2 };
    expect(completionProblems(twoCounted, [wave()])).toEqual(['2 of 2 waves counted COMPLETED']);
  });

  it('refuses when the execution counts fewer COMPLETED waves than it has, even with every wave record COMPLETED', () => {
    const notCounted = { ...execution('DRILL'), completedWaves: 0 };
    expect(completionProblems(notCounted, [wave()])).toEqual(['0 of 1 waves counted COMPLETED']);
  });

  it('refuses a wave that is not COMPLETED, even with every server LAUNCHED', () => {
    expect(completionProblems(execution('DRILL'), [wave({ status: 'FAILED' })])).toEqual([
      "wave 'Databases' is FAILED",
    ]);
  });

  it('refuses a required server with no record of its launch at all', () => {
    expect(completionProblems(execution('DRILL'), [wave({ servers: undefined })])).toEqual([
      `wave 'Databases' has servers not LAUNCHED: ${A}, ${B}`,
    ]);
  });

  it("counts a server's SUCCEEDED action for that server only, and names an action by its ID when it has no name", () => {
    const other = wave({
      requiredActions: { [A]: [{ actionId: HEALTH }] },
      servers: [
        { sourceServerID: A, launchStatus: 'LAUNCHED' },
        { sourceServerID: B, launchStatus: 'LAUNCHED', succeededActions: [HEALTH] },
      ],
    });
    expect(completionProblems(execution('RECOVERY'), [other])).toEqual([
      `wave 'Databases' has required post-launch actions not SUCCEEDED: ${A} '${HEALTH}'`,
    ]);
  });

  it('names every required action of a RECOVERY wave with no record of its launch, one after the other', () => {
    const SMOKE = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
    const unlaunched = wave({
      servers: undefined,
      requiredActions: { [A]: [{ actionId: HEALTH, name: 'Health' }], [B]: [{ actionId: SMOKE, name: 'Smoke' }] },
    });
    expect(completionProblems(execution('RECOVERY'), [unlaunched])).toEqual([
      `wave 'Databases' has servers not LAUNCHED: ${A}, ${B}`,
      `wave 'Databases' has required post-launch actions not SUCCEEDED: ${A} 'Health', ${B} 'Smoke'`,
    ]);
  });
});
