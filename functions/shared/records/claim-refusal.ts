import { type OrchestratorError, WaveNotStartable, WaveWaitingForCapacity } from '../errors';
import { isLive } from '../types';
import type { ExecutionRecord } from './execution-records';
import { type ClaimedWaveSpec, claimOf, type OtherJobs, schedulingOfRecord } from './wave-claims';

/**
 * Why a claim was refused, read from the execution item after the refusal, as the named error the
 * workflow matches: WaveNotStartable when waiting cannot help (the execution ended, the wave was
 * already claimed or ended, a wave it depends on is not COMPLETED, or STOP after a failure),
 * WaveWaitingForCapacity when only room is missing. In words an operator can act on.
 */
export function claimRefusal(
  args: { executionId: string; index: number; name?: string; wave: ClaimedWaveSpec; others: OtherJobs },
  execution: ExecutionRecord | undefined,
  cause: unknown,
): OrchestratorError {
  const { executionId, index } = args;
  const label = `wave ${index + 1}${args.name ? ` '${args.name}'` : ''}`;
  const notStartable = (why: string) => new WaveNotStartable(`${label} not started: ${why}`, { cause });
  const why = whyNotStartable(executionId, index, execution, args.wave.dependsOn);
  if (why || !execution) return notStartable(why ?? `execution ${executionId} is not recorded`);
  const scheduling = schedulingOfRecord(execution);
  const jobs = (execution.runningWaves ?? 0) + args.others.jobs;
  const servers = (execution.runningServers ?? 0) + args.others.servers;
  const limits = [
    `${jobs} job(s) running of maxConcurrentJobs ${scheduling.maxConcurrentJobs}`,
    `${servers} server(s) in running jobs + ${args.wave.servers} of maxServersInAllJobs ${scheduling.maxServersInAllJobs}`,
    ...(scheduling.maxConcurrentWaves === undefined
      ? []
      : [`${execution.runningWaves ?? 0} wave(s) running of maxConcurrentWaves ${scheduling.maxConcurrentWaves}`]),
  ];
  return new WaveWaitingForCapacity(`${label} waits for room: ${limits.join('; ')}`, { cause });
}

/**
 * Why wave `index` cannot start whatever the room (the claim's conditions but room, read from the
 * execution item), or undefined when it can: the execution is not recorded or not live, the wave
 * was claimed or ended, a wave it depends on has not COMPLETED, or STOP after a failure.
 */
export function whyNotStartable(
  executionId: string,
  index: number,
  execution: ExecutionRecord | undefined,
  dependsOn: readonly number[],
): string | undefined {
  if (!execution) return `execution ${executionId} is not recorded`;
  if (!isLive(execution.status)) return `execution ${executionId} is ${execution.status}, no longer running`;
  const own = claimOf(execution, index);
  if (own && own.status !== 'WAITING_FOR_CAPACITY')
    return own.status === 'LAUNCHING' ? 'it was already claimed' : `it has already ended ${own.status}`;
  const pending = dependsOn.filter((d) => claimOf(execution, d)?.status !== 'COMPLETED');
  if (pending.length > 0) {
    const states = pending.map((d) => `wave ${d + 1} is ${claimOf(execution, d)?.status ?? 'NOT_STARTED'}`);
    return `it depends on waves that have not COMPLETED (${states.join(', ')})`;
  }
  if (schedulingOfRecord(execution).onWaveFailure === 'STOP' && (execution.failedWaves ?? 0) > 0) {
    return `${execution.failedWaves} wave(s) failed and the plan's onWaveFailure is STOP`;
  }
  return undefined;
}
