import { admissionRound } from '../../../../functions/shared/admission-round';
import { toResult } from '../../../../functions/shared/execution-store';
import type { Plan } from '../../../../functions/shared/types';
import { dependenciesOf, schedulingOf } from '../../../../functions/shared/wave-graph';
import { graphPlan } from '../../../support/graph-plan';
import { useExecutionStore } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:10:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');

/** Two independent waves of 300 servers under the default 500-server quota: only one fits at a time. */
const twoBigWaves = () =>
  graphPlan([
    { dependsOn: [], servers: 300 },
    { dependsOn: [], servers: 300 },
  ]);

describe('a ready wave without room is recorded WAITING_FOR_CAPACITY (admission round, records, result)', () => {
  const db = useExecutionStore('waiting', T0);
  const round = (plan: Plan, executionId: string) =>
    admissionRound(
      { store: db.store, otherJobs: async () => ({ jobs: 0, servers: 0 }) },
      executionId,
      dependenciesOf(plan.waves),
      schedulingOf(plan),
    );
  const statuses = async (executionId: string) => {
    const loaded = await db.store.loadExecution(executionId);
    if (!loaded) throw new Error('not recorded');
    return toResult(loaded.execution, loaded.waves).waves.map((w) => w.status);
  };

  it('marks the wave that waits for room WAITING_FOR_CAPACITY on the execution item, and the result shows it', async () => {
    const plan = twoBigWaves();
    const executionId = await db.execution(plan);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);

    const decisions = await round(plan, executionId);

    expect(decisions.size).toBe(0);
    expect((await db.store.getExecution(executionId))?.waves?.['1']).toEqual({
      status: 'WAITING_FOR_CAPACITY',
      servers: 0,
    });
    expect(await statuses(executionId)).toEqual(['LAUNCHING', 'WAITING_FOR_CAPACITY']);
    // Nothing about room changed: admission still sees it waiting, and a repeat round changes nothing.
    expect((await db.store.admissionWaves(executionId))[1]).toMatchObject({
      state: 'WAITING',
      waitingForCapacity: true,
    });
    await round(plan, executionId);
    expect(await statuses(executionId)).toEqual(['LAUNCHING', 'WAITING_FOR_CAPACITY']);
  });

  it('ends a marked wave that can never start (STOP after a failure) NOT_STARTED over its mark', async () => {
    const plan = twoBigWaves();
    const executionId = await db.execution(plan);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await round(plan, executionId);
    await db.store.recordJob(executionId, 0, 'drsjob-00000000000000001');
    await db.store.endWave(executionId, 0, { status: 'FAILED', failedServers: [], reason: 'x' }, T1);

    const decisions = await round(plan, executionId);

    // STOP after a failure: it can never start, and the mark gives way to NOT_STARTED for good.
    expect(decisions.get(1)).toMatchObject({ decision: 'NOT_STARTED' });
    expect((await db.store.getExecution(executionId))?.waves?.['1']?.status).toBe('NOT_STARTED');
    expect(await statuses(executionId)).toEqual(['FAILED', 'NOT_STARTED']);
  });

  it('turns a WAITING_FOR_CAPACITY wave LAUNCHING by the claim itself, even if the mark is still there', async () => {
    const plan = twoBigWaves();
    const executionId = await db.execution(plan);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await round(plan, executionId);
    await db.store.recordJob(executionId, 0, 'drsjob-00000000000000001');
    await db.store.completeWave(
      executionId,
      0,
      plan.waves[0]?.sourceServerIDs.map((sourceServerID) => ({ sourceServerID, launchStatus: 'LAUNCHED' })) ?? [],
      T1,
      T0,
    );
    expect(await statuses(executionId)).toEqual(['COMPLETED', 'WAITING_FOR_CAPACITY']);

    await db.store.claimWave(executionId, 1, T1, DEADLINE);

    expect((await db.store.getExecution(executionId))?.waves?.['1']).toMatchObject({
      status: 'LAUNCHING',
      servers: 300,
    });
    expect(await statuses(executionId)).toEqual(['COMPLETED', 'LAUNCHING']);
  });

  it('drops the mark when a round admits the wave, before its START is sent', async () => {
    const plan = twoBigWaves();
    const executionId = await db.execution(plan);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await round(plan, executionId);
    await db.store.recordJob(executionId, 0, 'drsjob-00000000000000001');
    await db.store.completeWave(
      executionId,
      0,
      plan.waves[0]?.sourceServerIDs.map((sourceServerID) => ({ sourceServerID, launchStatus: 'LAUNCHED' })) ?? [],
      T1,
      T0,
    );

    const decisions = await round(plan, executionId);

    expect(decisions.get(1)).toMatchObject({ decision: 'START' });
    expect((await db.store.getExecution(executionId))?.waves?.['1']).toBeUndefined();
    expect(await statuses(executionId)).toEqual(['COMPLETED', 'NOT_STARTED']);
  });

  it('never marks a claimed or ended wave, nor any wave of an ended execution', async () => {
    const plan = twoBigWaves();
    const executionId = await db.execution(plan);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await db.store.markWaitingForCapacity(executionId, 0, true);
    await db.store.skipWave(executionId, 1);
    await db.store.markWaitingForCapacity(executionId, 1, true);
    expect((await db.store.getExecution(executionId))?.waves).toMatchObject({
      '0': { status: 'LAUNCHING' },
      '1': { status: 'NOT_STARTED' },
    });

    const other = await db.execution(twoBigWaves());
    await db.store.failExecution({ executionId: other, status: 'CANCELLED', error: 'x', cause: 'x', endedAt: T1 });
    await db.store.markWaitingForCapacity(other, 1, true);
    expect((await db.store.getExecution(other))?.waves?.['1']).toBeUndefined();
  });

  it("drops only a WAITING_FOR_CAPACITY mark: a round's unmark never erases a claim or an end", async () => {
    const plan = twoBigWaves();
    const executionId = await db.execution(plan);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await db.store.skipWave(executionId, 1);
    await db.store.markWaitingForCapacity(executionId, 0, false);
    await db.store.markWaitingForCapacity(executionId, 1, false);

    expect(await db.store.getExecution(executionId)).toMatchObject({
      runningWaves: 1,
      waves: { '0': { status: 'LAUNCHING' }, '1': { status: 'NOT_STARTED' } },
    });
    await expect(db.store.claimWave(executionId, 0, T0, DEADLINE)).rejects.toThrow('it was already claimed');
  });

  it('shows a wave still marked when its execution ended as what it is, NOT_STARTED', async () => {
    const plan = twoBigWaves();
    const executionId = await db.execution(plan);
    await db.store.claimWave(executionId, 0, T0, DEADLINE);
    await round(plan, executionId);
    await db.store.failExecution({ executionId, status: 'CANCELLED', error: 'x', cause: 'x', endedAt: T1 });

    expect((await statuses(executionId))[1]).toBe('NOT_STARTED');
  });
});
