import type { Plan } from '../../functions/shared/types';
import { serverId } from './store';

/** A plan of waves `W0`, `W1`, … with the given dependencies (indices) and sizes; `undefined` deps: the default. */
export function graphPlan(
  waves: readonly { dependsOn?: readonly number[]; servers: number }[],
  scheduling: Pick<Plan, 'onWaveFailure' | 'maxConcurrentWaves' | 'maxConcurrentJobs' | 'maxServersInAllJobs'> = {},
): Plan {
  let next = 1;
  return {
    planId: 'graph',
    name: 'Graph',
    pollIntervalSeconds: 30,
    ...scheduling,
    waves: waves.map((wave, i) => ({
      name: `W${i}`,
      sourceServerIDs: Array.from({ length: wave.servers }, () => serverId(next++)),
      timeoutMinutes: 60,
      ...(wave.dependsOn ? { dependsOn: wave.dependsOn.map((d) => `W${d}`) } : {}),
    })),
  };
}

/** A server ID naming its tier (`s-db000…1`), so a failing assertion says which tier a server is in. */
export const tierServer = (tier: string, n: number) => `s-${tier}${String(n).padStart(17 - tier.length, '0')}`;

/**
 * A small branching estate: Databases first; App and Reporting both need only Databases; Web needs
 * App. So two waves run at once and a wave listed before another may end after it.
 */
export const BRANCHING_ESTATE = {
  planId: 'estate',
  name: 'Estate',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: [tierServer('db', 1)], timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: [tierServer('app', 1)], timeoutMinutes: 60, dependsOn: ['Databases'] },
    { name: 'Reporting', sourceServerIDs: [tierServer('rep', 1)], timeoutMinutes: 60, dependsOn: ['Databases'] },
    { name: 'Web', sourceServerIDs: [tierServer('web', 1)], timeoutMinutes: 60, dependsOn: ['App'] },
  ],
};
