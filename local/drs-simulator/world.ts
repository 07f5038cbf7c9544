/**
 * The DRS simulator's model, with no HTTP: the inventory, the jobs and the recovery instances.
 * Calls record what was asked and when; every read computes the state from the clock, so
 * advancing a simulated clock is all it takes to move jobs along. This class only holds the
 * state and the clock: the rules live in `job-lifecycle.ts`, `job-log.ts` and the `render-*`
 * modules.
 */
import type { Job, JobLog, LaunchAction, RecoveryInstance, RecoverySnapshot, SourceServer } from '@aws-sdk/client-drs';
import type { Clock } from '../../functions/shared/clock';
import { type AccountScope, instanceIdFor } from './ids';
import {
  createLaunchJob,
  createOtherJobs,
  createTerminateJob,
  launchFor,
  type StartRecoveryRequest,
} from './job-lifecycle';
import { jobLogItems } from './job-log';
import { type EmittedLaunchEvent, launchEventsOf } from './launch-events';
import { configuredActions } from './post-launch-actions';
import type { InventoryServer, WorldState } from './records';
import { renderJob } from './render-job';
import { recoverySnapshotsOf, renderRecoveryInstance, renderSourceServer } from './render-servers';
import { DEFAULT_LAST_SNAPSHOT_AGE_SECONDS, type ReplicationState, type Scenario } from './scenario';

export interface WorldOptions {
  scenario: Scenario;
  clock: Clock;
  planServerIDs: readonly string[];
  region: string;
  accountId: string;
  /** Told of the launch result events each new launch job will emit (DRS → EventBridge). */
  onLaunchEvents?: (events: EmittedLaunchEvent[]) => void;
  /** Makes the job and instance IDs this simulator's own (`ids.ts`). */
  idSeed?: string;
}

export class World {
  private readonly scenario: Scenario;
  private readonly clock: Clock;
  private readonly scope: AccountScope;
  private readonly state: WorldState;
  private readonly onLaunchEvents: WorldOptions['onLaunchEvents'];

  constructor(opts: WorldOptions) {
    this.onLaunchEvents = opts.onLaunchEvents;
    this.scenario = opts.scenario;
    this.clock = opts.clock;
    this.scope = { region: opts.region, accountId: opts.accountId };
    this.state = {
      inventory: inventoryOf(opts.scenario, opts.planServerIDs, this.nowMs()),
      jobs: [],
      instances: [],
      instanceCount: 0,
      idSeed: opts.idSeed ?? '',
    };
    // Jobs already running from something else: listed, and counted against the quotas until they complete.
    createOtherJobs(this.state, opts.scenario.otherJobs ?? [], this.nowMs());
    // Instances other jobs launched before the simulation started: running, never this run's to terminate.
    for (const existing of opts.scenario.existingRecoveryInstances ?? []) {
      this.state.instanceCount += 1;
      this.state.instances.push({
        recoveryInstanceID: instanceIdFor(this.state.instanceCount, this.state.idSeed),
        sourceServerID: existing.sourceServerID,
        jobID: existing.jobID,
        isDrill: existing.isDrill,
        launchedMs: this.nowMs(),
        terminatingMs: Number.POSITIVE_INFINITY,
        terminatedMs: Number.POSITIVE_INFINITY,
      });
    }
  }

  /** The IDs of every source server that exists in DRS, in inventory order. */
  sourceServerIDs(): string[] {
    return [...this.state.inventory.keys()];
  }

  /** Creates a LAUNCH job. The caller has checked the request's shape (1–200 unique IDs). */
  startRecovery(request: StartRecoveryRequest): Job {
    const now = this.nowMs();
    const job = createLaunchJob(this.state, this.scenario, request, now);
    this.onLaunchEvents?.(launchEventsOf(job, this.scope));
    return renderJob(job, now, this.scope);
  }

  /** Creates a TERMINATE job for existing recovery instances. The caller has checked 1–200 IDs. */
  terminateRecoveryInstances(recoveryInstanceIDs: string[]): Job {
    const now = this.nowMs();
    return renderJob(createTerminateJob(this.state, this.scenario, recoveryInstanceIDs, now), now, this.scope);
  }

  /**
   * Every job as it is now, newest first. `listed`: only the jobs DescribeJobs lists by now, leaving
   * out those created less than the scenario's `jobVisibleAfterSeconds` ago.
   */
  jobs(filter: { jobIDs?: ReadonlySet<string>; fromMs?: number; toMs?: number; listed?: boolean } = {}): Job[] {
    const now = this.nowMs();
    const listedBeforeMs = filter.listed ? now - (this.scenario.jobVisibleAfterSeconds ?? 0) * 1000 : now;
    // Filter before rendering: a poll of one job does not render every job of a long recovery.
    return [...this.state.jobs]
      .reverse()
      .filter(
        (job) =>
          job.createdMs <= listedBeforeMs &&
          (filter.jobIDs === undefined || filter.jobIDs.has(job.jobID)) &&
          (filter.fromMs === undefined || job.createdMs >= filter.fromMs) &&
          (filter.toMs === undefined || job.createdMs <= filter.toMs),
      )
      .map((job) => renderJob(job, now, this.scope));
  }

  /** The job's log items up to now, oldest first; undefined for an unknown job. */
  jobLog(jobID: string): JobLog[] | undefined {
    const job = this.state.jobs.find((j) => j.jobID === jobID);
    return job === undefined ? undefined : jobLogItems(job, this.state.inventory, this.nowMs());
  }

  /** Every source server as DescribeSourceServers returns it now, in inventory order. */
  sourceServers(): SourceServer[] {
    const now = this.nowMs();
    return [...this.state.inventory.values()].map((server) => renderSourceServer(server, this.state, now, this.scope));
  }

  /**
   * The post-launch actions configured for a source server (ListLaunchActions), the same ones its
   * launches run; undefined for a server DRS does not know.
   */
  launchActions(sourceServerID: string): LaunchAction[] | undefined {
    if (!this.state.inventory.has(sourceServerID)) return undefined;
    return configuredActions(launchFor(this.scenario, sourceServerID).postLaunchActions);
  }

  /** A source server's point-in-time snapshots taken by now, oldest first; undefined for a server DRS does not know. */
  recoverySnapshots(sourceServerID: string): RecoverySnapshot[] | undefined {
    const server = this.state.inventory.get(sourceServerID);
    return server === undefined ? undefined : recoverySnapshotsOf(server, this.nowMs());
  }

  /** Every recovery instance that has launched by now, oldest first. */
  recoveryInstances(): RecoveryInstance[] {
    const now = this.nowMs();
    return this.state.instances
      .filter((i) => i.launchedMs <= now)
      .sort((a, b) => a.launchedMs - b.launchedMs)
      .map((i) => renderRecoveryInstance(i, now, this.scope));
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }
}

/** The scenario's source servers, or else every plan server replicating CONTINUOUS, all added now. */
function inventoryOf(
  scenario: Scenario,
  planServerIDs: readonly string[],
  addedMs: number,
): Map<string, InventoryServer> {
  const servers: {
    sourceServerID: string;
    hostname?: string;
    replicationState: ReplicationState;
    lastSnapshotAgeSeconds: number | null;
    tags?: Record<string, string>;
  }[] =
    scenario.sourceServers ??
    planServerIDs.map((sourceServerID) => ({
      sourceServerID,
      replicationState: 'CONTINUOUS' as const,
      lastSnapshotAgeSeconds: DEFAULT_LAST_SNAPSHOT_AGE_SECONDS,
    }));
  return new Map(
    servers.map((server) => [
      server.sourceServerID,
      {
        sourceServerID: server.sourceServerID,
        hostname: server.hostname ?? defaultHostname(server.sourceServerID),
        replicationState: server.replicationState,
        tags: { ...(server.tags ?? {}) },
        addedMs,
        lastSnapshotMs:
          server.lastSnapshotAgeSeconds === null ? undefined : addedMs - server.lastSnapshotAgeSeconds * 1000,
      },
    ]),
  );
}

function defaultHostname(sourceServerID: string): string {
  return `host-${sourceServerID.slice(-6).toLowerCase()}`;
}
