import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckTarget } from '../../functions/api/check-plan';
import { createDrsClient } from '../../functions/shared/clients';
import type { Plan } from '../../functions/shared/types';
import { DrsSimulator, defaultScenario, parseScenario, type Scenario } from '../drs-simulator';
import { LOCAL_CREDENTIALS } from '../dynamodb';
import { LOCAL_REGION } from '../local-stack';
import type { PacedClock } from '../paced-clock';

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

/**
 * What a plan check asks on the local console: a DRS simulator of the scenario the request names
 * (its world as an execution of it would start), on the console's clock, stopped once answered.
 */
export async function checkSimulator(
  scenarios: Map<string, Scenario>,
  name: string,
  plan: Plan,
  clock: PacedClock,
): Promise<CheckTarget> {
  const scenario = scenarios.get(name);
  if (!scenario) throw new Error(`no scenario '${name}'`);
  const simulator = new DrsSimulator({
    scenario,
    clock,
    planServerIDs: plan.waves.flatMap((wave) => [...wave.sourceServerIDs, ...(wave.optionalSourceServerIDs ?? [])]),
  });
  const drs = createDrsClient({
    drsEndpoint: await simulator.start(),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  return {
    drs,
    now: clock.now(),
    release: async () => {
      drs.destroy();
      await simulator.stop();
    },
  };
}
