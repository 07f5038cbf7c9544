import { LAUNCH_EVENT_FALLBACK_SECONDS } from '../functions/shared/launch-wait-schedule';
import { type DetectionLatencies, detectionLatencies } from '../local/detection-latency';
import { parseScenario, type ScenarioInput } from '../local/drs-simulator';
import { LocalStack } from '../local/local-stack';

/** The plan as `LocalStack.storePlan` takes it (planId, pollIntervalSeconds, waves of sourceServerIDs). */
interface LatencyPlan {
  planId: string;
  pollIntervalSeconds: number;
  waves: { sourceServerIDs: string[] }[];
}

/** The worst latencies, and what the success run cost the workflow (state transitions, history events). */
export interface DetectionRunFigures extends DetectionLatencies {
  transitions: number;
  historyEvents: number;
}

export interface DetectionLatencyFigures {
  /** Every launch result event delivered (2 s after the result, the scenario's default). */
  withEvents: DetectionRunFigures;
  /** Every event dropped: polling alone, at the launch wait's fallback interval. */
  withoutEvents: DetectionRunFigures;
  /** The fallback interval the figures without events are bounded by, in seconds. */
  fallbackPollSeconds: number;
}

/**
 * The hook for `npm run bench`'s detection-latency figures (issue 12, section 4): runs `plan` four
 * times on a fresh local stack each, as a DRILL: as the scenario says (success latency) and with
 * `failServer` failing at its own launch time (failure latency), each with every launch result
 * event delivered and with every event dropped. Returns the worst latencies of each pair
 * (`local/detection-latency.ts` says how they are measured).
 */
export async function measureDetectionLatency(args: {
  plan: LatencyPlan;
  scenario: ScenarioInput;
  /** A server of the plan (ideally of its first wave, so the run is short) that fails in the failure runs. */
  failServer: string;
}): Promise<DetectionLatencyFigures> {
  const failing: ScenarioInput = {
    ...args.scenario,
    launches: {
      ...args.scenario.launches,
      [args.failServer]: { ...args.scenario.launches?.[args.failServer], result: 'FAILED' },
    },
  };
  const measure = async (dropAll: boolean): Promise<DetectionRunFigures> => {
    const events = dropAll ? { events: { dropFor: 'all' as const } } : {};
    const success = await runOnce(args.plan, { ...args.scenario, ...events });
    const failure = await runOnce(args.plan, { ...failing, ...events });
    return {
      detectionLatencySeconds: success.detectionLatencySeconds,
      failureDetectionLatencySeconds: failure.failureDetectionLatencySeconds,
      transitions: success.transitions,
      historyEvents: success.historyEvents,
    };
  };
  return {
    withEvents: await measure(false),
    withoutEvents: await measure(true),
    fallbackPollSeconds: Math.max(args.plan.pollIntervalSeconds, LAUNCH_EVENT_FALLBACK_SECONDS),
  };
}

async function runOnce(plan: LatencyPlan, scenario: ScenarioInput): Promise<DetectionRunFigures> {
  const stack = await LocalStack.start({
    scenario: parseScenario(scenario),
    planServerIDs: plan.waves.flatMap((w) => w.sourceServerIDs),
  });
  try {
    await stack.storePlan(plan);
    let transitions = 0;
    const run = await stack.execute({
      input: { planId: plan.planId, executionType: 'DRILL' },
      // Counted as bench/measure.ts counts them: every state entered, and every retry.
      onEngineEvent: (event) => {
        if (event.type === 'StateEntered' || event.type === 'StateRetried') transitions++;
      },
    });
    return { ...detectionLatencies(run), transitions, historyEvents: run.historyEvents };
  } finally {
    await stack.close();
  }
}
