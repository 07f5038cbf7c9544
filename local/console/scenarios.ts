import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultScenario, parseScenario, type Scenario } from '../drs-simulator';

/** The world every server launches in, when an execution names no scenario. */
export const DEFAULT_SCENARIO = 'default';

/**
 * The scenarios an execution started from the local console can run in: the default world (every
 * server replicating, each launching) and every `<name>.scenario.json` in the examples folder, by
 * name (`three-tier.app-fails`), and those of any other folder given. Each is checked when the server starts, so a broken example is a
 * startup error, not a failed execution later.
 */
export function loadScenarios(...dirs: string[]): Map<string, Scenario> {
  const scenarios = new Map<string, Scenario>([[DEFAULT_SCENARIO, defaultScenario()]]);
  for (const dir of dirs) {
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.scenario.json')) continue;
      const name = file.slice(0, -'.scenario.json'.length);
      scenarios.set(name, parseScenario(JSON.parse(readFileSync(join(dir, file), 'utf8'))));
    }
  }
  return scenarios;
}
