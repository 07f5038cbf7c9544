import { problemsOfCause, summaryText } from '../../../cli/format';
import type { ExecutionResult } from '../../../functions/shared/types';

describe('problemsOfCause', () => {
  it('returns each problem of a plan rejection', () => {
    expect(problemsOfCause('The plan is not valid (2 problems): plan.waves[0]: a; plan.waves[1]: b')).toEqual([
      'plan.waves[0]: a',
      'plan.waves[1]: b',
    ]);
    expect(problemsOfCause('DRS is not ready to run the plan (1 problem): wave 1: STALLED')).toEqual([
      'wave 1: STALLED',
    ]);
  });

  it('returns the whole cause when a problem holds "; " and the split does not give the counted problems', () => {
    const cause = "The plan is not valid (1 problem): plan.name: 'a; b' has characters other than letters";

    expect(problemsOfCause(cause)).toEqual([cause]);
  });

  it('returns a cause of another form whole', () => {
    expect(problemsOfCause('Lambda.Unknown')).toEqual(['Lambda.Unknown']);
  });
});

describe('summaryText', () => {
  const A = 's-aaaaaaaaaaaaaaaaa';
  const B = 's-bbbbbbbbbbbbbbbbb';
  const result: ExecutionResult = {
    executionId: 'shop-drill-1',
    planId: 'shop',
    executionType: 'DRILL',
    status: 'COMPLETED',
    rpo: { maxDataAgeSeconds: 0, servers: [] },
    warnings: [
      `wave 1 'App': optional server ${B} (FAILED) did not launch; the wave's verdict ignores optional servers`,
    ],
    waves: [
      {
        index: 0,
        name: 'App',
        status: 'COMPLETED',
        failedServers: [],
        optionalFailedServers: [B],
        servers: [
          { sourceServerID: A, launchStatus: 'LAUNCHED' },
          { sourceServerID: B, launchStatus: 'FAILED' },
        ],
      },
    ],
  };

  it('names an optional server that did not launch, marked optional, and shows the warning', () => {
    const text = summaryText(result, { seconds: 600, simulated: true });

    expect(text).toContain(`  ${B} in wave 'App' (optional): FAILED`);
    expect(text).toContain(`  ! wave 1 'App': optional server ${B} (FAILED) did not launch`);
  });
});
