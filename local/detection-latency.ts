import type { LocalRun } from './local-stack';

/**
 * How long after DRS decided a wave the orchestrator knew it, from a local run's ground truth:
 * the launch results the simulator emitted (`LocalRun.launchEvents`, delivered or not) and the
 * waves' recorded ends.
 * - success: a COMPLETED wave, from its last server's launch result to its end;
 * - failure: a FAILED wave, from its first failed required server's launch result to its end.
 * A wave without such results (not started, TIMED_OUT, failed by a server DRS left out) counts in neither.
 */
export interface DetectionLatencies {
  /** The worst success detection latency, in seconds (undefined: no wave COMPLETED). */
  detectionLatencySeconds: number | undefined;
  /** The worst failure detection latency, in seconds (undefined: no wave FAILED on a launch result). */
  failureDetectionLatencySeconds: number | undefined;
}

export function detectionLatencies(run: Pick<LocalRun, 'result' | 'launchEvents'>): DetectionLatencies {
  const success: number[] = [];
  const failure: number[] = [];
  for (const wave of run.result.waves) {
    if (!wave.jobId || !wave.endedAt) continue;
    const endedAt = new Date(wave.endedAt).getTime();
    const results = run.launchEvents.filter((e) => e.jobId === wave.jobId);
    if (wave.status === 'COMPLETED' && results.length > 0) {
      const decidedAt = Math.max(...results.map((e) => e.emittedAt.getTime()));
      success.push((endedAt - decidedAt) / 1000);
    }
    if (wave.status === 'FAILED') {
      const failed = results.filter((e) => e.result === 'FAILED' && wave.failedServers.includes(e.sourceServerID));
      if (failed.length > 0) {
        const decidedAt = Math.min(...failed.map((e) => e.emittedAt.getTime()));
        failure.push((endedAt - decidedAt) / 1000);
      }
    }
  }
  const worst = (values: number[]) => (values.length > 0 ? Math.max(...values) : undefined);
  return { detectionLatencySeconds: worst(success), failureDetectionLatencySeconds: worst(failure) };
}
