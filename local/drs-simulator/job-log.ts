/**
 * A job's log as DescribeJobLogItems returns it: the events so far, oldest first, with the event
 * names of the SDK's `JobLogEvent`. A LAUNCH job logs, per server: a snapshot (SNAPSHOT_START/END;
 * or, when the server does not replicate CONTINUOUS, SNAPSHOT_FAIL and USING_PREVIOUS_SNAPSHOT),
 * the conversion (CONVERSION_START/END, on a conversion server), then LAUNCH_START, and
 * LAUNCH_FAILED for a failed or terminated launch; a skipped server logs only SERVER_SKIPPED.
 * Real DRS logs no launch-success event (JobLogEvent has none), so success shows only in a
 * server's launchStatus. A TERMINATE job logs CLEANUP_START/END per instance.
 */
import type { JobLog, JobLogEventData } from '@aws-sdk/client-drs';
import { conversionServerIdFor, iso } from './ids';
import type { InventoryServer, JobRecord, LaunchJob, Participant } from './records';
import { JOB_STARTS_AFTER_SECONDS } from './timeline';

/** The rawError of a FAILED launch when the scenario gives none: the most common real cause. */
export const DEFAULT_RAW_ERROR =
  'An error occurred (InsufficientInstanceCapacity) when calling the RunInstances operation: We currently do not have sufficient t3.large capacity in the Availability Zone you requested (us-east-1a).';

type Entry = { ms: number; item: JobLog };

/** The job's log items up to `now` (and never past the job's end), oldest first. */
export function jobLogItems(job: JobRecord, inventory: ReadonlyMap<string, InventoryServer>, now: number): JobLog[] {
  const visibleUntil = Math.min(now, job.completedMs);
  const items: Entry[] = [{ ms: job.createdMs, item: { event: 'JOB_START' } }];
  if (job.kind === 'LAUNCH') {
    for (const s of job.skipped) {
      const state = inventory.get(s.sourceServerID)?.replicationState ?? 'STOPPED';
      const rawError =
        s.launch.rawError ??
        `Source server ${s.sourceServerID} was skipped: it is not ready for recovery (data replication state ${state}).`;
      items.push({
        ms: s.atMs,
        item: { event: 'SERVER_SKIPPED', eventData: { sourceServerID: s.sourceServerID, rawError } },
      });
    }
    for (const p of job.participants) {
      items.push(...launchEntries(job, p, inventory.get(p.sourceServerID)));
    }
  } else {
    for (const t of job.targets) {
      const eventData = { sourceServerID: t.sourceServerID, targetInstanceID: t.recoveryInstanceID };
      items.push({
        ms: job.createdMs + JOB_STARTS_AFTER_SECONDS * 1000,
        item: { event: 'CLEANUP_START', eventData },
      });
      items.push({ ms: job.completedMs, item: { event: 'CLEANUP_END', eventData } });
    }
  }
  items.push({ ms: job.completedMs, item: { event: 'JOB_END' } });
  return items
    .filter((entry) => entry.ms <= visibleUntil)
    .sort((a, b) => a.ms - b.ms) // stable: items at the same time keep their order (JOB_END last)
    .map((entry) => ({ logDateTime: iso(entry.ms), ...entry.item }));
}

/**
 * One server's events, spread over its launch: the snapshot in the first fifth, the conversion
 * until three fifths, then the launch. A STUCK launch follows the same schedule over its
 * nominal `afterSeconds` and never ends.
 */
function launchEntries(job: LaunchJob, p: Participant, server: InventoryServer | undefined): Entry[] {
  const { sourceServerID } = p;
  const end = Number.isFinite(p.terminalMs) ? p.terminalMs : job.createdMs + p.launch.afterSeconds * 1000;
  const span = Math.max(0, end - p.inProgressMs);
  const snapshotEndMs = p.inProgressMs + Math.round(span / 5);
  const launchStartMs = p.inProgressMs + Math.round((span * 3) / 5);
  const data = (extra: JobLogEventData = {}): JobLogEventData => ({ sourceServerID, ...extra });
  const conversion = data({ conversionServerID: conversionServerIdFor(job.jobID, sourceServerID) });
  const entries: Entry[] = [{ ms: p.inProgressMs, item: { event: 'SNAPSHOT_START', eventData: data() } }];
  const replication = server?.replicationState ?? 'CONTINUOUS';
  if (replication === 'CONTINUOUS') {
    entries.push({ ms: snapshotEndMs, item: { event: 'SNAPSHOT_END', eventData: data() } });
  } else {
    // No fresh snapshot without replication: DRS falls back on the latest point-in-time snapshot.
    const rawError = `Failed to take a snapshot: data replication is ${replication}`;
    entries.push({ ms: snapshotEndMs, item: { event: 'SNAPSHOT_FAIL', eventData: data({ rawError }) } });
    entries.push({ ms: snapshotEndMs, item: { event: 'USING_PREVIOUS_SNAPSHOT', eventData: data() } });
  }
  entries.push({ ms: snapshotEndMs, item: { event: 'CONVERSION_START', eventData: conversion } });
  entries.push({ ms: launchStartMs, item: { event: 'CONVERSION_END', eventData: conversion } });
  entries.push({ ms: launchStartMs, item: { event: 'LAUNCH_START', eventData: data() } });
  const result = p.launch.result;
  if (result === 'FAILED' || result === 'TERMINATED') {
    const rawError =
      p.launch.rawError ??
      (result === 'FAILED'
        ? DEFAULT_RAW_ERROR
        : `Recovery instance ${p.recoveryInstanceID} was terminated after launch (EC2 state transition reason: Server.InternalError: Internal error on launch).`);
    entries.push({
      ms: p.terminalMs,
      item: {
        event: 'LAUNCH_FAILED',
        eventData: data({
          ...(p.recoveryInstanceID === undefined ? {} : { targetInstanceID: p.recoveryInstanceID }),
          rawError,
        }),
      },
    });
  }
  return entries;
}
