import type { DetectionLatencyFigures } from '../../../bench/detection-latency';
import { type Figures, latencyTargets, planTargets } from '../../../bench/targets';

const run = (detection: number | undefined, failure: number | undefined) => ({
  detectionLatencySeconds: detection,
  failureDetectionLatencySeconds: failure,
  transitions: 74,
  historyEvents: 273,
});

const latency = (over: Partial<DetectionLatencyFigures> = {}): DetectionLatencyFigures => ({
  withEvents: run(2, 2),
  withoutEvents: run(587, 77),
  fallbackPollSeconds: 600,
  ...over,
});

describe('latencyTargets', () => {
  it('meets every target when events bring verdicts within 5 s and polling alone within its interval', () => {
    expect(latencyTargets('typical-drill', latency(), 74).map((t) => t.met)).toEqual([true, true, true, true, true]);
  });

  it('misses the events target past 5 s and the polling target past the fallback interval', () => {
    const slow = latency({ withEvents: run(6, 5), withoutEvents: run(600, 601) });
    expect(latencyTargets('typical-drill', slow, undefined).map((t) => t.met)).toEqual([false, true, true, false]);
  });

  it('counts a latency that was never measured as missed, and says so', () => {
    const [success] = latencyTargets('typical-drill', latency({ withEvents: run(undefined, 2) }), undefined);
    expect(success).toEqual({
      target: 'typical-drill: success detected <= 5 s with events (none measured)',
      met: false,
    });
  });

  it("compares the typical drill's transitions with the figure before launch events (257)", () => {
    expect(latencyTargets('typical-drill', latency(), 258).at(-1)).toEqual({
      target:
        'typical-drill: state transitions no more than before launch events (258 now, 257 in bench/results.json at 63980bc (before launch events))',
      met: false,
    });
  });
});

describe('planTargets', () => {
  const figures = {
    name: 'estate-dag',
    rtoOverLowerBound: 5,
    historyEvents: 5000,
    detectionLatencySeconds: 2,
    peakServersInJobs: 500,
    peakConcurrentWaves: 5,
  };

  it("holds estate-dag to issue 12's rtoOverLowerBound <= 1.05, 12,500 history events and the quotas", () => {
    expect(planTargets(figures as Figures, 30)).toEqual([
      { target: 'rtoOverLowerBound <= 1.05', met: false },
      { target: 'history events <= 12,500', met: true },
      { target: '<= 500 servers in running jobs at any instant', met: true },
      { target: '<= 20 jobs running at any instant', met: true },
      { target: 'detection latency <= one poll interval (30 s)', met: true },
    ]);
  });

  it('misses the bound at 1.051 and the quotas one server or one job past them', () => {
    const over = { ...figures, rtoOverLowerBound: 1.051, peakServersInJobs: 501, peakConcurrentWaves: 21 };
    expect(planTargets(over as Figures, 30).map((t) => t.met)).toEqual([false, true, false, false, true]);
    const at = { ...figures, rtoOverLowerBound: 1.05 };
    expect(planTargets(at as Figures, 30)[0]).toEqual({ target: 'rtoOverLowerBound <= 1.05', met: true });
  });

  it('checks the sequential column really ran one wave at a time', () => {
    const sequential = { ...figures, name: 'estate-dag-sequential', peakConcurrentWaves: 2 };
    expect(planTargets(sequential as Figures, 30)[0]).toEqual({ target: 'one wave at a time', met: false });
    expect(planTargets({ ...sequential, peakConcurrentWaves: 1 } as Figures, 30)[0]?.met).toBe(true);
  });

  it('counts no measured detection latency as missed', () => {
    const none = { ...figures, name: 'small', detectionLatencySeconds: null };
    expect(planTargets(none as Figures, 30)).toEqual([
      { target: 'detection latency <= one poll interval (30 s)', met: false },
    ]);
  });
});
