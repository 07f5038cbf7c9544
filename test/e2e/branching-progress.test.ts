import type { ProgressEvent } from '../../functions/shared/progress-event';
import { parseScenario } from '../../local/drs-simulator';
import { runLocalExecution } from '../../local/run-local-execution';
import { BRANCHING_ESTATE as PLAN } from '../support/graph-plan';

/**
 * A branching plan on the local stack (the deployed ASL, the real tasks, dynalite, the DRS
 * simulator): what a person following it and `--json` get about each wave's dependencies.
 */

describe('a branching plan on the local stack', () => {
  it("tells the progress view and the result each wave's dependencies, and when each wave started and ended", async () => {
    const events: ProgressEvent[] = [];
    const r = await runLocalExecution({
      input: { plan: PLAN, executionType: 'DRILL' },
      scenario: parseScenario({}),
      onProgress: (event) => events.push(event),
    });

    const start = events.find((e) => e.type === 'execution-started');
    expect(start?.type === 'execution-started' ? start.waves.map((w) => [w.name, w.dependsOn]) : []).toEqual([
      ['Databases', []],
      ['App', ['Databases']],
      ['Reporting', ['Databases']],
      ['Web', ['App']],
    ]);
    expect(r.result.status).toBe('COMPLETED');
    expect(r.result.waves.map((w) => [w.index, w.name, w.dependsOn])).toEqual([
      [0, 'Databases', []],
      [1, 'App', ['Databases']],
      [2, 'Reporting', ['Databases']],
      [3, 'Web', ['App']],
    ]);
    for (const wave of r.result.waves) {
      expect(Date.parse(wave.startedAt ?? '')).toBeLessThanOrEqual(Date.parse(wave.endedAt ?? ''));
    }
  });
});
