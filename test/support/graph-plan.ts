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
