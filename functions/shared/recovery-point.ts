import {
  DescribeRecoverySnapshotsCommand,
  type DescribeRecoverySnapshotsCommandOutput,
  type DrsClient,
  type SourceServer,
} from '@aws-sdk/client-drs';
import { fromDrsError } from './drs-errors';

/** DescribeRecoverySnapshots takes one server per call: this many calls at once, so a large plan stays well inside the task's time. */
const SNAPSHOT_READS_AT_ONCE = 10;

/**
 * Each server's latest point-in-time snapshot (when it was taken), from DescribeRecoverySnapshots,
 * newest first, one item: the snapshot DRS recovers from when it cannot take a new one. A server
 * DRS has no snapshot of is left out.
 */
export async function latestSnapshots(drs: DrsClient, ids: readonly string[]): Promise<Map<string, Date>> {
  const latest = new Map<string, Date>();
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const taken = await latestSnapshotOf(drs, id);
      if (taken) latest.set(id, taken);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SNAPSHOT_READS_AT_ONCE, ids.length) }, worker));
  return latest;
}

async function latestSnapshotOf(drs: DrsClient, sourceServerID: string): Promise<Date | undefined> {
  let out: DescribeRecoverySnapshotsCommandOutput;
  try {
    // Newest first, one item: only the latest snapshot matters, so no further page is read.
    out = await drs.send(new DescribeRecoverySnapshotsCommand({ sourceServerID, order: 'DESC', maxResults: 1 }));
  } catch (error) {
    throw fromDrsError(error, 'DescribeRecoverySnapshots');
  }
  const snapshot = out.items?.[0];
  // `timestamp` is when it was actually taken; `expectedTimestamp` when it was due.
  const when = snapshot?.timestamp ?? snapshot?.expectedTimestamp;
  const ms = when === undefined ? Number.NaN : Date.parse(when);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/**
 * How far a server's replicated data lags behind the source, in seconds, from
 * `dataReplicationInfo.lagDuration` (an ISO-8601 duration such as `PT2.5S`). Absent: no lag
 * reported, 0. Undefined when DRS gives a value this code cannot read.
 */
export function replicationLagSeconds(server: SourceServer): number | undefined {
  const lag = server.dataReplicationInfo?.lagDuration;
  if (lag === undefined || lag === '') return 0;
  const match = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    lag,
  );
  if (!match || lag === 'P' || lag.endsWith('T')) return undefined;
  const [, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  return (days ?? 0) * 86400 + (hours ?? 0) * 3600 + (minutes ?? 0) * 60 + (seconds ?? 0);
}

/** `5m 00s (300 s)`: a data age a person reads at once, with the exact seconds. */
export function dataAgeText(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const short =
    h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m ${String(rest).padStart(2, '0')}s` : `${rest}s`;
  return `${short} (${s} s)`;
}
