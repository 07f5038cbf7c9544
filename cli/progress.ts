import type { ProgressEvent } from '../functions/shared/progress-event';
import { actionRow } from './progress-actions';
import { type FrameOptions, gateRow, plainLine, renderFrame, type TerminalSize } from './progress-frame';
import { ProgressModel } from './progress-model';
import { truncateCells } from './terminal-text';

/** What the display writes to: a terminal (with its size, and `resize` events) or a pipe. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

export interface ProgressDisplayOptions extends FrameOptions {
  /** Redraw one frame in place (a terminal), or write one plain line per change (a pipe). */
  interactive?: boolean;
}

// Used when a terminal does not report its size.
const DEFAULT_SIZE: TerminalSize = { columns: 80, rows: 24 };

/**
 * Shows a run wave by wave. On a terminal one frame (`renderFrame`) is redrawn in place: every
 * line fits the width and the frame fits the height, so moving the cursor up by the lines last
 * drawn always lands on the frame's first line. Not after a resize: most terminals rewrap what is
 * on screen at the new width (a 100-cell row becomes two at 80 columns) and pull rows back from
 * the scrollback when the window grows, some cut lines instead, so no count of rows is right on
 * all of them. A resize therefore redraws the whole screen from its top-left corner. Otherwise (a
 * pipe, a CI log) each change is one plain line.
 */
export class ProgressDisplay {
  private readonly model = new ProgressModel();
  private readonly interactive: boolean;
  private drawn = 0;
  private listening = false;
  private readonly lastPlain = new Map<number, string>();

  constructor(
    private readonly out: ProgressOutput,
    private readonly options: ProgressDisplayOptions = {},
  ) {
    this.interactive = options.interactive ?? Boolean(out.isTTY);
  }

  onEvent = (event: ProgressEvent): void => {
    const changed = this.model.apply(event);
    if (event.type === 'execution-started') {
      this.out.write(`${this.headerLine()}\n`);
      if (this.interactive) {
        if (!this.listening) this.out.on?.('resize', this.resized);
        this.listening = true;
        this.redraw();
      }
      return;
    }
    if (!changed) return;
    if (this.interactive) {
      this.redraw();
      return;
    }
    if (event.type === 'gate-opened' || event.type === 'gate-closed') {
      const gate = gateRow(this.model, changed);
      if (gate) this.out.write(`${plainLine(this.model, changed)}\n${gate}\n`);
      return;
    }
    if (event.type === 'wave-action') {
      const action = changed.actions?.find((a) => a.name === event.name && a.phase === event.phase);
      if (action) this.out.write(`${actionRow(action, this.model.start)}\n`);
      return;
    }
    // A pipe or CI log gets a line only when a wave's status or counts change, not on every poll.
    const key = `${changed.status} ${JSON.stringify(changed.counts ?? {})}`;
    if (this.lastPlain.get(changed.index) === key) return;
    this.lastPlain.set(changed.index, key);
    this.out.write(`${plainLine(this.model, changed)}\n`);
  };

  /** Leaves the final state on screen (for a pipe, the waves that never started) and stops following resizes. */
  finish(): void {
    if (this.listening) this.out.off?.('resize', this.resized);
    this.listening = false;
    // The execution has ended: no wave waits any more, so the last frame loses its "waits for" notes.
    this.model.finished = true;
    if (this.interactive) {
      if (this.drawn > 0) this.redraw();
      return;
    }
    for (const line of this.model.lines)
      if (line.status === 'NOT_STARTED') this.out.write(`${plainLine(this.model, line)}\n`);
  }

  private headerLine(): string {
    return `Execution ${this.model.executionId}: ${this.model.lines.length} wave(s)`;
  }

  private size(): TerminalSize {
    return { columns: this.out.columns || DEFAULT_SIZE.columns, rows: this.out.rows || DEFAULT_SIZE.rows };
  }

  private readonly redraw = (): void => {
    const frame = renderFrame(this.model, this.size(), this.options);
    // Back to the frame's first line (CUU 0 would move one line, hence the guard), each line
    // erased and rewritten, then whatever a longer previous frame left below erased (ED).
    const up = this.drawn > 0 ? `\r\x1b[${this.drawn}A` : '';
    this.out.write(`${up}${frame.map((line) => `\x1b[2K${line}\n`).join('')}\x1b[J`);
    this.drawn = frame.length;
  };

  /**
   * Whatever the terminal did to the old frame, the screen is erased from its top-left corner
   * (CUP, ED; not ED 2, which some terminals copy into the scrollback) and the frame drawn there,
   * under the header line when both fit. The price: what the window showed above the frame (the
   * command line) is erased too; the alternative, counting rows, leaves copies of the frame.
   */
  private readonly resized = (): void => {
    const size = this.size();
    const frame = renderFrame(this.model, size, this.options);
    const header = frame.length + 1 < size.rows ? [truncateCells(this.headerLine(), size.columns)] : [];
    this.out.write(`\x1b[H\x1b[J${[...header, ...frame].map((line) => `${line}\n`).join('')}`);
    this.drawn = frame.length;
  };
}
