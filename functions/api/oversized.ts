import { PLAN_LIMITS } from '../shared/plan-rules';

/**
 * The lists of a plan body that are longer than any plan may hold, found before the full plan
 * rules run. A list of 300,000 waves or servers would otherwise be walked item by item and give a
 * problem per item (hundreds of thousands of them: megabytes of answer, and a spread of that many
 * arguments overflows the stack); its length alone is the one problem worth naming.
 */
export function oversizedLists(body: unknown): string[] {
  const waves = (body as { waves?: unknown } | null)?.waves;
  if (!Array.isArray(waves)) return [];
  if (waves.length > PLAN_LIMITS.maxWaves) {
    return [
      `waves: the plan has ${waves.length} waves, more than the ${PLAN_LIMITS.maxWaves} a plan holds: split it into several plans (nothing else in it was checked)`,
    ];
  }
  const problems: string[] = [];
  waves.forEach((wave: unknown, w) => {
    const servers = (wave as { sourceServerIDs?: unknown } | null)?.sourceServerIDs;
    if (Array.isArray(servers) && servers.length > PLAN_LIMITS.maxServersPerWave) {
      problems.push(
        `waves[${w}].sourceServerIDs: the wave has ${servers.length} servers, more than the ${PLAN_LIMITS.maxServersPerWave} DRS allows in one recovery job: split it into several waves (nothing else in the plan was checked)`,
      );
    }
  });
  return problems;
}
