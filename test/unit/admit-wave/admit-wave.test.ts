import { admitWave } from '../../../functions/admit-wave/admit-wave';
import type { PlanScheduling } from '../../../functions/shared/wave-graph';

const STOP: PlanScheduling = { onWaveFailure: 'STOP', maxConcurrentJobs: 20, maxServersInAllJobs: 500 };
const CONTINUE: PlanScheduling = { ...STOP, onWaveFailure: 'CONTINUE' };

/** The execution's wave records as the store loads them: status and members. */
function storeWith(statuses: string[]) {
  const waves = statuses.map((status, index) => ({ index, status, sourceServerIDs: [`s-${index}`] }));
  return { loadExecution: async () => ({ execution: { executionId: 'exec-1' }, waves }) } as never;
}

async function decide(statuses: string[], index: number, dependencies: number[][], scheduling = STOP) {
  return admitWave({ store: storeWith(statuses) })({
    executionId: 'exec-1',
    wave: { index, name: `Wave ${index + 1}` },
    dependencies,
    scheduling,
  });
}

describe('admit-wave ("Wait for dependencies and room", one wave at a time)', () => {
  it('starts the first wave, and a wave whose dependencies COMPLETED', async () => {
    await expect(decide(['NOT_STARTED', 'NOT_STARTED'], 0, [[], [0]])).resolves.toMatchObject({ decision: 'START' });
    await expect(decide(['COMPLETED', 'NOT_STARTED'], 1, [[], [0]])).resolves.toMatchObject({ decision: 'START' });
  });

  it('never starts a wave after a failure under STOP, even one that depends on nothing', async () => {
    await expect(decide(['FAILED', 'NOT_STARTED'], 1, [[], []])).resolves.toMatchObject({
      decision: 'NOT_STARTED',
      reason: expect.stringContaining('onWaveFailure STOP'),
    });
    await expect(decide(['COMPLETED', 'TIMED_OUT', 'NOT_STARTED'], 2, [[], [0], [0]])).resolves.toMatchObject({
      decision: 'NOT_STARTED',
    });
  });

  it('treats an earlier wave that ended without completing as failed, whatever its record says (a rejected gate, a task error)', async () => {
    // A rejected gate leaves its wave NOT_STARTED; a start-wave error after its retries may leave it LAUNCHING.
    await expect(decide(['NOT_STARTED', 'NOT_STARTED'], 1, [[], [0]])).resolves.toMatchObject({
      decision: 'NOT_STARTED',
    });
    await expect(decide(['LAUNCHING', 'NOT_STARTED'], 1, [[], []])).resolves.toMatchObject({
      decision: 'NOT_STARTED',
    });
  });

  it('under CONTINUE starts an independent wave after a failure, and never a wave that depends on it, directly or not', async () => {
    const dependencies = [[], [0], [], [1]];
    const statuses = ['FAILED', 'NOT_STARTED', 'NOT_STARTED', 'NOT_STARTED'];
    await expect(decide(statuses, 1, dependencies, CONTINUE)).resolves.toMatchObject({
      decision: 'NOT_STARTED',
      reason: expect.stringContaining('CONTINUE'),
    });
    await expect(decide(statuses, 2, dependencies, CONTINUE)).resolves.toMatchObject({ decision: 'START' });
    await expect(
      decide(['FAILED', 'NOT_STARTED', 'COMPLETED', 'NOT_STARTED'], 3, dependencies, CONTINUE),
    ).resolves.toMatchObject({
      decision: 'NOT_STARTED',
    });
  });

  it('decides in topological order: a wave listed earlier that depends on a later one waits its turn', async () => {
    // Wave 1 depends on wave 2: the order is 2, 1. Wave 2 comes first and starts with nothing ended.
    await expect(decide(['NOT_STARTED', 'NOT_STARTED'], 1, [[1], []])).resolves.toMatchObject({ decision: 'START' });
    await expect(decide(['NOT_STARTED', 'COMPLETED'], 0, [[1], []])).resolves.toMatchObject({ decision: 'START' });
  });

  it('refuses input that is not an admission question, naming every problem', async () => {
    await expect(
      admitWave({ store: storeWith([]) })({ executionId: '', wave: { index: -1 }, dependencies: [], scheduling: {} }),
    ).rejects.toThrow(/executionId[\s\S]*wave\.index[\s\S]*wave\.name[\s\S]*scheduling\.onWaveFailure/);
  });

  it('refuses an execution that is not recorded', async () => {
    const store = { loadExecution: async () => undefined } as never;
    await expect(
      admitWave({ store })({ executionId: 'x', wave: { index: 0, name: 'W' }, dependencies: [[]], scheduling: STOP }),
    ).rejects.toMatchObject({ name: 'RecordsInconsistent' });
  });
});
