/**
 * How full the run kept the room the quotas give (issue 12 §1: at most `maxConcurrentJobs` jobs and
 * `maxServersInAllJobs` servers in running jobs): the most waves, and the most servers, launching at
 * one instant, from each wave's recorded start and end. A wave holds its room from its start
 * (its claim) to its verdict, as the execution item counts it; a wave that never started holds none.
 * An end and a start at the same instant do not overlap: the verdict releases the room the next
 * wave takes.
 */
export interface WaveSpan {
  startedAt?: string;
  endedAt?: string;
  servers: number;
}

export interface PeakConcurrency {
  peakWaves: number;
  peakServers: number;
}

export function peakConcurrency(waves: readonly WaveSpan[]): PeakConcurrency {
  const changes: { at: number; waves: number; servers: number }[] = [];
  for (const w of waves) {
    if (!w.startedAt || !w.endedAt) continue;
    changes.push({ at: Date.parse(w.startedAt), waves: 1, servers: w.servers });
    changes.push({ at: Date.parse(w.endedAt), waves: -1, servers: -w.servers });
  }
  // Ends before starts at the same instant.
  changes.sort((a, b) => a.at - b.at || a.waves - b.waves);
  let waveCount = 0;
  let serverCount = 0;
  let peakWaves = 0;
  let peakServers = 0;
  for (const c of changes) {
    waveCount += c.waves;
    serverCount += c.servers;
    peakWaves = Math.max(peakWaves, waveCount);
    peakServers = Math.max(peakServers, serverCount);
  }
  return { peakWaves, peakServers };
}
