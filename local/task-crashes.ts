import type { ExecutionStore } from '../functions/shared/execution-store';
import { CRASHABLE_WRITES } from './drs-simulator/scenario';

/** A records write the scenario's `taskCrashes` may name (the scenario schema holds the list). */
export type CrashableWrite = (typeof CRASHABLE_WRITES)[number];

/** A crash of the task after its DRS call, before its DynamoDB write, as Lambda reports it. */
export class InjectedTaskCrash extends Error {
  constructor(method: CrashableWrite) {
    super(`the task crashed before ExecutionStore.${method} (injected by the scenario's taskCrashes)`);
    this.name = 'Lambda.Unknown';
  }
}

/** Makes the first n calls of each named store write crash, as the scenario's `taskCrashes` say. */
export function injectTaskCrashes(store: ExecutionStore, crashes: Partial<Record<CrashableWrite, number>>): void {
  for (const method of CRASHABLE_WRITES) {
    const times = crashes[method];
    if (!times) continue;
    // Typed against the store: renaming or removing a write the list names (or making it synchronous)
    // fails the type check here, instead of silently no longer injecting the crash.
    const original: (...args: never[]) => Promise<unknown> = store[method];
    let remaining = times;
    Object.defineProperty(store, method, {
      value: async (...args: never[]) => {
        if (remaining > 0) {
          remaining--;
          throw new InjectedTaskCrash(method);
        }
        return original.apply(store, args);
      },
    });
  }
}
