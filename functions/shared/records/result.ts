import { rpoMet, rtoCheck, waveTargetMet } from '../targets';
import { type ExecutionResult, isLive, type RecoveryPoint, type WaveOutage, type WaveResult } from '../types';
import { approvalResultOf } from './approval-record';
import { cleanupView } from './cleanup-records';
import type { ExecutionRecord } from './execution-records';
import { actionResultsOf, actionWarnings } from './wave-action-results';
import { claimOf } from './wave-claims';
import type { WaveRecord } from './wave-records';

/** How many warnings the workflow's own output carries; the records, the API and `--json` carry them all. */
export const OUTPUT_WARNINGS = 20;

/**
 * The result shape (`--json`, the workflow's output, the API) from the records. Servers only on
 * request (the API and the CLI ask): the workflow's output stays small, under the 256 KB a
 * Step Functions state may hold, so it leaves out the per-server data ages too and carries at
 * most {@link OUTPUT_WARNINGS} warnings, saying how many more the records hold.
 */
export function toResult(
  execution: ExecutionRecord,
  waves: WaveRecord[],
  options: { withServers?: boolean; now?: Date } = {},
): ExecutionResult {
  const rpo = recoveryPointOf(waves);
  // Targets are checked, never enforced: a miss is reported here and in every view, and changes no status.
  const rpoTarget = {
    targetMinutes: execution.rpoMinutes ?? null,
    met: rpoMet(execution.rpoMinutes, rpo.maxDataAgeSeconds, rpo.servers.length),
  };
  // An outage the wave lived through, or an optional server that did not launch, is shown, never hidden,
  // even when the wave COMPLETED.
  const warnings = waves.flatMap((wave) => [
    ...(wave.warnings ?? []),
    ...optionalFailureWarnings(wave),
    ...(wave.outages ?? []).map((o) => outageWarning(wave, o)),
    ...actionWarnings(execution, wave),
  ]);
  return {
    executionId: execution.executionId,
    ...(execution.executionArn ? { executionArn: execution.executionArn } : {}),
    planId: execution.planId,
    executionType: execution.executionType,
    status: execution.status,
    startedAt: execution.startedAt,
    ...(execution.endedAt ? { endedAt: execution.endedAt } : {}),
    ...(execution.error ? { error: execution.error } : {}),
    ...(execution.cause ? { cause: execution.cause } : {}),
    rto: rtoCheck(execution, waves, options.now),
    rpo: options.withServers ? { ...rpo, ...rpoTarget } : { maxDataAgeSeconds: rpo.maxDataAgeSeconds, ...rpoTarget },
    warnings: options.withServers ? warnings : capped(warnings),
    waves: inPlanOrder(waves).map((wave, i, ordered): WaveResult => {
      const actions = actionResultsOf(execution, wave);
      return {
        index: wave.index,
        name: wave.name,
        status: statusOf(execution, wave),
        dependsOn: dependsOnOf(ordered, i),
        ...(wave.jobId ? { jobId: wave.jobId } : {}),
        failedServers: wave.failedServers ?? [],
        optionalFailedServers: wave.optionalFailedServers ?? [],
        ...(wave.sourceServerTags ? { sourceServerTags: wave.sourceServerTags } : {}),
        ...(wave.taggedSourceServerIDs ? { taggedSourceServerIDs: wave.taggedSourceServerIDs } : {}),
        ...(wave.optionalSourceServerIDs ? { optionalSourceServerIDs: wave.optionalSourceServerIDs } : {}),
        ...(wave.reason ? { reason: wave.reason } : {}),
        ...(wave.startedAt ? { startedAt: wave.startedAt } : {}),
        ...(wave.endedAt ? { endedAt: wave.endedAt } : {}),
        ...(wave.outages?.length ? { outages: wave.outages } : {}),
        ...(wave.approval ? { approval: approvalResultOf(wave.approval) } : {}),
        ...(actions ? { actions } : {}),
        targetMinutes: wave.targetMinutes ?? null,
        targetMet: waveTargetMet(wave, options.now),
        ...(options.withServers
          ? {
              servers:
                wave.servers ??
                wave.sourceServerIDs.map((sourceServerID) => ({ sourceServerID, launchStatus: 'NOT_STARTED' })),
            }
          : {}),
      };
    }),
    cleanup: cleanupView(execution),
  };
}

/**
 * The wave's status as shown: its item's, except that a waiting (NOT_STARTED) wave an admission
 * round marked on the execution item as ready without room is WAITING_FOR_CAPACITY, while the
 * execution is live (once it ended, the wave simply never started). The mark lives on the
 * execution item alone, where the claim's conditional write reads it, so no second item can lag.
 */
function statusOf(execution: ExecutionRecord, wave: WaveRecord): WaveResult['status'] {
  const waiting = wave.status === 'NOT_STARTED' && claimOf(execution, wave.index)?.status === 'WAITING_FOR_CAPACITY';
  return waiting && isLive(execution.status) ? 'WAITING_FOR_CAPACITY' : wave.status;
}

/** Waves end in any order; the result lists them in plan order (as the records' keys sort them) whatever is passed. */
const inPlanOrder = (waves: readonly WaveRecord[]) => [...waves].sort((a, b) => a.index - b.index);

/** The recorded dependencies, or for a record made before they were kept, what the plan then meant: the previous wave. */
const dependsOnOf = (ordered: readonly WaveRecord[], i: number): string[] =>
  ordered[i]?.dependsOn ?? (i > 0 ? [ordered[i - 1]?.name as string] : []);

/** An optional server that did not launch is never hidden: the result warns about it, with its launch status. */
function optionalFailureWarnings(wave: WaveRecord): string[] {
  const failed = wave.optionalFailedServers ?? [];
  if (failed.length === 0) return [];
  const statusOf = (id: string) => wave.servers?.find((s) => s.sourceServerID === id)?.launchStatus ?? 'unknown';
  const which = failed.map((id) => `${id} (${statusOf(id)})`).join(', ');
  return [
    `wave ${wave.index + 1} '${wave.name}': optional server${failed.length === 1 ? '' : 's'} ${which} did not launch; the wave's verdict ignores optional servers`,
  ];
}

/**
 * The recovery point from the waves' records: every server's data age in plan order, and the
 * oldest. An execution that never reached its preflight (or was recorded before data ages were
 * kept) has none: zero, no servers.
 */
export function recoveryPointOf(
  waves: readonly WaveRecord[],
): Required<Pick<RecoveryPoint, 'maxDataAgeSeconds' | 'servers'>> {
  const servers = waves.flatMap((wave) => wave.dataAges ?? []);
  return { maxDataAgeSeconds: servers.reduce((max, s) => Math.max(max, s.dataAgeSeconds), 0), servers };
}

/** An outage as a warning line: what DRS did not answer, from when to when, how often it was asked. */
export function outageWarning(wave: Pick<WaveRecord, 'index' | 'name'>, outage: WaveOutage): string {
  const span = outage.until ? `from ${outage.since} to ${outage.until}` : `since ${outage.since}`;
  const polls = `${outage.attempts} failed poll${outage.attempts === 1 ? '' : 's'}`;
  return `Wave ${wave.index + 1} '${wave.name}': DRS did not answer ${outage.operation} ${span} (${polls}, last error: ${outage.lastError})`;
}

function capped(warnings: string[]): string[] {
  if (warnings.length <= OUTPUT_WARNINGS) return warnings;
  const more = warnings.length - OUTPUT_WARNINGS;
  return [
    ...warnings.slice(0, OUTPUT_WARNINGS),
    `... and ${more} more warning${more === 1 ? '' : 's'} in the execution's records (drs-orchestrator status, GET /executions/{executionId})`,
  ];
}
