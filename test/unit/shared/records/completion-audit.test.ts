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
