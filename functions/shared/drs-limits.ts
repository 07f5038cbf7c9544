/**
 * DRS quotas a plan must fit. Defaults from the DRS documentation's quotas page (they differ
 * between accounts and over time: read yours from Service Quotas and override them).
 */
export interface DrsLimits {
  maxServersPerJob: number;
  maxConcurrentJobs: number;
  maxServersInAllJobs: number;
}

export const DEFAULT_DRS_LIMITS: DrsLimits = { maxServersPerJob: 100, maxConcurrentJobs: 20, maxServersInAllJobs: 500 };
