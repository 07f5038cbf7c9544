import { problemsOfCause } from '../../../cli/format';

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
