import { SimulatedClock } from './simulated-clock';

/**
 * Simulated time at a watchable pace, for the web console: it runs by itself at `speed` simulated
 * seconds per real second (60: a simulated minute each second), so a person sees waves progress.
 * A Wait state of the local engine then lasts its time at that pace (`pace`), instead of moving the
 * clock at once as a drill does; `advance` (a retry's backoff) still jumps it forward.
 */
export class PacedClock extends SimulatedClock {
  private readonly realStart = performance.now();
  private offsetMs = 0;

  constructor(
    readonly speed: number,
    private readonly start: Date = new Date(),
  ) {
    super(start);
    if (!Number.isFinite(speed) || speed <= 0)
      throw new RangeError(`the speed must be a positive number (got ${speed})`);
  }

  override now(): Date {
    return new Date(this.start.getTime() + (performance.now() - this.realStart) * this.speed + this.offsetMs);
  }

  override advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new RangeError(`cannot advance the simulated clock by ${seconds} seconds`);
    }
    this.offsetMs += seconds * 1000;
  }

  /** Resolves once `seconds` of simulated time have passed (at once when aborted). */
  pace(seconds: number, signal?: AbortSignal): Promise<void> {
    const until = this.now().getTime() + seconds * 1000;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const check = () => {
        const left = until - this.now().getTime();
        if (left <= 0) return done();
        timer = setTimeout(check, Math.max(1, left / this.speed));
      };
      let timer: NodeJS.Timeout = setTimeout(check, 0);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
