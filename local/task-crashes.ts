import type { ExecutionStore } from '../functions/shared/execution-store';
import { CRASHABLE_WRITES, type TaskCrash } from './drs-simulator/scenario';

/** A records write the scenario's `taskCrashes` may name (the scenario schema holds the list). */
export type CrashableWrite = (typeof CRASHABLE_WRITES)[number];

/** What each name means, in the words of the cause Step Functions reports with it. */
const WHAT_HAPPENED: Record<TaskCrash['as'], string> = {
  'Lambda.Unknown': 'crashed',
  'Sandbox.Timedout': 'timed out (the function ran past its timeout)',
  'Runtime.ExitError': 'exited (the runtime process ended with an error)',
  'Runtime.OutOfMemory': 'ran out of memory',
  'Lambda.TooManyRequestsException': 'was throttled by Lambda (Rate Exceeded)',
  'Lambda.ServiceException': 'failed in the Lambda service (ServiceException)',
};

/**
 * A crash of the task after its DRS call, before its DynamoDB write (or, with `after`, just after
 * it: the write stands and the task's answer is lost). Its name is the error name
 * Step Functions reports for such an attempt, which is what the workflow's Retry matches.
 */
export class InjectedTaskCrash extends Error {
  constructor(method: CrashableWrite, as: TaskCrash['as'] = 'Lambda.Unknown', after = false) {
    super(
      `the task ${WHAT_HAPPENED[as]} ${after ? 'after' : 'before'} ExecutionStore.${method} (injected by the scenario's taskCrashes)`,
    );
    this.name = as;
  }
}

/** Makes the first n calls of each named store write crash, as the scenario's `taskCrashes` say. */
export function injectTaskCrashes(
  store: ExecutionStore,
  crashes: Partial<Record<CrashableWrite, TaskCrash | number>>,
): void {
  for (const method of CRASHABLE_WRITES) {
    const crash = crashes[method];
    const { times, as, after } =
      typeof crash === 'number' ? { times: crash, as: 'Lambda.Unknown' as const, after: false } : (crash ?? {});
    if (!times) continue;
    // Typed against the store: renaming or removing a write the list names (or making it synchronous)
    // fails the type check here, instead of silently no longer injecting the crash.
    const original: (...args: never[]) => Promise<unknown> = store[method];
    let remaining = times;
    Object.defineProperty(store, method, {
      value: async (...args: never[]) => {
        if (remaining > 0) {
          remaining--;
          if (after) await original.apply(store, args);
          throw new InjectedTaskCrash(method, as, after);
        }
        return original.apply(store, args);
      },
    });
  }
}
