import { MAX_OUTAGE_POLL_SECONDS, outageNote, outagePollSeconds } from '../../../functions/classify-wave/drs-outage';

describe('outagePollSeconds', () => {
  it('doubles the plan interval with each failed poll, up to five minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => outagePollSeconds(n, 30, 10_000))).toEqual([
      30, 60, 120, 240, 300, 300, 300,
    ]);
    expect(MAX_OUTAGE_POLL_SECONDS).toBe(300);
  });

  it('never waits past the deadline, and at least a second', () => {
    expect(outagePollSeconds(5, 30, 42.5)).toBe(43);
    expect(outagePollSeconds(1, 30, 0.2)).toBe(1);
  });

  it('keeps a plan interval longer than the cap', () => {
    expect(outagePollSeconds(3, 600, 10_000)).toBe(600);
  });
});

describe('outageNote', () => {
  it('names the operation, since when, the attempts and the last error', () => {
    expect(
      outageNote({
        operation: 'DescribeJobs',
        since: '2026-01-01T00:02:00.000Z',
        lastAt: '2026-01-01T00:06:00.000Z',
        attempts: 3,
        lastError: 'InternalServerException: boom',
      }),
    ).toBe(
      'DRS did not answer DescribeJobs since 2026-01-01T00:02:00.000Z (3 attempts, last error: InternalServerException: boom)',
    );
  });
});
