import { executionEnding, type WaveVerdict, waveVerdictsSchema } from '../../../functions/shared/execution-ending';

const completed = (waveIndex: number): WaveVerdict => ({ waveIndex, status: 'COMPLETED' });
const notStarted = (waveIndex: number): WaveVerdict => ({ waveIndex, status: 'NOT_STARTED' });

describe('executionEnding', () => {
  it('is COMPLETED only when every wave COMPLETED', () => {
    expect(executionEnding([completed(0), completed(1), completed(2)])).toEqual({ outcome: 'COMPLETED' });
  });

  it("names a wave's own failure with its error and cause", () => {
    expect(
      executionEnding([
        completed(0),
        { waveIndex: 1, status: 'TIMED_OUT', error: 'WaveTimedOut', cause: 'Wave 2 did not launch in time' },
        notStarted(2),
      ]),
    ).toEqual({ outcome: 'FAILED', error: 'WaveTimedOut', cause: 'Wave 2 did not launch in time', waveIndex: 1 });
  });

  it('takes the first failure in plan order, whatever order the verdicts came in', () => {
    const ending = executionEnding([
      { waveIndex: 3, status: 'FAILED', error: 'WaveFailed', cause: 'wave 4' },
      completed(0),
      { waveIndex: 1, status: 'FAILED', error: 'WaveActionFailed', cause: 'wave 2' },
    ]);
    expect(ending).toEqual({ outcome: 'FAILED', error: 'WaveActionFailed', cause: 'wave 2', waveIndex: 1 });
  });

  it("reads a caught error's name and unwraps a Lambda error's message as the cause", () => {
    const cause = JSON.stringify({ errorType: 'DrsRejected', errorMessage: 'StartRecovery was refused', trace: [] });
    expect(
      executionEnding([{ waveIndex: 0, status: 'FAILED', failure: { Error: 'DrsRejected', Cause: cause } }]),
    ).toEqual({ outcome: 'FAILED', error: 'DrsRejected', cause: 'StartRecovery was refused', waveIndex: 0 });
  });

  it('keeps ApprovalRejected as the error name (the execution is then CANCELLED)', () => {
    expect(
      executionEnding([
        { waveIndex: 0, status: 'FAILED', failure: { Error: 'ApprovalRejected', Cause: 'no' } },
        notStarted(1),
      ]),
    ).toMatchObject({ outcome: 'FAILED', error: 'ApprovalRejected', cause: 'no' });
  });

  it('never ends a failure without a name or a cause', () => {
    expect(executionEnding([{ waveIndex: 0, status: 'FAILED', failure: {} }])).toEqual({
      outcome: 'FAILED',
      error: 'States.Unknown',
      cause: 'no cause was given',
      waveIndex: 0,
    });
  });

  it('reports waves not started with no failure to explain them, rather than COMPLETED', () => {
    expect(executionEnding([completed(0), notStarted(1), notStarted(2)])).toMatchObject({
      outcome: 'FAILED',
      error: 'UnexpectedVerdict',
      cause: expect.stringContaining('2, 3'),
      waveIndex: 1,
    });
  });
});

describe('waveVerdictsSchema', () => {
  it('refuses an empty list and an unknown status', () => {
    expect(waveVerdictsSchema.safeParse([]).success).toBe(false);
    expect(waveVerdictsSchema.safeParse([{ waveIndex: 0, status: 'LAUNCHING' }]).success).toBe(false);
    expect(waveVerdictsSchema.safeParse([completed(0)]).success).toBe(true);
  });
});
