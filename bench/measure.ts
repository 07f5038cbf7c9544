import { detectionLatencies } from '../local/detection-latency';
import { parseScenario } from '../local/drs-simulator';
import { LocalStack } from '../local/local-stack';
import { peakConcurrency } from './concurrency';
import { measureDetectionLatency } from './detection-latency';
import { planLowerBound } from './lower-bound';
import { BENCH_PLANS, type BenchPlan, planOf, scenarioOf } from './plans';

/**
 * Runs one benchmark plan on the local stack in this process and prints its figures as JSON
 * (bench/run.ts runs each plan in its own process, so wall time and peak RSS are that plan's).
 * `--latency <plan>` instead runs the plan four times for the detection latencies (success and
 * failure, with every launch event delivered and with every one dropped).
 */
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');

const benchPlan = (name: string): BenchPlan => {
  const bench = BENCH_PLANS.find((p) => p.name === name);
  if (!bench) throw new Error(`no benchmark plan ${name}`);
  return bench;
};

async function main(name: string) {
  const bench = benchPlan(name);
  const plan = planOf(bench);
  const started = process.hrtime.bigint();
  const cpuAtStart = process.cpuUsage();
  const stack = await LocalStack.start({
    scenario: parseScenario(scenarioOf(bench)),
    planServerIDs: plan.waves.flatMap((w) => w.sourceServerIDs),
  });
  let transitions = 0;
  let maxStateBytes = 0;
  // DescribeJobs by job ID is a wave's check; without job IDs it lists the account's jobs (the
  // preflight, and admission and start-wave counting DRS's other running jobs): not a poll.
  let describeJobsListings = 0;
  stack.simulator.onExchange((exchange) => {
    const filters = (exchange.request as { filters?: { jobIDs?: unknown[] } } | undefined)?.filters;
    if (exchange.operation === 'DescribeJobs' && !(filters?.jobIDs && filters.jobIDs.length > 0))
      describeJobsListings++;
  });
  try {
    // Stored and started by ID, as a plan of thousands of servers is: the input stays small.
    await stack.storePlan(plan);
    const input = { planId: plan.planId, executionType: 'DRILL' };
    maxStateBytes = bytes(input);
    const run = await stack.execute({
      input,
      onEngineEvent: (event) => {
        if (event.type === 'StateEntered' || event.type === 'StateRetried') transitions++;
        if (event.state) maxStateBytes = Math.max(maxStateBytes, bytes(event.state.input), bytes(event.state.output));
      },
    });
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuAtStart);

    // The largest item of either table, as JSON (DynamoDB's own size is a little smaller).
    let maxItemBytes = 0;
    for await (const item of stack.items()) maxItemBytes = Math.max(maxItemBytes, bytes(item));

    // Detection latency: from the launch result that decided a wave to the wave's verdict (no wave fails here).
    const latency = detectionLatencies(run);
    // The estate's bound under the DRS quotas (maxConcurrentJobs 20, maxServersInAllJobs 500), not
    // under a plan's own `maxConcurrentWaves`: estate-dag-sequential is divided by estate-dag's bound,
    // so the two columns say how far each schedule is from what the estate allows.
    const { maxConcurrentWaves: _oneAtATime, ...estate } = plan;
    const bound = planLowerBound(estate, bench.launchSeconds);
    const peak = peakConcurrency(
      run.result.waves.map((w) => ({ ...w, servers: plan.waves[w.index]?.sourceServerIDs.length ?? 0 })),
    );
    const counts = stack.simulator.counts();
    const wavePolls = run.taskCalls['Check the wave'] ?? 0;
    const figures = {
      name: bench.name,
      servers: bench.waves * bench.serversPerWave,
      waves: bench.waves,
      status: run.result.status,
      // One workflow: waves in parallel as the dependencies and quotas allow, or one at a time
      // when the plan sets maxConcurrentWaves 1 (the sequential loop the parallel waves replace).
      workflow: bench.maxConcurrentWaves === 1 ? 'sequential' : 'parallel',
      maxConcurrentWaves: bench.maxConcurrentWaves ?? null,
      // How full the run kept the room: most waves and most servers launching at one instant.
      peakConcurrentWaves: peak.peakWaves,
      peakServersInJobs: peak.peakServers,
      wallSeconds: Number(wallSeconds.toFixed(2)),
      // CPU time of the run's process: wall time grows with whatever else shares the machine, this less so.
      cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
      peakRssMb: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
      transitions,
      costUsd: Number(((transitions * 0.025) / 1000).toFixed(4)),
      // Counted by the local runner as Step Functions writes them (local/step-functions-limits.ts).
      historyEvents: run.historyEvents,
      maxStateBytes,
      maxItemBytes,
      drsCalls: {
        StartRecovery: counts.startRecoveryCalls,
        DescribeJobs: counts.describeJobsCalls,
        DescribeJobLogItems: counts.describeJobLogItemsCalls,
        DescribeSourceServers: counts.describeSourceServersCalls,
      },
      wavePolls,
      describeJobsPerWavePoll:
        wavePolls === 0 ? 0 : Number(((counts.describeJobsCalls - describeJobsListings) / wavePolls).toFixed(2)),
      describeJobsListings,
      lambdaInvocations: Object.values(run.taskCalls).reduce((a, b) => a + b, 0),
      detectionLatencySeconds: latency.detectionLatencySeconds ?? null,
      simulatedHours: Number((run.simulatedSeconds / 3600).toFixed(2)),
      rtoSeconds: run.simulatedSeconds,
      lowerBoundSeconds: bound.lowerBoundSeconds,
      criticalPathSeconds: bound.criticalPathSeconds,
      capacitySeconds: bound.capacitySeconds,
      rtoOverLowerBound: Number((run.simulatedSeconds / bound.lowerBoundSeconds).toFixed(3)),
      // Each wave's claim to its verdict: its launch time plus the event's delivery (2 s).
      waveSeconds: run.result.waves.map(
        (w) => (new Date(w.endedAt ?? 0).getTime() - new Date(w.startedAt ?? 0).getTime()) / 1000,
      ),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await stack.close();
  }
}

/**
 * The plan's detection latencies: its first wave's first server fails in the failure runs (so
 * the failing plan stops after one wave), every server launches in the success runs.
 */
async function latencies(name: string) {
  const bench = benchPlan(name);
  const plan = planOf(bench);
  const failServer = plan.waves[0]?.sourceServerIDs[0];
  if (!failServer) throw new Error(`benchmark plan ${name} has no server`);
  const figures = await measureDetectionLatency({ plan, scenario: scenarioOf(bench), failServer });
  process.stdout.write(`${JSON.stringify({ name, failServer, ...figures })}\n`);
}

const [first, second] = process.argv.slice(2);
(first === '--latency' ? latencies(second ?? '') : main(first ?? '')).catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
