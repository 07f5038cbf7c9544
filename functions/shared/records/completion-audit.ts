import type { ExecutionRecord } from './execution-records';
import type { WaveRecord } from './wave-records';

/**
 * What stands between the records and a COMPLETED execution: every wave counted and COMPLETED,
 * every requested server LAUNCHED. Empty when they agree; otherwise each problem in words, and the
 * store refuses to record COMPLETED rather than report a recovery that did not happen.
 */
export function completionProblems(execution: ExecutionRecord, waves: WaveRecord[]): string[] {
  const problems: string[] = [];
  if (waves.length !== execution.waveCount || execution.completedWaves !== execution.waveCount) {
    problems.push(`${execution.completedWaves} of ${execution.waveCount} waves counted COMPLETED`);
  }
  for (const wave of waves) {
    if (wave.status !== 'COMPLETED') problems.push(`wave '${wave.name}' is ${wave.status}`);
    const launched = new Set(
      (wave.servers ?? []).filter((s) => s.launchStatus === 'LAUNCHED').map((s) => s.sourceServerID),
    );
    const notLaunched = wave.sourceServerIDs.filter((id) => !launched.has(id));
    if (notLaunched.length > 0)
      problems.push(`wave '${wave.name}' has servers not LAUNCHED: ${notLaunched.join(', ')}`);
  }
  return problems;
}
