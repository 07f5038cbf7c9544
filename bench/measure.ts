import { parseScenario } from '../local/drs-simulator';
import { LocalStack } from '../local/local-stack';
import { BENCH_PLANS, planOf, scenarioOf } from './plans';

/**
 * Runs one benchmark plan on the local stack in this process and prints its figures as JSON
 * (bench/run.ts runs each plan in its own process, so wall time and peak RSS are that plan's).
 */
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');

async function main(name: string) {
  const bench = BENCH_PLANS.find((p) => p.name === name);
  if (!bench) throw new Error(`no benchmark plan ${name}`);
  const plan = planOf(bench);
  const started = process.hrtime.bigint();
  const stack = await LocalStack.start({
    scenario: parseScenario(scenarioOf(bench)),
    planServerIDs: plan.waves.flatMap((w) => w.sourceServerIDs),
  });
  let transitions = 0;
  let maxStateBytes = 0;
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

    // The largest item of either table, as JSON (DynamoDB's own size is a little smaller).
    let maxItemBytes = 0;
    for await (const item of stack.items()) maxItemBytes = Math.max(maxItemBytes, bytes(item));

    // Detection latency: from the last server of a wave reaching LAUNCHED to the wave's verdict.
    const latencies = run.result.waves.map((wave) => {
      const job = run.jobs.find((j) => j.jobID === wave.jobId);
      const launchedAt = new Date(job?.creationDateTime ?? 0).getTime() + bench.launchSeconds * 1000;
      return (new Date(wave.endedAt ?? 0).getTime() - launchedAt) / 1000;
    });
    const counts = stack.simulator.counts();
    const wavePolls = run.taskCalls['Check the wave'] ?? 0;
    const figures = {
      name: bench.name,
      servers: bench.waves * bench.serversPerWave,
      waves: bench.waves,
      status: run.result.status,
      wallSeconds: Number(wallSeconds.toFixed(2)),
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
        wavePolls === 0 ? 0 : Number(((counts.describeJobsCalls - preflightDescribeJobs) / wavePolls).toFixed(2)),
      lambdaInvocations: Object.values(run.taskCalls).reduce((a, b) => a + b, 0),
      detectionLatencySeconds: Math.max(...latencies),
      simulatedHours: Number((run.simulatedSeconds / 3600).toFixed(2)),
      waveSeconds: run.result.waves.map(
        (w) => (new Date(w.endedAt ?? 0).getTime() - new Date(w.startedAt ?? 0).getTime()) / 1000,
      ),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await stack.close();
  }
}

/** The preflight's one DescribeJobs (a single page here) is not a wave poll. */
const preflightDescribeJobs = 1;

main(process.argv[2] ?? '').catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
