/**
 * The simulator's counters: the ground truth tests and drill reports compare with what the
 * orchestrator believes it did (e.g. exactly one job per wave, even after lost responses).
 */
import type { DrsOperation } from './requests';

/**
 * How many calls each operation received (whatever their outcome), how many LAUNCH jobs were
 * created, and how many faults the scenario injected.
 */
export interface DrsCounts {
  startRecoveryCalls: number;
  jobsCreated: number;
  throttledCalls: number;
  internalErrors: number;
  lostResponses: number;
  /** Calls refused with a DRS error: the scenario's `errorTimes` and the quotas (ServiceQuotaExceededException). */
  refusedCalls: number;
  /** Calls that did their work and were never answered (`hangTimes`). */
  hungCalls: number;
  describeJobsCalls: number;
  describeJobLogItemsCalls: number;
  describeSourceServersCalls: number;
  describeRecoveryInstancesCalls: number;
  terminateRecoveryInstancesCalls: number;
  listLaunchActionsCalls: number;
  describeRecoverySnapshotsCalls: number;
}

/** The counter of each operation's calls. */
export const CALL_COUNTERS: Record<
  DrsOperation,
  Exclude<
    keyof DrsCounts,
    'jobsCreated' | 'throttledCalls' | 'internalErrors' | 'lostResponses' | 'refusedCalls' | 'hungCalls'
  >
> = {
  StartRecovery: 'startRecoveryCalls',
  DescribeJobs: 'describeJobsCalls',
  DescribeJobLogItems: 'describeJobLogItemsCalls',
  DescribeSourceServers: 'describeSourceServersCalls',
  DescribeRecoveryInstances: 'describeRecoveryInstancesCalls',
  TerminateRecoveryInstances: 'terminateRecoveryInstancesCalls',
  ListLaunchActions: 'listLaunchActionsCalls',
  DescribeRecoverySnapshots: 'describeRecoverySnapshotsCalls',
};

/** Every counter at zero, in the order `counts()` has always listed them. */
export function zeroCounts(): DrsCounts {
  return {
    startRecoveryCalls: 0,
    jobsCreated: 0,
    describeJobsCalls: 0,
    describeJobLogItemsCalls: 0,
    describeSourceServersCalls: 0,
    describeRecoveryInstancesCalls: 0,
    terminateRecoveryInstancesCalls: 0,
    listLaunchActionsCalls: 0,
    describeRecoverySnapshotsCalls: 0,
    throttledCalls: 0,
    internalErrors: 0,
    lostResponses: 0,
    refusedCalls: 0,
    hungCalls: 0,
  };
}
