import fc from 'fast-check';
import { MAX_QUIET_POLL_SECONDS, nextPollSeconds, type PollSchedule } from '../../../functions/shared/poll-schedule';

const schedule = (over: Partial<PollSchedule>): PollSchedule => ({
  pollIntervalSeconds: 30,
  elapsedSeconds: 0,
  expectedSeconds: 0,
  anyLaunched: false,
  secondsToDeadline: 3600,
  ...over,
});

describe('nextPollSeconds', () => {
  it("returns the plan's interval when nothing is known of the launch time", () => {
    expect(nextPollSeconds(schedule({ elapsedSeconds: 300 }))).toBe(30);
  });

  it('returns a longer interval far from the expected launch time', () => {
    expect(nextPollSeconds(schedule({ expectedSeconds: 1200 }))).toBe(150);
    expect(nextPollSeconds(schedule({ expectedSeconds: 7200, secondsToDeadline: 9000 }))).toBe(MAX_QUIET_POLL_SECONDS);
  });

  it('sleeps no further than the start of the approach to the expected launch time', () => {
    // expected 1200 s, lead 60 s: approach at 1140 s
    expect(nextPollSeconds(schedule({ expectedSeconds: 1200, elapsedSeconds: 1050 }))).toBe(90);
  });

  it("returns the plan's interval near the expected launch time and after it", () => {
    expect(nextPollSeconds(schedule({ expectedSeconds: 1200, elapsedSeconds: 1140 }))).toBe(30);
    expect(nextPollSeconds(schedule({ expectedSeconds: 1200, elapsedSeconds: 5000 }))).toBe(30);
  });

  it("returns the plan's interval once any server LAUNCHED", () => {
    expect(nextPollSeconds(schedule({ expectedSeconds: 7200, anyLaunched: true }))).toBe(30);
  });

  it('never sleeps past the deadline, and at least a second', () => {
    expect(nextPollSeconds(schedule({ expectedSeconds: 7200, secondsToDeadline: 45 }))).toBe(45);
    expect(nextPollSeconds(schedule({ secondsToDeadline: 0.2 }))).toBe(1);
  });

  describe('the approach to the expected launch time', () => {
    it('begins two intervals before it when that is longer than a twentieth of it', () => {
      // expected 1000 s, interval 30 s: lead max(60, 50) = 60 s, approach at 940 s, quiet interval 125 s
      expect(nextPollSeconds(schedule({ expectedSeconds: 1000, elapsedSeconds: 800 }))).toBe(125);
      expect(nextPollSeconds(schedule({ expectedSeconds: 1000, elapsedSeconds: 850 }))).toBe(90);
    });

    it('begins a twentieth of it before it when that is longer than two intervals', () => {
      // expected 10000 s: lead max(60, 500) = 500 s, approach at 9500 s, quiet interval 600 s
      expect(
        nextPollSeconds(schedule({ expectedSeconds: 10_000, elapsedSeconds: 9000, secondsToDeadline: 9000 })),
      ).toBe(500);
      expect(
        nextPollSeconds(schedule({ expectedSeconds: 10_000, elapsedSeconds: 9480, secondsToDeadline: 9000 })),
      ).toBe(30);
    });

    it("never polls more often than the plan's interval just before the approach", () => {
      // 10 s before the approach: the quiet phase is over, the plan's interval applies (not 10 s)
      expect(nextPollSeconds(schedule({ expectedSeconds: 1000, elapsedSeconds: 930 }))).toBe(30);
    });

    it('rounds a fractional quiet interval up to whole seconds, and caps it at ten minutes', () => {
      expect(nextPollSeconds(schedule({ expectedSeconds: 1001 }))).toBe(126);
      expect(MAX_QUIET_POLL_SECONDS).toBe(600);
      expect(nextPollSeconds(schedule({ expectedSeconds: 100_000, secondsToDeadline: 100_000 }))).toBe(600);
    });
  });

  it('is never shorter than the plan interval unless the deadline is nearer, nor longer than ten minutes', () => {
    fc.assert(
      fc.property(
        fc.record({
          pollIntervalSeconds: fc.integer({ min: 5, max: 3600 }),
          elapsedSeconds: fc.integer({ min: 0, max: 100_000 }),
          expectedSeconds: fc.integer({ min: 0, max: 100_000 }),
          anyLaunched: fc.boolean(),
          secondsToDeadline: fc.integer({ min: 1, max: 100_000 }),
        }),
        (s) => {
          const next = nextPollSeconds(s);
          const floor = Math.min(s.pollIntervalSeconds, s.secondsToDeadline);
          return (
            next >= floor &&
            next <= Math.max(s.pollIntervalSeconds, MAX_QUIET_POLL_SECONDS) &&
            next <= Math.max(1, s.secondsToDeadline)
          );
        },
      ),
    );
  });
});
