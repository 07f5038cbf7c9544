import type { EngineEvent } from '../../../local/engine';
import { historyEventsOf, StepFunctionsLimits } from '../../../local/step-functions-limits';

const event = (type: string, stateType?: string, io: { input?: unknown; output?: unknown } = {}): EngineEvent => ({
  type,
  ...(stateType ? { state: { name: `a ${stateType}`, type: stateType, ...io } } : {}),
});

describe('historyEventsOf', () => {
  it.each([
    ['ExecutionStarted', undefined, 1],
    ['StateEntered', 'Task', 4], // TaskStateEntered, LambdaFunctionScheduled, Started, Succeeded/Failed
    ['StateRetried', 'Task', 3], // another attempt: Scheduled, Started, Succeeded/Failed
    ['StateExited', 'Task', 1],
    ['StateEntered', 'Wait', 1],
    ['StateEntered', 'Choice', 1],
    ['StateEntered', 'Map', 2], // MapStateEntered, MapStateStarted
    ['StateExited', 'Map', 2], // MapStateSucceeded, MapStateExited
    ['StateFailed', 'Map', 1], // MapStateFailed
    ['StateFailed', 'Task', 0], // counted with its attempt
    ['StateEntered', 'Fail', 1], // FailStateEntered only
    ['MapIterationStarted', undefined, 1],
    ['StateCaught', 'Task', 0],
  ])('counts %s of a %s as %i', (type, stateType, expected) => {
    expect(historyEventsOf(event(type, stateType))).toBe(expected);
  });
});

describe('StepFunctionsLimits', () => {
  it('fails the execution with States.Runtime at the 25,001st history event, not before', () => {
    const limits = new StepFunctionsLimits();
    for (let n = 0; n < 25_000; n++) expect(limits.observe(event('ExecutionStarted'))).toBeUndefined();

    expect(limits.observe(event('ExecutionStarted'))).toEqual({
      error: 'States.Runtime',
      cause: 'The execution reached the maximum number of history events (25000).',
    });
  });

  it('fails a state whose input or output passes 256 KiB with States.DataLimitExceeded, not one of exactly 256 KiB', () => {
    const limits = new StepFunctionsLimits();
    const ofBytes = (n: number) => 'x'.repeat(n - 2); // a JSON string: its quotes count

    expect(limits.observe(event('StateEntered', 'Pass', { input: ofBytes(262_144) }))).toBeUndefined();
    expect(limits.observe(event('StateExited', 'Pass', { output: ofBytes(262_145) }))).toEqual({
      error: 'States.DataLimitExceeded',
      cause:
        "The output of state 'a Pass' has a size of 262145 bytes, exceeding the maximum number of bytes service limit (262144).",
    });
    expect(limits.payload(ofBytes(262_145), "The result of task 'x'")?.error).toBe('States.DataLimitExceeded');
  });
});
