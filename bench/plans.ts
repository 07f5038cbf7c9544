/** The benchmark's plans: names and shapes are part of bench/results.json's contract. */
export interface BenchPlan {
  name: 'small' | 'typical-drill' | 'estate-3000' | 'estate-dag' | 'estate-dag-sequential';
  waves: number;
  serversPerWave: number;
  /** When the last server of each wave launches, in simulated seconds after its job starts. */
  launchSeconds: number;
  timeoutMinutes: number;
  pollIntervalSeconds: number;
  /** The plan's `maxConcurrentWaves`, when set (absent: as many waves at once as the quotas allow). */
  maxConcurrentWaves?: number;
}

export const BENCH_PLANS: BenchPlan[] = [
  { name: 'small', waves: 1, serversPerWave: 10, launchSeconds: 587, timeoutMinutes: 60, pollIntervalSeconds: 30 },
  {
    name: 'typical-drill',
    waves: 5,
    serversPerWave: 20,
    launchSeconds: 1213,
    timeoutMinutes: 60,
    pollIntervalSeconds: 30,
  },
  {
    name: 'estate-3000',
    waves: 30,
    serversPerWave: 100,
    launchSeconds: 7219,
    timeoutMinutes: 180,
    pollIntervalSeconds: 30,
  },
  // Ten applications' tiers as a graph (estateDagPlan, below): the same servers and launch times as
  // estate-3000, so the two side by side show what the dependencies alone save.
  {
    name: 'estate-dag',
    waves: 30,
    serversPerWave: 100,
    launchSeconds: 7219,
    timeoutMinutes: 180,
    pollIntervalSeconds: 30,
  },
  // The same estate one wave at a time (`maxConcurrentWaves: 1`), on the same workflow in the same
  // run: the sequential loop the parallel waves replace, measured rather than modelled.
  {
    name: 'estate-dag-sequential',
    waves: 30,
    serversPerWave: 100,
    launchSeconds: 7219,
    timeoutMinutes: 180,
    pollIntervalSeconds: 30,
    maxConcurrentWaves: 1,
  },
];

const serverId = (wave: number, n: number) => `s-${String(wave * 1000 + n).padStart(17, '0')}`;

export interface BenchPlanDocument {
  planId: string;
  name: string;
  pollIntervalSeconds: number;
  maxConcurrentWaves?: number;
  waves: { name: string; sourceServerIDs: string[]; timeoutMinutes: number; dependsOn?: string[] }[];
}

export function planOf(bench: BenchPlan): BenchPlanDocument {
  if (bench.name === 'estate-dag') return estateDagPlan();
  if (bench.name === 'estate-dag-sequential') {
    return { ...estateDagPlan(), planId: bench.name, name: `Benchmark ${bench.name}`, maxConcurrentWaves: 1 };
  }
  return {
    planId: bench.name,
    name: `Benchmark ${bench.name}`,
    pollIntervalSeconds: bench.pollIntervalSeconds,
    waves: Array.from({ length: bench.waves }, (_, w) => ({
      name: `Wave ${w + 1}`,
      sourceServerIDs: Array.from({ length: bench.serversPerWave }, (_, n) => serverId(w, n)),
      timeoutMinutes: bench.timeoutMinutes,
    })),
  };
}

/** Servers of a wave launch over the last 90 s before `launchSeconds`, the last one exactly then. */
export function scenarioOf(bench: BenchPlan) {
  const launches: Record<string, { result: 'LAUNCHED'; afterSeconds: number }> = {};
  for (let w = 0; w < bench.waves; w++) {
    for (let n = 0; n < bench.serversPerWave; n++) {
      launches[serverId(w, n)] = {
        result: 'LAUNCHED',
        afterSeconds: bench.launchSeconds - ((bench.serversPerWave - 1 - n) % 10) * 10,
      };
    }
  }
  return { launches };
}

/**
 * issue 12's `estate-dag`: 10 applications × 3 tiers (database → app → web) × 100 servers, 2-hour
 * launches, no dependencies between applications. The workflow runs its waves as the dependencies
 * and the quotas allow: 100-server waves under the 500 servers in all jobs, five at a time.
 */
export const ESTATE_DAG = {
  name: 'estate-dag',
  applications: 10,
  tiers: ['database', 'app', 'web'],
  serversPerWave: 100,
  launchSeconds: 7219,
  timeoutMinutes: 180,
  pollIntervalSeconds: 30,
} as const;

export function estateDagPlan(): BenchPlanDocument {
  const d = ESTATE_DAG;
  const waves = [];
  for (let a = 0; a < d.applications; a++) {
    for (const [t, tier] of d.tiers.entries()) {
      const w = a * d.tiers.length + t;
      waves.push({
        name: `app${String(a + 1).padStart(2, '0')}-${tier}`,
        sourceServerIDs: Array.from({ length: d.serversPerWave }, (_, n) => serverId(w, n)),
        timeoutMinutes: d.timeoutMinutes,
        // A database needs nothing; each other tier needs its own application's tier before it.
        dependsOn: t === 0 ? [] : [`app${String(a + 1).padStart(2, '0')}-${d.tiers[t - 1]}`],
      });
    }
  }
  return { planId: d.name, name: 'Benchmark estate-dag', pollIntervalSeconds: d.pollIntervalSeconds, waves };
}
