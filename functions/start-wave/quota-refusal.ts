import type { TaskDeps } from '../shared/clients';
import { DrsRejected, WaveWaitingForCapacity } from '../shared/errors';
import { logger } from '../shared/observability';
import { otherRunningJobs } from '../shared/other-drs-jobs';

/** DRS refused a StartRecovery for a quota (concurrent jobs, servers in all jobs): nothing was created. */
export const isQuotaRefusal = (error: unknown) => (error as Error)?.name === 'ServiceQuotaExceededException';

/**
 * What a quota refusal of a wave's StartRecovery means (issue 12), once DRS has definitely created
 * nothing. Every job running in the account is counted (ours and others', from DescribeJobs):
 * - some run: the account's quota is lower than the plan assumes, and the wave fits once one ends.
 *   The claim is given back and the execution learns `drsJobsLimit` = that count (only ever lowered) so admission and the claim
 *   hold the wave WAITING_FOR_CAPACITY until a job ends, instead of asking DRS again at once; the
 *   WaveWaitingForCapacity thrown takes the workflow's refusal route back to "Wait for dependencies
 *   and room".
 * - none runs: the wave can never fit in this account: DrsRejected, naming the quota and the plan
 *   rules an operator sets to the account's quotas; the claim is kept, so the wave's verdict records
 *   it FAILED like any refused start.
 */
export async function quotaRefusal(
  deps: Pick<TaskDeps, 'store' | 'drs'>,
  args: { executionId: string; wave: { index: number; name: string }; now: Date },
  error: unknown,
): Promise<Error> {
  const { executionId, wave } = args;
  const label = `wave ${wave.index + 1} '${wave.name}'`;
  const refusal = (error as Error).message;
  // Every running job counts here, ours included: DRS's quota is on the account.
  const running = await otherRunningJobs(deps.drs, { now: args.now, ownJobIds: [] });
  if (running.jobs === 0) {
    return new DrsRejected(
      `DRS StartRecovery for ${label} was refused with ServiceQuotaExceededException while no job runs in the account, so it can never fit: ${refusal}. Set the plan's maxConcurrentJobs and maxServersInAllJobs to the account's DRS quotas (concurrent jobs, source servers in all jobs), or raise those quotas`,
      { cause: error },
    );
  }
  await deps.store.releaseClaim(executionId, wave.index);
  await deps.store.learnDrsJobsLimit(executionId, running.jobs);
  logger.warn(
    `DRS refused ${label} for a quota with ${running.jobs} job(s) running; the execution runs at most ${running.jobs} job(s) at once from now`,
    { executionId, waveIndex: wave.index, refusal },
  );
  return new WaveWaitingForCapacity(
    `${label} waits for room: DRS refused StartRecovery with ServiceQuotaExceededException while ${running.jobs} job(s) with ${running.servers} server(s) run in the account (${refusal}); it starts when a job ends`,
    { cause: error },
  );
}
