import type { ProgressEvent } from '../functions/shared/progress-event';
import { dependencyNamesOf } from '../functions/shared/wave-graph';
import { type ActionLine, applyAction } from './progress-actions';

/** One wave as the progress view shows it, folded from progress events. */
export interface WaveLine {
  index: number;
  name: string;
  servers: number;
  /** The waves it waits for, resolved (the plan's `dependsOn`, else the previous wave). */
  dependsOn: string[];
  /** NOT_STARTED, LAUNCHING once it has its DRS job, then the wave status the records hold. */
  status: string;
  counts?: Record<string, number>;
  jobId?: string;
  at?: Date;
  /** The wave's approval gate once it opened: shown as a line of its own under the wave. */
  gate?: GateLine;
  /** The wave's actions so far, each a line of its own. */
  actions?: ActionLine[];
}

export interface GateLine {
  state: 'AWAITING' | 'APPROVE' | 'REJECT' | 'TIMED_OUT';
  message?: string;
  timeoutAt?: Date;
  by?: string;
  comment?: string;
  at: Date;
}

/** Wave statuses after which a wave changes no more; only COMPLETED is a success. */
const ENDED_WAVE_STATUSES: readonly string[] = ['COMPLETED', 'FAILED', 'TIMED_OUT', 'CANCELLED'];

export const waveEnded = (line: WaveLine): boolean => ENDED_WAVE_STATUSES.includes(line.status);
/** Started and not ended, or waiting for room (its dependencies are done): always on screen. */
export const waveRunning = (line: WaveLine): boolean => line.status !== 'NOT_STARTED' && !waveEnded(line);
/** Ended without COMPLETED (FAILED, TIMED_OUT, CANCELLED): always on screen. */
export const waveFailed = (line: WaveLine): boolean => waveEnded(line) && line.status !== 'COMPLETED';

/** What a person following a long run wants at a glance. */
export interface OverallProgress {
  waves: number;
  /** Waves by status, NOT_STARTED left out. */
  waveCounts: Record<string, number>;
  servers: number;
  /** Servers by launch status (LAUNCHED, FAILED, IN_PROGRESS, ...), from the latest reading of each wave. */
  serverCounts: Record<string, number>;
  /** From the execution's start to the latest event (simulated time locally). */
  elapsedSeconds: number;
}

/** The state of every wave's line, folded from progress events. */
export class ProgressModel {
  executionId = '';
  start: Date | undefined;
  /** When the latest event happened: the view's clock, so a replayed run shows the same times. */
  latest: Date | undefined;
  lines: WaveLine[] = [];
  /** Set once the execution has ended: nothing waits any more. */
  finished = false;
  /** The longest status any wave has had (never shrinks, so a pipe's columns stay put once widened). */
  statusWidth = 'NOT_STARTED'.length;

  apply(event: ProgressEvent): WaveLine | undefined {
    this.latest = event.at;
    if (event.type === 'execution-started') {
      this.executionId = event.executionId;
      this.start = event.at;
      const dependsOn = dependencyNamesOf(event.waves);
      this.lines = event.waves.map((w, i) => ({ ...w, dependsOn: dependsOn[i] ?? [], status: 'NOT_STARTED' }));
      return undefined;
    }
    const line = this.lines[event.index];
    if (!line) return undefined;
    if (event.type === 'wave-action') {
      line.actions = applyAction(line.actions, event);
      return line;
    }
    line.at = event.at;
    if (event.type === 'gate-opened') {
      line.gate = {
        state: 'AWAITING',
        ...(event.message ? { message: event.message } : {}),
        timeoutAt: event.timeoutAt,
        at: event.at,
      };
    } else if (event.type === 'gate-closed') {
      line.gate = {
        ...line.gate,
        state: event.decision,
        ...(event.by ? { by: event.by } : {}),
        ...(event.comment ? { comment: event.comment } : {}),
        at: event.at,
      };
    } else if (event.type === 'wave-started') {
      line.status = 'LAUNCHING';
      line.jobId = event.jobId;
    } else {
      line.status = event.status;
      line.counts = event.counts;
      this.statusWidth = Math.max(this.statusWidth, event.status.length);
    }
    return line;
  }

  /**
   * What a wave that has not started waits for, in words, while the execution runs: room under
   * the DRS quotas (WAITING_FOR_CAPACITY), or its dependencies not COMPLETED yet ("waits for
   * Databases"; one that ended otherwise with its status: "waits for Databases (FAILED)"). The
   * latter only when the waves form a graph: in a chain, plan order already says it, on every line.
   */
  waitingFor(line: WaveLine): string | undefined {
    if (this.finished) return undefined;
    if (line.status === 'WAITING_FOR_CAPACITY') return 'waits for room under the DRS quotas';
    if (line.status !== 'NOT_STARTED' || !this.isGraph()) return undefined;
    const pending = line.dependsOn
      .map((name) => this.lines.find((other) => other.name === name))
      .filter((dep): dep is WaveLine => dep !== undefined && dep.status !== 'COMPLETED')
      .map((dep) => (waveEnded(dep) ? `${dep.name} (${dep.status})` : dep.name));
    return pending.length > 0 ? `waits for ${pending.join(', ')}` : undefined;
  }

  /** Whether some wave depends on other than the wave before it (the waves branch or join). */
  isGraph(): boolean {
    return this.lines.some((line, i) => line.dependsOn.join('\n') !== (i === 0 ? '' : (this.lines[i - 1]?.name ?? '')));
  }

  overall(): OverallProgress {
    const waveCounts: Record<string, number> = {};
    const serverCounts: Record<string, number> = {};
    for (const line of this.lines) {
      if (line.status !== 'NOT_STARTED') waveCounts[line.status] = (waveCounts[line.status] ?? 0) + 1;
      for (const [status, n] of Object.entries(line.counts ?? {}))
        serverCounts[status] = (serverCounts[status] ?? 0) + n;
    }
    const elapsedMs = this.start && this.latest ? this.latest.getTime() - this.start.getTime() : 0;
    return {
      waves: this.lines.length,
      waveCounts,
      servers: this.lines.reduce((sum, line) => sum + line.servers, 0),
      serverCounts,
      elapsedSeconds: Math.max(0, Math.round(elapsedMs / 1000)),
    };
  }
}
