import type { ExecutionRecord } from '../records/execution-records';
import { toResult } from '../records/result';
import type { WaveRecord } from '../records/wave-records';
import { missedTargets, type RtoCheck } from '../targets';
import type { ServerStatus, WaveOutage } from '../types';

/**
 * The facts of an execution's RTO/RPO report, from its records: what an auditor reads (the JSON
 * file) and what the HTML page draws (`report-html.ts`). Pure: the same records give the same
 * report. Parts that other features record (a wave's approval gate and actions, the drill's
 * cleanup) are shown when the records hold them, and said to be absent when they do not.
 */
export const REPORT_VERSION = 1;

/** A wave's approval gate as recorded (issue 11): the wait is requestedAt → at. */
export interface ApprovalRecord {
  requestedAt: string;
  timeoutAt?: string;
  decision?: string;
  by?: string;
  at?: string;
  comment?: string;
}

/** A wave action's run as recorded (issue 11). */
export interface ActionRecord {
  name: string;
  phase: string;
  status: string;
  message?: string;
  startedAt?: string;
  endedAt?: string;
}

/** A drill's cleanup as recorded (issue 13, section 3). */
export interface CleanupRecord {
  status: string;
  scheduledFor?: string;
  terminatedInstanceIDs?: string[];
  failed?: { recoveryInstanceID: string; reason: string }[];
}

/** The records a report is built from: the store's, plus what other features add when they exist. */
export interface ReportInput {
  execution: ExecutionRecord & { cleanup?: CleanupRecord };
  waves: (WaveRecord & { approval?: ApprovalRecord; actions?: ActionRecord[] })[];
}

export interface ServerFacts {
  sourceServerID: string;
  optional: boolean;
  launchStatus: string;
  recoveryInstanceID: string | null;
  /** First seen LAUNCHED (null: never, or recorded before launch times were kept). */
  launchedAt: string | null;
  /** From the wave's start to `launchedAt`. */
  secondsToLaunch: number | null;
  /** The data age it launched from, in seconds (null: not known). */
  dataAgeSeconds: number | null;
  /** A required server that did not launch (the wave failed for it), or an optional one that did not. */
  failed: boolean;
  /** What DRS said about its failure (the job log), when it failed. */
  reason: string | null;
}

export interface WaveFacts {
  index: number;
  name: string;
  status: string;
  jobId: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  targetMinutes: number | null;
  targetMet: boolean | null;
  reason: string | null;
  servers: ServerFacts[];
  outages: WaveOutage[];
  approval: ApprovalRecord | null;
  actions: ActionRecord[];
}

export interface ReportFacts {
  reportVersion: number;
  generatedAt: string;
  execution: {
    executionId: string;
    executionArn: string | null;
    planId: string;
    planName: string;
    executionType: string;
    status: string;
    startedBy: string | null;
    startedAt: string;
    endedAt: string | null;
    error: string | null;
    cause: string | null;
  };
  rto: RtoCheck;
  rpo: {
    targetMinutes: number | null;
    maxDataAgeSeconds: number;
    met: boolean | null;
    /** The server whose data was oldest (null: no data age known). */
    oldestServer: string | null;
  };
  /** Every missed target, one line each (empty: none missed, or none set). */
  missedTargets: string[];
  warnings: string[];
  /** Every failed server of every wave, with its DRS reason: the first thing an auditor asks. */
  failedServers: { wave: string; sourceServerID: string; launchStatus: string; reason: string | null }[];
  jobIds: string[];
  waves: WaveFacts[];
  /** null: the records hold no cleanup (a RECOVERY, or an execution from before cleanups existed). */
  cleanup: CleanupRecord | null;
}

const seconds = (from: string | undefined, to: string | undefined) =>
  from && to ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000)) : null;

/** Builds the report's facts from an execution's records; `generatedAt` is also the clock of a live execution. */
export function buildReport(records: ReportInput, generatedAt: Date): ReportFacts {
  const { execution, waves } = records;
  const result = toResult(execution, waves, { withServers: true, now: generatedAt });
  const dataAges = new Map(waves.flatMap((w) => (w.dataAges ?? []).map((d) => [d.sourceServerID, d.dataAgeSeconds])));
  const oldest = result.rpo.servers?.reduce<{ id: string; age: number } | null>(
    (max, s) => (max === null || s.dataAgeSeconds > max.age ? { id: s.sourceServerID, age: s.dataAgeSeconds } : max),
    null,
  );
  const waveFacts = waves.map((wave, i): WaveFacts => {
    const shown = result.waves[i];
    const optional = new Set(wave.optionalSourceServerIDs ?? []);
    const failed = new Set([...(wave.failedServers ?? []), ...(wave.optionalFailedServers ?? [])]);
    const recorded: ServerStatus[] =
      wave.servers ?? wave.sourceServerIDs.map((sourceServerID) => ({ sourceServerID, launchStatus: 'NOT_STARTED' }));
    const servers = recorded.map(
      (server): ServerFacts => ({
        sourceServerID: server.sourceServerID,
        optional: optional.has(server.sourceServerID),
        launchStatus: server.launchStatus,
        recoveryInstanceID: server.recoveryInstanceID ?? null,
        launchedAt: server.launchedAt ?? null,
        secondsToLaunch: seconds(wave.startedAt, server.launchedAt),
        dataAgeSeconds: dataAges.get(server.sourceServerID) ?? null,
        failed: failed.has(server.sourceServerID),
        reason: failed.has(server.sourceServerID)
          ? reasonOf(wave.reason, server.sourceServerID, server.launchStatus)
          : null,
      }),
    );
    return {
      index: wave.index,
      name: wave.name,
      status: wave.status,
      jobId: wave.jobId ?? null,
      startedAt: wave.startedAt ?? null,
      endedAt: wave.endedAt ?? null,
      durationSeconds: seconds(wave.startedAt, wave.endedAt),
      targetMinutes: shown?.targetMinutes ?? null,
      targetMet: shown?.targetMet ?? null,
      reason: wave.reason ?? null,
      servers,
      outages: wave.outages ?? [],
      approval: wave.approval ?? null,
      actions: wave.actions ?? [],
    };
  });
  return {
    reportVersion: REPORT_VERSION,
    generatedAt: generatedAt.toISOString(),
    execution: {
      executionId: execution.executionId,
      executionArn: execution.executionArn ?? null,
      planId: execution.planId,
      planName: execution.planName ?? execution.planId,
      executionType: execution.executionType,
      status: execution.status,
      startedBy: execution.startedBy ?? null,
      startedAt: execution.startedAt,
      endedAt: execution.endedAt ?? null,
      error: execution.error ?? null,
      cause: execution.cause ?? null,
    },
    rto: result.rto,
    rpo: {
      targetMinutes: result.rpo.targetMinutes ?? null,
      maxDataAgeSeconds: result.rpo.maxDataAgeSeconds,
      met: result.rpo.met ?? null,
      oldestServer: oldest?.id ?? null,
    },
    missedTargets: missedTargets(result),
    warnings: result.warnings,
    failedServers: waveFacts.flatMap((wave) =>
      wave.servers
        .filter((s) => s.failed)
        .map((s) => ({
          wave: wave.name,
          sourceServerID: s.sourceServerID,
          launchStatus: s.launchStatus,
          reason: s.reason,
        })),
    ),
    jobIds: waveFacts.flatMap((w) => (w.jobId ? [w.jobId] : [])),
    waves: waveFacts,
    cleanup: execution.cleanup ?? null,
  };
}

/**
 * A failed server's part of the wave's reason (`s-… FAILED - DRS: …`; parts joined by '; ', as
 * the classifier writes them): what DRS said about that server.
 */
function reasonOf(waveReason: string | undefined, sourceServerID: string, launchStatus: string): string | null {
  // An optional server's part follows the note that introduces them ("...ignores them): s-… FAILED").
  for (const part of waveReason?.split('; ') ?? []) {
    const at = part.indexOf(`${sourceServerID} `);
    if (at < 0) continue;
    const said = part.slice(at + sourceServerID.length + 1);
    // The launch status is shown beside it: keep only what it adds (`FAILED - DRS: …` → `DRS: …`).
    return said.startsWith(`${launchStatus} - `) ? said.slice(launchStatus.length + 3) : said;
  }
  return null;
}
