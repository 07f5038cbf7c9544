import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { PacedClock } from '../../../local/paced-clock';
import { LocalStepFunctions } from '../../../local/step-functions';
import { ExecutionStopped, TaskTokens } from '../../../local/task-tokens';

/** Simulated minutes a token wait has taken so far. */
const minutesSince = (clock: PacedClock, from: Date) => (clock.now().getTime() - from.getTime()) / 60_000;

describe('task tokens at the web console pace (a gate waits in watchable time)', () => {
  it('leaves the clock running at its pace while a gate waits, and the decision sent to it ends the wait', async () => {
    const clock = new PacedClock(600);
    const tokens = new TaskTokens(clock, (seconds, signal) => clock.pace(seconds, signal));
    const token = tokens.mint();
    const startedAt = clock.now();

    const waited = tokens.wait(token, 3600, startedAt);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Unpaced, the tokens jump the clock to the 60-minute deadline at once; paced, it has moved by its pace only.
    expect(minutesSince(clock, startedAt)).toBeLessThan(10);
    await new LocalStepFunctions(undefined, tokens).send(
      new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"APPROVE"}' }),
    );

    await expect(waited).resolves.toEqual({ decision: 'APPROVE' });
    expect(minutesSince(clock, startedAt)).toBeLessThan(10);
  });

  it('times the wait out with States.Timeout once its deadline comes at the pace', async () => {
    const clock = new PacedClock(6000);
    const tokens = new TaskTokens(clock, (seconds, signal) => clock.pace(seconds, signal));
    const startedAt = clock.now();

    await expect(tokens.wait(tokens.mint(), 60, startedAt)).rejects.toMatchObject({ name: 'States.Timeout' });
    expect(minutesSince(clock, startedAt)).toBeGreaterThanOrEqual(1);
  });

  it('ends the wait with ExecutionStopped, not States.Timeout, and without jumping the clock, when the execution is stopped', async () => {
    const clock = new PacedClock(600);
    const tokens = new TaskTokens(clock, (seconds, signal) => clock.pace(seconds, signal));
    const stop = new AbortController();
    const startedAt = clock.now();

    const waiting = tokens.wait(tokens.mint(), 3600, startedAt, stop.signal);
    stop.abort();

    // It settles (the engine clears its own task timer only then; a pending wait kept the process alive).
    await expect(waiting).rejects.toThrow(ExecutionStopped);
    expect(minutesSince(clock, startedAt)).toBeLessThan(10);
  });

  it('runs a scheduled decision when its time comes at the pace, not at once', async () => {
    const clock = new PacedClock(6000);
    const tokens = new TaskTokens(clock, (seconds, signal) => clock.pace(seconds, signal));
    const startedAt = clock.now();
    const ran = new Promise<number>((resolve) =>
      tokens.schedule(new Date(startedAt.getTime() + 120_000), async () => resolve(minutesSince(clock, startedAt))),
    );

    expect(await ran).toBeGreaterThanOrEqual(2);
  });
});
