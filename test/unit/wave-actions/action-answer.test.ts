import { MAX_ACTION_MESSAGE, outcomeOf } from '../../../functions/wave-actions/action-answer';

describe('outcomeOf', () => {
  it('succeeds only for an answer { ok: true, message }', () => {
    expect(outcomeOf({ answer: { ok: true, message: 'healthy' } }, 60)).toEqual({
      status: 'SUCCEEDED',
      message: 'healthy',
    });
  });

  it('fails an answer with ok: false, keeping its message', () => {
    expect(outcomeOf({ answer: { ok: false, message: 'HTTP 503' } }, 60)).toEqual({
      status: 'FAILED',
      message: 'HTTP 503',
    });
  });

  it.each([
    ['no answer at all', null],
    ['a string', 'ok'],
    ['ok as a string', { ok: 'true', message: 'x' }],
    ['no message', { ok: true }],
    ['another shape', { status: 'green' }],
  ])('fails a malformed answer: %s', (_, answer) => {
    const outcome = outcomeOf({ answer }, 60);
    expect(outcome.status).toBe('FAILED');
    expect(outcome.message).toMatch(/^the function answered .*, not \{ "ok": true\|false, "message": "\.\.\." \}/);
  });

  it('fails a thrown error, naming its type and message from the Lambda error JSON', () => {
    const Cause = JSON.stringify({ errorType: 'TypeError', errorMessage: 'x is undefined', trace: [] });
    expect(outcomeOf({ Error: 'TypeError', Cause }, 60)).toEqual({
      status: 'FAILED',
      message: 'the function threw TypeError: x is undefined',
    });
  });

  it('fails a timeout, saying how long it had', () => {
    expect(outcomeOf({ Error: 'States.Timeout', Cause: '' }, 300)).toEqual({
      status: 'FAILED',
      message: 'no answer within its timeout of 300 s (States.Timeout)',
    });
  });

  it('fails an invoke Lambda refused, with its error and cause as given', () => {
    expect(outcomeOf({ Error: 'Lambda.AWSLambdaException', Cause: 'AccessDeniedException' }, 60)).toEqual({
      status: 'FAILED',
      message: 'the invoke failed with Lambda.AWSLambdaException: AccessDeniedException',
    });
  });

  it('cuts a long message to what the records keep', () => {
    const outcome = outcomeOf({ answer: { ok: false, message: 'x'.repeat(5000) } }, 60);
    expect(outcome.message).toHaveLength(MAX_ACTION_MESSAGE);
    expect(outcome.message.endsWith('...')).toBe(true);
  });
});
