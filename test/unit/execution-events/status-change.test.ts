import { handleExecutionEvent } from '../../../functions/execution-events/execution-events';
import { parseStatusChange } from '../../../functions/execution-events/status-change';
import { MalformedEvent } from '../../../functions/shared/errors';
import type { ExecutionStore } from '../../../functions/shared/execution-store';
import { SimulatedClock } from '../../../local/simulated-clock';

const ARN = 'arn:aws:states:us-east-1:111122223333:execution:drs-orchestrator:three-tier-drill-1';

/** An event as EventBridge delivers it, with the fields this function does not read. */
const delivered = (detail: Record<string, unknown> = {}) => ({
  version: '0',
  id: '315c1398-40ff-a850-213b-158f73e60175',
  'detail-type': 'Step Functions Execution Status Change',
  source: 'aws.states',
  account: '111122223333',
  time: '2026-01-01T00:05:00Z',
  region: 'us-east-1',
  resources: [ARN],
  detail: {
    executionArn: ARN,
    stateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:drs-orchestrator',
    name: 'three-tier-drill-1',
    status: 'ABORTED',
    startDate: 1767225600000,
    stopDate: 1767225900000,
    input: '{"planId":"three-tier","executionType":"DRILL"}',
    output: null,
    inputDetails: { included: true },
    outputDetails: null,
    error: null,
    cause: null,
    ...detail,
  },
});

const problemsOf = (event: unknown): string[] => {
  try {
    parseStatusChange(event);
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedEvent);
    return (error as MalformedEvent).problems;
  }
  throw new Error('expected MalformedEvent');
};

describe('parseStatusChange', () => {
  it('returns the fields the function reads from an event as EventBridge delivers it', () => {
    expect(parseStatusChange(delivered())).toEqual({
      'detail-type': 'Step Functions Execution Status Change',
      detail: {
        executionArn: ARN,
        stateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:drs-orchestrator',
        name: 'three-tier-drill-1',
        status: 'ABORTED',
        startDate: 1767225600000,
        stopDate: 1767225900000,
        input: '{"planId":"three-tier","executionType":"DRILL"}',
        error: null,
        cause: null,
      },
    });
  });

  it('keeps a status it does not know, which the function then logs and ignores', () => {
    expect(parseStatusChange(delivered({ status: 'PENDING_REDRIVE' })).detail.status).toBe('PENDING_REDRIVE');
  });

  it('fails with MalformedEvent naming every problem when the detail has the wrong fields', () => {
    expect(problemsOf(delivered({ executionArn: undefined, name: 42, status: '', stopDate: '2026-01-01' }))).toEqual([
      'detail.executionArn: is missing',
      'detail.name: must be a string',
      'detail.status: must not be empty',
      'detail.stopDate: must be a time in epoch milliseconds or null',
    ]);
  });

  it('fails with MalformedEvent when the event has no detail, or is not an object', () => {
    expect(problemsOf({ 'detail-type': 'Scheduled Event' })).toEqual(['detail: is missing']);
    expect(problemsOf('RUNNING')).toEqual(['the event must be an object']);
  });

  it('names the event in the error message, so the log says what arrived', () => {
    expect(() => parseStatusChange({})).toThrow(
      'The event is not a Step Functions Execution Status Change (1 problem): detail: is missing',
    );
  });
});

describe('handleExecutionEvent', () => {
  it('fails with MalformedEvent before it reads or writes any record', async () => {
    const store = new Proxy({} as ExecutionStore, {
      get: (_, method) => {
        throw new Error(`the store was used: ${String(method)}`);
      },
    });
    const notify = jest.fn();
    const sfn = {
      send: async () => {
        throw new Error('Step Functions was asked');
      },
    };
    const handle = handleExecutionEvent({
      store,
      sfn,
      stateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:drs-orchestrator',
      notify,
      cleanupWorkflows: { start: async () => 'never', stop: async () => {} },
      clock: new SimulatedClock(new Date(0)),
    });

    await expect(handle({ detail: { name: 'x' } })).rejects.toBeInstanceOf(MalformedEvent);
    expect(notify).not.toHaveBeenCalled();
  });
});
