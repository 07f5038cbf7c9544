import type { ExecutionStore } from '../../../../functions/shared/execution-store';
import { stampLaunchTimes } from '../../../../functions/shared/records/launch-times';
import { serverId, startStore, threeWavePlan } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:05:00Z');
const T2 = new Date('2026-01-01T00:07:30Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');
const A = serverId(1);
const B = serverId(2);

describe('stampLaunchTimes', () => {
  it('marks a server LAUNCHED for the first time with the time it was seen', () => {
    const out = stampLaunchTimes(undefined, [{ sourceServerID: A, launchStatus: 'LAUNCHED' }], T1);

    expect(out).toEqual([{ sourceServerID: A, launchStatus: 'LAUNCHED', launchedAt: T1.toISOString() }]);
  });

  it('keeps the first time a server was seen LAUNCHED at later checks', () => {
    const previous = [{ sourceServerID: A, launchStatus: 'LAUNCHED', launchedAt: T1.toISOString() }];

    const out = stampLaunchTimes(previous, [{ sourceServerID: A, launchStatus: 'LAUNCHED' }], T2);

    expect(out[0]?.launchedAt).toBe(T1.toISOString());
  });

  it('gives no launch time to a server that has not launched', () => {
    const out = stampLaunchTimes(undefined, [{ sourceServerID: A, launchStatus: 'IN_PROGRESS' }], T1);

    expect(out).toEqual([{ sourceServerID: A, launchStatus: 'IN_PROGRESS' }]);
  });
});

describe('launch times in the wave records (through ExecutionStore, on dynalite)', () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let store: ExecutionStore;

  beforeAll(async () => {
    local = await startStore();
    store = local.store;
  });
  afterAll(async () => local.stop());

  it('records when each server was first seen LAUNCHED, across polls and the wave verdict', async () => {
    await store.createExecution({ executionId: 'e-1', plan: threeWavePlan(), executionType: 'DRILL', startedAt: T0 });
    await store.claimWave('e-1', 0, T0, DEADLINE);
    await store.recordJob('e-1', 0, 'drsjob-00000000000000001');

    await store.recordPoll(
      'e-1',
      0,
      [
        { sourceServerID: A, launchStatus: 'LAUNCHED' },
        { sourceServerID: B, launchStatus: 'IN_PROGRESS' },
      ],
      T1,
    );
    await store.completeWave(
      'e-1',
      0,
      [
        { sourceServerID: A, launchStatus: 'LAUNCHED' },
        { sourceServerID: B, launchStatus: 'LAUNCHED' },
      ],
      T2,
      T0,
    );

    const wave = (await store.loadExecution('e-1'))?.waves[0];
    expect(wave?.servers).toEqual([
      { sourceServerID: A, launchStatus: 'LAUNCHED', launchedAt: T1.toISOString() },
      { sourceServerID: B, launchStatus: 'LAUNCHED', launchedAt: T2.toISOString() },
    ]);
  });
});
