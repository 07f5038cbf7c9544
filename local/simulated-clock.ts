import type { Clock } from '../functions/shared/clock';

/** Simulated time for local drills: it moves only when the runner advances it. */
export class SimulatedClock implements Clock {
  private epochMs: number;

  constructor(start: Date = new Date('2026-01-01T00:00:00.000Z')) {
    this.epochMs = start.getTime();
  }

  now(): Date {
    return new Date(this.epochMs);
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new RangeError(`cannot advance the simulated clock by ${seconds} seconds`);
    }
    this.epochMs += seconds * 1000;
  }
}
