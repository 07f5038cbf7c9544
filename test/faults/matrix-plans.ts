import type { WaveStatus } from '../../functions/shared/types';
import type { OnWaveFailure } from '../../functions/shared/wave-graph';

/**
 * The plans of the fault matrix: chains of waves (every plan written before dependencies), and
 * plans with parallel branches (issue 12): two applications, each a database then an app, joined
 * by a web tier that needs both apps, some waves listed before the waves they depend on.
 */

const id = (prefix: string, n: number) => `s-${prefix}${String(n).padStart(17 - prefix.length, '0')}`;

export interface MatrixWave {
  name: string;
  sourceServerIDs: string[];
  timeoutMinutes: number;
  dependsOn?: string[];
  approval?: { timeoutMinutes: number };
}

export interface MatrixPlan {
  name: string;
  plan: {
    planId: string;
    pollIntervalSeconds: number;
    onWaveFailure?: OnWaveFailure;
    maxConcurrentWaves?: number;
    maxConcurrentJobs?: number;
    maxServersInAllJobs?: number;
    waves: MatrixWave[];
  };
  /** The server whose launch fails in the one-fails variant, its wave, and when it fails. */
  failing?: { server: string; wave: number; afterSeconds: number };
  /**
   * Each wave's status (plan order) when the run ends as the plan does without a fault, whatever
   * fault was injected on the way. Only where the schedule decides it alone: under STOP, which
   * waves were already running when a wave failed depends on the fault's delays.
   */
  expectedWaves?: WaveStatus[];
}

/** A gated wave's decision in the matrix: approved two simulated minutes after its gate opens. */
export const GATE_DECISION = { decision: 'APPROVE' as const, afterSeconds: 120, by: 'fault matrix' };

/** A failing server fails after this long; the others launch after the simulator's 60 s. */
const FAILS_AFTER_SECONDS = 90;

function withFailing(built: MatrixWave[], failing: { wave: number; afterSeconds?: number } | undefined) {
  const wave = failing ? built[failing.wave] : undefined;
  return failing && wave
    ? {
        failing: {
          server: wave.sourceServerIDs[wave.sourceServerIDs.length - 1] as string,
          wave: failing.wave,
          afterSeconds: failing.afterSeconds ?? FAILS_AFTER_SECONDS,
        },
      }
    : {};
}

const servers = (w: number, size: number) => Array.from({ length: size }, (_, n) => id(`w${w}x`, n + 1));

function plan(name: string, waves: number[], failing?: { wave: number }, gated?: number): MatrixPlan {
  const built = waves.map((size, w) => ({
    name: `Wave ${w + 1}`,
    sourceServerIDs: servers(w, size),
    timeoutMinutes: 60,
    ...(w === gated ? { approval: { timeoutMinutes: 60 } } : {}),
  }));
  return { name, plan: { planId: name, pollIntervalSeconds: 30, waves: built }, ...withFailing(built, failing) };
}

/**
 * Two applications (database → app), joined by a web tier that needs both apps. App A is listed
 * before Database A, which it depends on: the Map must iterate in dependency order, not plan order.
 */
const BRANCHES: [name: string, size: number, dependsOn: string[]][] = [
  ['App A', 2, ['Database A']],
  ['Database A', 2, []],
  ['Database B', 2, []],
  ['App B', 2, ['Database B']],
  ['Web', 1, ['App A', 'App B']],
];

function branches(
  name: string,
  scheduling: Pick<MatrixPlan['plan'], 'onWaveFailure' | 'maxConcurrentJobs'>,
  expectedWaves: WaveStatus[] | undefined,
  failing?: { wave: number; afterSeconds: number },
): MatrixPlan {
  const built = BRANCHES.map(([waveName, size, dependsOn], w) => ({
    name: waveName,
    sourceServerIDs: servers(w, size),
    timeoutMinutes: 60,
    dependsOn,
  }));
  return {
    name,
    plan: { planId: name, pollIntervalSeconds: 30, ...scheduling, waves: built },
    ...withFailing(built, failing),
    ...(expectedWaves ? { expectedWaves } : {}),
  };
}

const ALL_COMPLETED: WaveStatus[] = ['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED'];
/** Database B's server fails after 30 s, before Database A's launch (60 s) completes. */
const DATABASE_B_FAILS = { wave: 2, afterSeconds: 30 };

export const PLANS: MatrixPlan[] = [
  plan('one-wave', [3]),
  plan('one-wave-one-fails', [3], { wave: 0 }),
  plan('three-waves', [2, 3, 2]),
  plan('three-waves-one-fails', [2, 3, 2], { wave: 1 }),
  plan('hundred-servers', [100]),
  plan('hundred-servers-one-fails', [100], { wave: 0 }),
  // Issue 11: an approval gate before wave 2, approved after two minutes.
  plan('three-waves-gated', [2, 3, 2], undefined, 1),
  // Issue 12: parallel branches.
  branches('branches', {}, ALL_COMPLETED),
  // CONTINUE: application A goes on to COMPLETED; App B and the web tier (which needs App B) never start.
  branches(
    'branches-one-fails',
    { onWaveFailure: 'CONTINUE' },
    ['COMPLETED', 'COMPLETED', 'FAILED', 'NOT_STARTED', 'NOT_STARTED'],
    DATABASE_B_FAILS,
  ),
  // STOP: Database A, already launching, runs to its verdict; nothing starts after Database B's failure.
  branches('branches-one-fails-stop', { onWaveFailure: 'STOP' }, undefined, DATABASE_B_FAILS),
  // One job at a time: both databases are ready at once, one waits for room (WAITING_FOR_CAPACITY).
  branches('branches-queued', { maxConcurrentJobs: 1 }, ALL_COMPLETED),
  // One job at a time, CONTINUE: Database A fails at 30 s while its other server launches on (its job
  // runs to 60 s). Its FAILED verdict gives its room back, but DRS still runs its job: Database B's
  // job starts only after it ended (the plan's maxConcurrentJobs holds against DRS's ground truth).
  branches(
    'branches-one-fails-queued',
    { onWaveFailure: 'CONTINUE', maxConcurrentJobs: 1 },
    ['NOT_STARTED', 'FAILED', 'COMPLETED', 'COMPLETED', 'NOT_STARTED'],
    { wave: 1, afterSeconds: 30 },
  ),
];
