import type { ExecutionStore } from '../../../functions/shared/execution-store';
import { InjectedTaskCrash, injectTaskCrashes } from '../../../local/task-crashes';

/** Only the writes the test touches; the rest of the store is not called. */
function fakeStore() {
  const calls: unknown[][] = [];
  const store = {
    recordJob: async (...args: unknown[]) => {
      calls.push(args);
    },
    completeWave: async () => undefined,
  };
  return { store: store as unknown as ExecutionStore, calls };
}

describe('injectTaskCrashes', () => {
  it('fails the first n calls of a named write as a crashed Lambda, then lets the write through', async () => {
    const { store, calls } = fakeStore();
    injectTaskCrashes(store, { recordJob: 2 });

    await expect(store.recordJob('x', 0, 'drsjob-1')).rejects.toThrow(InjectedTaskCrash);
    await expect(store.recordJob('x', 0, 'drsjob-1')).rejects.toMatchObject({
      name: 'Lambda.Unknown',
      message: "the task crashed before ExecutionStore.recordJob (injected by the scenario's taskCrashes)",
    });
    await store.recordJob('x', 0, 'drsjob-1');

    expect(calls).toEqual([['x', 0, 'drsjob-1']]);
  });

  it('fails them under the error name the scenario gives, as Step Functions reports it', async () => {
    const { store, calls } = fakeStore();
    injectTaskCrashes(store, { recordJob: { times: 1, as: 'Sandbox.Timedout' } });

    await expect(store.recordJob('x', 0, 'drsjob-1')).rejects.toMatchObject({
      name: 'Sandbox.Timedout',
      message:
        "the task timed out (the function ran past its timeout) before ExecutionStore.recordJob (injected by the scenario's taskCrashes)",
    });
    await store.recordJob('x', 0, 'drsjob-1');

    expect(calls).toHaveLength(1);
  });

  it('leaves writes the scenario does not name, or names zero times, as they are', async () => {
    const { store } = fakeStore();
    const completeWave = store.completeWave;
    const recordJob = store.recordJob;
    injectTaskCrashes(store, { recordJob: 0 });
    expect(store.completeWave).toBe(completeWave);
    expect(store.recordJob).toBe(recordJob);
  });
});
