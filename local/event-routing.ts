import { handleLaunchEvent } from '../functions/launch-events/launch-events';
import type { ExecutionStore } from '../functions/shared/execution-store';
import type { WakeClient } from '../functions/shared/launch-wake-delivery';
import { logger } from '../functions/shared/observability';
import type { EmittedLaunchEvent } from './drs-simulator';
import { DEFAULT_LAUNCH_EVENTS, type LaunchEventsScenario } from './launch-events-scenario';
import type { TaskTokens } from './task-tokens';

/** One launch result event as the local EventBridge handled it. */
export interface RoutedLaunchEvent {
  jobId: string;
  sourceServerID: string;
  result: 'LAUNCHED' | 'FAILED';
  /** When DRS emitted it (the launch result's time). */
  emittedAt: Date;
  /** When the rule's target received it: one entry per delivery (duplicates included); none when dropped. */
  deliveredAt: Date[];
}

/**
 * The local stack's EventBridge, for the one rule of the stack that DRS feeds: "DRS Source Server
 * Launch Result" (source aws.drs) → the launch-events function, the same code as on AWS
 * (`functions/launch-events`). The simulator says which events each new job will emit and when;
 * this delivers each as the scenario's `events` says (late, lost, repeated), in simulated time: a
 * delivery is scheduled on the stack's task tokens, so the clock moves to it while the workflow
 * waits, as it moves to a gate's decision.
 */
export class LocalEventRouting {
  readonly launchEvents: RoutedLaunchEvent[] = [];
  private readonly config: LaunchEventsScenario;
  private readonly target: (event: unknown) => Promise<unknown>;

  constructor(
    private readonly tokens: TaskTokens,
    deps: { store: Pick<ExecutionStore, 'launchWaits'>; sfn: WakeClient },
    config: LaunchEventsScenario | undefined,
  ) {
    this.config = config ?? DEFAULT_LAUNCH_EVENTS;
    this.target = handleLaunchEvent(deps);
  }

  /** DRS created a launch job: its events, each due at its server's launch result. */
  emitted(events: EmittedLaunchEvent[]): void {
    for (const emitted of events) {
      const routed: RoutedLaunchEvent = {
        jobId: emitted.event.detail['job-id'],
        sourceServerID: emitted.sourceServerID,
        result: emitted.event.detail.state === 'RECOVERY_LAUNCH_FAILED' ? 'FAILED' : 'LAUNCHED',
        emittedAt: new Date(emitted.atMs),
        deliveredAt: [],
      };
      this.launchEvents.push(routed);
      const { dropFor } = this.config;
      if (dropFor === 'all' || dropFor.includes(emitted.sourceServerID)) continue;
      const delay = this.config.delaySecondsFor[emitted.sourceServerID] ?? this.config.delaySeconds;
      for (let copy = 0; copy <= this.config.duplicates; copy++) {
        const at = new Date(emitted.atMs + (delay + copy) * 1000);
        this.tokens.schedule(at, () => this.deliver(routed, emitted.event, at));
      }
    }
  }

  private async deliver(routed: RoutedLaunchEvent, event: unknown, at: Date): Promise<void> {
    routed.deliveredAt.push(at);
    try {
      await this.target(event);
    } catch (error) {
      // EventBridge would retry, then give up: the wave's polling fallback does without the event.
      logger.warn(`launch result event of ${routed.sourceServerID} not handled: ${(error as Error).message}`);
    }
  }
}
