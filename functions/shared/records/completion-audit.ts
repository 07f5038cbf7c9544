import type { ExecutionRecord } from './execution-records';
import type { WaveRecord } from './wave-records';

/**
 * What stands between the records and a COMPLETED execution: every wave counted and COMPLETED,
 * with at least one required member, every required member LAUNCHED and, for a RECOVERY, each of
 * its recorded required post-launch actions SUCCEEDED. Optional members are not required: their
 * failure is reported (`optionalFailedServers`), never counted as a recovery. Empty when they agree; otherwise each problem in words, and the store refuses
 * to record COMPLETED rather than report a recovery that did not happen.
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
    const required = requiredMembers(wave);
    if (required.length === 0) problems.push(`wave '${wave.name}' has no required server`);
    const notLaunched = required.filter((id) => !launched.has(id));
    if (notLaunched.length > 0)
      problems.push(`wave '${wave.name}' has servers not LAUNCHED: ${notLaunched.join(', ')}`);
    if (execution.executionType === 'RECOVERY') problems.push(...actionProblems(wave));
  }
  return problems;
}

/** A RECOVERY wave's required actions without a recorded SUCCEEDED run (or never read at all). */
function actionProblems(wave: WaveRecord): string[] {
  if (!wave.requiredActions) return [`wave '${wave.name}' has no record of its required post-launch actions`];
  const succeeded = new Map((wave.servers ?? []).map((s) => [s.sourceServerID, new Set(s.succeededActions ?? [])]));
  const missing = requiredMembers(wave).flatMap((id) =>
    (wave.requiredActions?.[id] ?? [])
      .filter((action) => !succeeded.get(id)?.has(action.actionId))
      .map((action) => `${id} '${action.name ?? action.actionId}'`),
  );
  return missing.length > 0
    ? [`wave '${wave.name}' has required post-launch actions not SUCCEEDED: ${missing.join(', ')}`]
    : [];
}

/** The wave's members whose failure fails it: every member but the optional ones. */
function requiredMembers(wave: WaveRecord): string[] {
  const optional = new Set(wave.optionalSourceServerIDs ?? []);
  return wave.sourceServerIDs.filter((id) => !optional.has(id));
}
