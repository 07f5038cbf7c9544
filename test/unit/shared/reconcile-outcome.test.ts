import { reconcileOutcome } from '../../../functions/shared/reconcile-outcome';
import type { ExecutionResult, ExecutionStatus } from '../../../functions/shared/types';

const identity = { executionId: 'x-drill-1', planId: 'p', executionType: 'DRILL' };
const recorded = (status: ExecutionStatus, extra: Partial<ExecutionResult> = {}): ExecutionResult => ({
  ...identity,
  status,
  rto: { targetMinutes: null, actualSeconds: 0, met: null },
  rpo: { maxDataAgeSeconds: 0, servers: [] },
  warnings: [],
  waves: [
    {
      index: 0,
      name: 'A',
      status: 'COMPLETED',
      dependsOn: [],
      failedServers: [],
      optionalFailedServers: [],
      targetMinutes: null,
      targetMet: null,
    },
  ],
  ...extra,
});

describe('reconcileOutcome', () => {
  it('returns the records when they say COMPLETED and the workflow SUCCEEDED', () => {
    const records = recorded('COMPLETED');
    expect(reconcileOutcome(records, { status: 'SUCCEEDED' }, identity)).toBe(records);
  });

  it.each([
    ['FAILED', 'FAILED'],
    ['TIMED_OUT', 'FAILED'],
    ['CANCELLED', 'ABORTED'],
    ['TIMED_OUT', 'TIMED_OUT'],
  ] as const)('returns the records when they say %s and the workflow ended %s', (status, workflow) => {
    const records = recorded(status, { error: 'WaveFailed', cause: 'a server failed' });
    expect(reconcileOutcome(records, { status: workflow, error: 'States.Runtime' }, identity)).toBe(records);
  });

  it("fails, with the workflow's error, when the records say COMPLETED but the workflow did not succeed", () => {
    const result = reconcileOutcome(
      recorded('COMPLETED'),
      { status: 'FAILED', error: 'States.Runtime', cause: 'boom' },
      identity,
    );
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime', waves: [{ status: 'COMPLETED' }] });
    expect(result.cause).toBe('the records say COMPLETED but Step Functions says FAILED (boom)');
  });

  it('fails as RecordsDisagree when the workflow names no error', () => {
    expect(reconcileOutcome(recorded('COMPLETED'), { status: 'ABORTED' }, identity)).toMatchObject({
      status: 'FAILED',
      error: 'RecordsDisagree',
      cause: 'the records say COMPLETED but Step Functions says ABORTED',
    });
  });

  it('fails when the workflow SUCCEEDED but the records say it failed', () => {
    expect(reconcileOutcome(recorded('FAILED'), { status: 'SUCCEEDED' }, identity)).toMatchObject({
      status: 'FAILED',
      error: 'RecordsDisagree',
      cause: 'the records say FAILED but Step Functions says SUCCEEDED',
    });
  });

  it.each(['PENDING', 'POLLING'] as const)('fails as RecordsNotUpdated when the records still say %s', (status) => {
    expect(reconcileOutcome(recorded(status), { status: 'SUCCEEDED' }, identity)).toMatchObject({
      status: 'FAILED',
      error: 'RecordsNotUpdated',
      cause: `Step Functions says SUCCEEDED but the records still say ${status}`,
    });
  });

  it('fails as NotRecorded, naming the execution, when there is no record at all', () => {
    expect(reconcileOutcome(undefined, { status: 'SUCCEEDED' }, { ...identity, executionArn: 'arn:x' })).toEqual({
      ...identity,
      executionArn: 'arn:x',
      status: 'FAILED',
      error: 'NotRecorded',
      cause: 'Step Functions says SUCCEEDED but the execution has no record',
      rto: { targetMinutes: null, actualSeconds: 0, met: null },
      rpo: { maxDataAgeSeconds: 0, servers: [] },
      warnings: [],
      waves: [],
    });
  });

  it("keeps the workflow's error when there is no record and the workflow failed", () => {
    expect(reconcileOutcome(undefined, { status: 'FAILED', error: 'Lambda.Unknown' }, identity)).toMatchObject({
      status: 'FAILED',
      error: 'Lambda.Unknown',
    });
  });

  it('never returns COMPLETED unless both sides say so', () => {
    const statuses: ExecutionStatus[] = ['PENDING', 'POLLING', 'COMPLETED', 'FAILED', 'TIMED_OUT', 'CANCELLED'];
    const endings = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];
    for (const status of statuses)
      for (const ending of endings) {
        const result = reconcileOutcome(recorded(status), { status: ending }, identity);
        expect(result.status === 'COMPLETED').toBe(status === 'COMPLETED' && ending === 'SUCCEEDED');
      }
    expect(reconcileOutcome(undefined, { status: 'SUCCEEDED' }, identity).status).toBe('FAILED');
  });
});
