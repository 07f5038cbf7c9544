import { parseScenario, type ScenarioInput } from '../../local/drs-simulator';
import { runLocalExecution } from '../../local/run-local-execution';

/**
 * Waves really in parallel (issue 12) on the local stack (the deployed ASL, the real tasks,
 * dynalite, the DRS simulator): two applications of two tiers each, every web tier listed BEFORE
 * the database it depends on.
 */
const id = (tier: string, n: number) => `s-${tier}${String(n).padStart(17 - tier.length, '0')}`;
const DB_A = id('dba', 1);

const plan = (onWaveFailure: 'STOP' | 'CONTINUE') => ({
  planId: 'two-apps',
  name: 'Two apps',
  pollIntervalSeconds: 30,
  onWaveFailure,
  waves: [
    { name: 'Web A', sourceServerIDs: [id('weba', 1)], timeoutMinutes: 60, dependsOn: ['Database A'] },
    { name: 'Web B', sourceServerIDs: [id('webb', 1)], timeoutMinutes: 60, dependsOn: ['Database B'] },
    { name: 'Database A', sourceServerIDs: [DB_A], timeoutMinutes: 60, dependsOn: [] },
    { name: 'Database B', sourceServerIDs: [id('dbb', 1)], timeoutMinutes: 60, dependsOn: [] },
  ],
});

const run = (onWaveFailure: 'STOP' | 'CONTINUE', scenario: ScenarioInput = {}) =>
  runLocalExecution({
    input: { plan: plan(onWaveFailure), executionType: 'DRILL' },
    scenario: parseScenario(scenario),
  });

const byName = (r: Awaited<ReturnType<typeof run>>) => new Map(r.result.waves.map((w) => [w.name, w]));
const at = (iso?: string) => Date.parse(iso ?? '');

describe('two applications of two tiers each, in parallel', () => {
  it('launches both databases at the same time, and each web tier only after its own database COMPLETED', async () => {
    // Database A takes longer: Web B must not wait for it.
    const r = await run('STOP', { launches: { [DB_A]: { result: 'LAUNCHED', afterSeconds: 600 } } });
    expect(r.result.status).toBe('COMPLETED');
    const w = byName(r);
    expect(at(w.get('Database A')?.startedAt)).toBe(at(w.get('Database B')?.startedAt));
    expect(at(w.get('Web A')?.startedAt)).toBeGreaterThanOrEqual(at(w.get('Database A')?.endedAt));
    expect(at(w.get('Web B')?.startedAt)).toBeGreaterThanOrEqual(at(w.get('Database B')?.endedAt));
    // Web B ran while Database A was still launching.
    expect(at(w.get('Web B')?.startedAt)).toBeLessThan(at(w.get('Database A')?.endedAt));
    expect(r.result.waves.map((x) => x.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
  });

  it('under STOP, a failed database leaves every wave not yet started NOT_STARTED, and the execution FAILED with WaveFailed', async () => {
    const r = await run('STOP', { launches: { [DB_A]: { result: 'FAILED' } } });
    expect(r.result.status).toBe('FAILED');
    expect(r.workflow.status).toBe('FAILED');
    const w = byName(r);
    expect(w.get('Database A')?.status).toBe('FAILED');
    expect(w.get('Web A')?.status).toBe('NOT_STARTED');
    // Database B was launching alongside and ran to its own verdict.
    expect(w.get('Database B')?.status).toBe('COMPLETED');
    expect(w.get('Web B')?.status).toBe('NOT_STARTED');
    expect(r.workflow.error).toBe('WaveFailed');
  });

  it('under CONTINUE, a failed database skips only its own web tier; the other application completes', async () => {
    const r = await run('CONTINUE', { launches: { [DB_A]: { result: 'FAILED' } } });
    expect(r.result.status).toBe('FAILED');
    const w = byName(r);
    expect(w.get('Database A')?.status).toBe('FAILED');
    expect(w.get('Web A')?.status).toBe('NOT_STARTED');
    expect(w.get('Database B')?.status).toBe('COMPLETED');
    expect(w.get('Web B')?.status).toBe('COMPLETED');
    expect(r.workflow.error).toBe('WaveFailed');
  });
});
