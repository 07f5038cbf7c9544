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
  const figures = { name: 'estate-dag', rtoOverLowerBound: 5, historyEvents: 5000, detectionLatencySeconds: 2 };

  it("holds estate-dag to issue 12's rtoOverLowerBound <= 1.05 and 12,500 history events", () => {
    expect(planTargets(figures as Figures, 30)).toEqual([
      { target: 'rtoOverLowerBound <= 1.05', met: false },
      { target: 'history events <= 12,500', met: true },
      { target: 'detection latency <= one poll interval (30 s)', met: true },
    ]);
  });

  it('counts no measured detection latency as missed', () => {
    const none = { ...figures, name: 'small', detectionLatencySeconds: null };
    expect(planTargets(none as Figures, 30)).toEqual([
      { target: 'detection latency <= one poll interval (30 s)', met: false },
    ]);
  });
});
