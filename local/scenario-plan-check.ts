import { carriesTags } from '../functions/shared/tag-selection';
import type { Scenario } from './drs-simulator';

/**
 * A scenario checked against the plan it is run with. The simulator parses a scenario on its own
 * (it serves any plan), so an entry for a server the plan does not hold is valid there, and simply
 * never used: a misspelt ID in `launches` turns an intended FAILED launch into the default
 * LAUNCHED one, and a failure drill into a COMPLETED run. Here, where both are known, such an
 * entry is a problem naming the plan's nearest ID.
 *
 * `sourceServers` is not checked: it is the DRS inventory, and an account holds servers that no
 * plan recovers (a plan server missing from it already fails the preflight).
 */

/** The scenario's entries that describe one plan server each, by their field. A new per-server map joins here. */
const PER_SERVER_ENTRIES: readonly { field: string; ids: (scenario: Scenario) => string[] }[] = [
  { field: 'launches', ids: (scenario) => Object.keys(scenario.launches) },
];

/**
 * Every per-server entry of `scenario` for a server not in `planServerIDs`, with the nearest plan ID,
 * and every `waveActions` entry for an action the plan does not have (`planActionNames`), with the nearest name.
 */
export function scenarioProblemsAgainstPlan(
  scenario: Scenario,
  planServerIDs: readonly string[],
  planActionNames: readonly string[] = [],
): string[] {
  const inPlan = new Set(planServerIDs);
  const problems: string[] = [];
  for (const name of Object.keys(scenario.waveActions ?? {})) {
    if (planActionNames.includes(name)) continue;
    const nearest = nearestId(name, planActionNames);
    problems.push(
      `waveActions.${name}: the plan has no wave action '${name}', so this entry would never be used${nearest ? ` (did you mean '${nearest}'?)` : ' (the plan has no wave actions)'}`,
    );
  }
  for (const { field, ids } of PER_SERVER_ENTRIES) {
    for (const id of ids(scenario)) {
      if (inPlan.has(id)) continue;
      const nearest = nearestId(id, planServerIDs);
      problems.push(
        `${field}.${id}: ${id} is not a server of the plan, so this entry would never be used${nearest ? ` (did you mean ${nearest}?)` : ' (the plan lists no servers)'}`,
      );
    }
  }
  return problems;
}

/** The candidate fewest single-character edits away from `id` (the first of equals, in plan order). */
export function nearestId(id: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(id, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Edit distance counting a swap of two neighbouring characters as one edit, as well as an
 * insertion, a deletion or a substitution (optimal string alignment): the typos people make.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] as number;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(a.length, b.length);
}

/**
 * Every string server ID in a plan as given (valid or not), in plan order: listed and optional;
 * with a scenario, also its servers that carry all of a wave's `sourceServerTags` (the simulator's
 * DescribeSourceServers is where the workflow resolves them). What the scenario is checked against.
 */
export function serverIDsInPlan(plan: unknown, scenario?: Scenario): string[] {
  const waves = (plan as { waves?: unknown } | null)?.waves;
  if (!Array.isArray(waves)) return [];
  const strings = (ids: unknown) =>
    Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  return waves.flatMap((wave) => {
    const { sourceServerIDs, optionalSourceServerIDs, sourceServerTags } = (wave ?? {}) as Record<string, unknown>;
    const tags = sourceServerTags as Record<string, string> | undefined;
    const tagged =
      tags && typeof tags === 'object'
        ? (scenario?.sourceServers ?? [])
            .filter((server) => carriesTags({ tags: server.tags }, tags))
            .map((server) => server.sourceServerID)
        : [];
    return [...strings(sourceServerIDs), ...strings(optionalSourceServerIDs), ...tagged];
  });
}
