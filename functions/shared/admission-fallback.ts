import { APPROVAL_LIMITS } from './approval-gate';
import type { PlanScheduling } from './wave-graph';

/**
 * How long "Wait for dependencies and room" waits before it asks again (its TimeoutSecondsPath,
 * `$.wave.admissionFallbackSeconds`), computed from the plan so that a waiting wave asks again a
 * bounded number of times, however long the waves before it take.
 *
 * A waiting wave is answered by a wave's verdict ("Wake waiting waves" runs an admission round and
 * sends the stored tokens); the timeout is only the safety net for a lost wake-up ("Wake waiting
 * waves" failing all its retries). Each ask again costs history events (a token wait: TASK + 1),
 * so a fixed interval cannot stay: 30 waves of 3 hours in a chain keep the last one waiting 87 hours,
 * 348 asks at 900 s. Instead each wave's worst-case wait is split into {@link ADMISSION_WAITS} waits,
 * never shorter than {@link MIN_ADMISSION_FALLBACK_SECONDS}.
 *
 * The trade-off: a lost wake-up delays a wave by up to its fallback, which for a wave behind a long
 * chain is hours (a quarter of its worst-case wait). That is the price of a history that cannot grow
 * past the budget; and a lost wake-up is rarely left alone that long, because every later verdict's
 * wake runs admission for every waiting wave again.
 *
 * Not bounded by the plan: DRS jobs outside this execution (another plan's, a person's) hold room for
 * as long as they run. A wave waiting for them longer than its worst case asks again more often; those
 * asks come out of the history's retry reserve (`history-budget.ts`).
 */

/** How many times a wave's worst-case wait is divided: at most this many asks again per wave. */
export const ADMISSION_WAITS = 4;
/** The shortest fallback: a short worst case still waits this long (the interval before issue 12's bound). */
export const MIN_ADMISSION_FALLBACK_SECONDS = 900;

/** A wave as the fallback sees it: how long it can hold room once admitted, and how much room it takes. */
export interface FallbackWave {
  timeoutMinutes: number;
  /** Its approval gate's timeoutMinutes, when it has a gate. */
  approvalMinutes?: number;
  /** The timeoutSeconds of each of its pre- and post-wave actions. */
  actionSeconds?: readonly number[];
  /** The servers its job carries; undefined while not known (a tag selection before the execution starts). */
  servers?: number;
}

export interface AdmissionFallback {
  /** The longest the wave can wait for dependencies and room on the plan's own waves. */
  worstWaitSeconds: number;
  /** "Wait for dependencies and room"'s timeout for this wave. */
  fallbackSeconds: number;
  /** How often the wave asks again at most while it waits its worst case (at most {@link ADMISSION_WAITS}). */
  reasks: number;
}

/**
 * A wave holds room from admission until its verdict: its gate, its pre-wave actions, its launch
 * until its deadline and its post-wave actions, each at most its timeout.
 */
export function holdSeconds(wave: FallbackWave): number {
  const actions = (wave.actionSeconds ?? []).reduce((sum, s) => sum + s, 0);
  return (wave.approvalMinutes ?? 0) * 60 + actions + wave.timeoutMinutes * 60;
}

/**
 * Whether the plan's own waves may have to wait for room: unless every wave fits at once (jobs,
 * servers, the plan's maxConcurrentWaves), a wave may wait for any other wave that is not its descendant.
 */
export function roomMayBeShort(waves: readonly FallbackWave[], scheduling: PlanScheduling): boolean {
  if (scheduling.maxConcurrentWaves !== undefined && scheduling.maxConcurrentWaves < waves.length) return true;
  if (waves.length > scheduling.maxConcurrentJobs) return true;
  let servers = 0;
  for (const wave of waves) {
    if (wave.servers === undefined) return true;
    servers += wave.servers;
  }
  return servers > scheduling.maxServersInAllJobs;
}

/**
 * Each wave's worst-case wait and fallback, in plan order. `dependencies`: each wave's dependencies as
 * indices (`dependenciesOf`), acyclic (the plan rules refuse a cycle).
 * - Room enough for every wave at once: the wave waits at most for its longest chain of dependencies,
 *   each holding room its longest (a dependency starts as soon as its own are done).
 * - Room may be short: at every moment of its wait some other wave holds room (a wave alone always
 *   fits, and the Map starts iterations in topological order), and each wave holds room once; a
 *   descendant never runs before it. So it waits at most the holds of every other wave not its
 *   descendant, one after the other. (The seconds of the tasks between one verdict and the next
 *   admission are not counted: a fallback is a quarter of the wait, far longer than they are.)
 */
export function admissionFallbacks(plan: {
  waves: readonly FallbackWave[];
  dependencies: readonly (readonly number[])[];
  scheduling: PlanScheduling;
}): AdmissionFallback[] {
  const holds = plan.waves.map(holdSeconds);
  const waits = roomMayBeShort(plan.waves, plan.scheduling)
    ? plan.waves.map((_, i) => {
        const descendants = descendantsOf(i, plan.dependencies);
        return holds.reduce((sum, hold, j) => (j === i || descendants.has(j) ? sum : sum + hold), 0);
      })
    : chainWaits(holds, plan.dependencies);
  return waits.map((worstWaitSeconds) => {
    const fallbackSeconds = Math.max(MIN_ADMISSION_FALLBACK_SECONDS, Math.ceil(worstWaitSeconds / ADMISSION_WAITS));
    // Each timeout before the wave is answered asks again; one at the very end of the wait is counted too.
    return { worstWaitSeconds, fallbackSeconds, reasks: Math.ceil(worstWaitSeconds / fallbackSeconds) };
  });
}

/** A wave of a plan (or of the resolved plan the execution records) as the fallback reads it. */
export function fallbackWaveOf(wave: {
  timeoutMinutes: number;
  approval?: { timeoutMinutes?: number };
  preWaveActions?: readonly { timeoutSeconds: number }[];
  postWaveActions?: readonly { timeoutSeconds: number }[];
  sourceServerIDs: readonly string[];
  optionalSourceServerIDs?: readonly string[];
  sourceServerTags?: unknown;
  taggedSourceServerIDs?: readonly string[];
}): FallbackWave {
  const actions = [...(wave.preWaveActions ?? []), ...(wave.postWaveActions ?? [])];
  // A tag selection is resolved when the execution starts (taggedSourceServerIDs): until then its size is unknown.
  const resolved = wave.sourceServerTags === undefined || wave.taggedSourceServerIDs !== undefined;
  return {
    timeoutMinutes: wave.timeoutMinutes,
    ...(wave.approval
      ? { approvalMinutes: wave.approval.timeoutMinutes ?? APPROVAL_LIMITS.timeoutMinutes.default }
      : {}),
    ...(actions.length > 0 ? { actionSeconds: actions.map((a) => a.timeoutSeconds) } : {}),
    ...(resolved ? { servers: wave.sourceServerIDs.length + (wave.optionalSourceServerIDs?.length ?? 0) } : {}),
  };
}

function chainWaits(holds: readonly number[], dependencies: readonly (readonly number[])[]): number[] {
  const memo = new Map<number, number>();
  const waitOf = (i: number): number => {
    const known = memo.get(i);
    if (known !== undefined) return known;
    memo.set(i, 0); // A cycle (refused by the plan rules, which read the plan defensively) ends here.
    const wait = Math.max(0, ...(dependencies[i] ?? []).map((d) => waitOf(d) + (holds[d] ?? 0)));
    memo.set(i, wait);
    return wait;
  };
  return holds.map((_, i) => waitOf(i));
}

function descendantsOf(wave: number, dependencies: readonly (readonly number[])[]): Set<number> {
  const found = new Set<number>();
  let grew = true;
  while (grew) {
    grew = false;
    dependencies.forEach((deps, j) => {
      if (!found.has(j) && deps.some((d) => d === wave || found.has(d))) {
        found.add(j);
        grew = true;
      }
    });
  }
  return found;
}
