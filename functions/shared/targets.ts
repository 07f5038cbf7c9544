import { z } from 'zod';
import { shown } from './zod-problems';

/**
 * Recovery targets: what a plan promises the business, checked against what an execution did.
 * A missed target is not a failed execution (the servers may all have launched, late): it is
 * reported, prominently, in every view, and never changes a status or an exit code.
 *
 * - `rtoMinutes` (plan): the whole execution, from its start to the last wave's verdict.
 * - `rpoMinutes` (plan): the largest data age allowed at launch (the recovery point, `rpo`).
 * - `targetMinutes` (wave): from the wave's start to its verdict.
 */
export const TARGET_LIMITS = {
  /** A week: longer than any wave timeout sum a plan can have within its history budget. */
  maxMinutes: 10_080,
} as const;

const targetMinutes = (what: string) =>
  z
    .number({
      error: (issue) =>
        issue.input === undefined ? `${what} is missing` : `${what} must be a number (got ${shown(issue.input)})`,
    })
    .int({ error: (issue) => `${what} must be a whole number of minutes (got ${shown(issue.input)})` })
    .min(1, {
      error: (issue) => `${what} must be between 1 and ${TARGET_LIMITS.maxMinutes} minutes (got ${shown(issue.input)})`,
    })
    .max(TARGET_LIMITS.maxMinutes, {
      error: (issue) => `${what} must be between 1 and ${TARGET_LIMITS.maxMinutes} minutes (got ${shown(issue.input)})`,
    })
    .optional();

/** The plan's target fields, spread into the plan schema (`plan-rules.ts`). */
export const planTargetsShape = {
  rtoMinutes: targetMinutes('rtoMinutes'),
  rpoMinutes: targetMinutes('rpoMinutes'),
};

/** The wave's target field, spread into the wave schema (`plan-rules.ts`). */
export const waveTargetShape = {
  targetMinutes: targetMinutes('targetMinutes'),
};

/** `rto` in a result: the target (null: none), the time taken so far, and whether the target held. */
export interface RtoCheck {
  targetMinutes: number | null;
  actualSeconds: number;
  /** null: no target, or the execution is still under way and within it. */
  met: boolean | null;
}

const FINAL = new Set(['COMPLETED', 'FAILED', 'TIMED_OUT', 'CANCELLED']);
const seconds = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/**
 * The RTO: from the execution's start to its last wave's verdict (the execution's end when no
 * wave ended). A target holds only for a COMPLETED execution within it: an execution that did
 * not bring the estate back did not meet its RTO, however fast it stopped. While it runs, the
 * clock is `now`; it is `met: false` as soon as it is past the target.
 */
export function rtoCheck(
  execution: { status: string; startedAt: string; endedAt?: string; rtoMinutes?: number },
  waves: readonly { endedAt?: string }[],
  now?: Date,
): RtoCheck {
  const target = execution.rtoMinutes ?? null;
  const ended = FINAL.has(execution.status);
  const lastVerdict = waves
    .map((w) => w.endedAt)
    .filter((t): t is string => t !== undefined)
    .sort()
    .at(-1);
  // A COMPLETED execution recovered at its last wave's verdict; any other ending recovered nothing
  // by then, so its time runs to the execution's end (a gate that waited hours counts).
  const endOfRun =
    execution.status === 'COMPLETED' ? (lastVerdict ?? execution.endedAt) : (execution.endedAt ?? lastVerdict);
  const until = ended ? endOfRun : (now?.toISOString() ?? lastVerdict);
  const actualSeconds = until ? seconds(execution.startedAt, until) : 0;
  return { targetMinutes: target, actualSeconds, met: verdictOf(target, actualSeconds, ended, execution.status) };
}

/**
 * A wave's target: from its start to its verdict. null when the wave has no target or never
 * started; false for a wave that FAILED or TIMED_OUT (it never came back), or is past its target.
 */
export function waveTargetMet(
  wave: { status: string; startedAt?: string; endedAt?: string; targetMinutes?: number },
  now?: Date,
): boolean | null {
  if (wave.targetMinutes === undefined || !wave.startedAt) return null;
  const ended = wave.status === 'COMPLETED' || wave.status === 'FAILED' || wave.status === 'TIMED_OUT';
  const until = ended ? wave.endedAt : now?.toISOString();
  if (!until) return null;
  return verdictOf(wave.targetMinutes, seconds(wave.startedAt, until), ended, wave.status);
}

function verdictOf(target: number | null, actualSeconds: number, ended: boolean, status: string): boolean | null {
  if (target === null) return null;
  const within = actualSeconds <= target * 60;
  if (!ended) return within ? null : false;
  return status === 'COMPLETED' && within;
}

/**
 * The recovery point against `rpoMinutes`: met when the oldest data launched is no older. null
 * without a target, or when no server's data age is known (the execution never reached its
 * preflight).
 */
export function rpoMet(rpoMinutes: number | undefined, maxDataAgeSeconds: number, servers: number): boolean | null {
  if (rpoMinutes === undefined || servers === 0) return null;
  return maxDataAgeSeconds <= rpoMinutes * 60;
}

/** Every missed target in one line each, for the summaries and the notification: shown, never hidden. */
export function missedTargets(result: {
  status?: string;
  rto: RtoCheck;
  rpo: { maxDataAgeSeconds: number; targetMinutes?: number | null; met?: boolean | null };
  waves: readonly {
    index: number;
    name: string;
    status?: string;
    targetMinutes?: number | null;
    targetMet?: boolean | null;
  }[];
}): string[] {
  const lines: string[] = [];
  const unrecovered = result.status !== undefined && FINAL.has(result.status) && result.status !== 'COMPLETED';
  if (result.rto.met === false) {
    lines.push(
      unrecovered
        ? `RTO target missed: the execution ended ${result.status} after ${minutesText(result.rto.actualSeconds)} without recovering every wave (${result.rto.targetMinutes} min allowed)`
        : `RTO target missed: ${result.rto.targetMinutes} min allowed, the execution took ${minutesText(result.rto.actualSeconds)}`,
    );
  }
  if (result.rpo.met === false) {
    lines.push(
      `RPO target missed: ${result.rpo.targetMinutes} min allowed, the oldest data launched was ${minutesText(result.rpo.maxDataAgeSeconds)} old`,
    );
  }
  for (const wave of result.waves) {
    if (wave.targetMet === false) {
      const came =
        wave.status === 'FAILED' || wave.status === 'TIMED_OUT'
          ? `${wave.status}: it did not come back within`
          : 'missed';
      lines.push(`wave ${wave.index + 1} '${wave.name}' ${came} its target of ${wave.targetMinutes} min`);
    }
  }
  return lines;
}

/** `12m 05s`, `1h 02m`: a duration a person reads at once. */
export function minutesText(totalSeconds: number): string {
  const s = Math.round(totalSeconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  return m > 0 ? `${m}m ${String(rest).padStart(2, '0')}s` : `${rest}s`;
}
