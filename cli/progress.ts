import type { ProgressEvent } from '../functions/shared/progress-event';
import { ProgressModel } from './format';

/**
 * Shows a run wave by wave. On a terminal the block of wave lines is redrawn in place;
 * otherwise (a pipe, a CI log) each change is one plain line.
 */
export class ProgressDisplay {
  private readonly model = new ProgressModel();
  private drawn = 0;
  private readonly lastPlain = new Map<number, string>();

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly interactive = Boolean(out.isTTY),
  ) {}

  onEvent = (event: ProgressEvent): void => {
    const changed = this.model.apply(event);
    if (event.type === 'execution-started') {
      this.out.write(`Execution ${event.executionId}: ${event.waves.length} wave(s)\n`);
      if (this.interactive) this.redraw();
      return;
    }
    if (!changed) return;
    if (this.interactive) {
      this.redraw();
      return;
    }
    // A pipe or CI log gets a line only when a wave's status or counts change, not on every poll.
    const key = `${changed.status} ${JSON.stringify(changed.counts ?? {})}`;
    if (this.lastPlain.get(changed.index) === key) return;
    this.lastPlain.set(changed.index, key);
    this.out.write(`${this.model.render(changed)}\n`);
  };

  /** Leaves the final state of every line on screen (for a pipe, the waves that never started). */
  finish(): void {
    if (this.interactive) return;
    for (const line of this.model.lines)
      if (line.status === 'NOT_STARTED') this.out.write(`${this.model.render(line)}\n`);
  }

  private redraw(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A`);
    for (const line of this.model.lines) this.out.write(`\x1b[2K${this.model.render(line)}\n`);
    this.drawn = this.model.lines.length;
  }
}
