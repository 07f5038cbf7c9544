import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { DetectionLatencyFigures } from './detection-latency';
import { BENCH_PLANS, type BenchPlan } from './plans';
import { formatTable } from './table';
import {
  type Figures,
  latencyTargets,
  planTargets,
  TYPICAL_DRILL_BEFORE_EVENTS,
  TYPICAL_DRILL_SEQUENTIAL_WORKFLOW,
} from './targets';

/**
 * `npm run bench`: runs each plan on the local stack in its own process (bench/measure.ts), one
 * after another (estate-dag in parallel and the same estate one wave at a time side by side), and
 * beside each the same figures for a model of the polling loop people build today (Wait 30 s →
 * poll Lambda → update Lambda → Choice, one iteration per wave per poll, the plan's per-server
 * detail in the state); then the typical drill's detection latencies with launch events and without, success
 * and failure. Prints a table and writes the figures as JSON. Figures only: nothing here passes or
 * fails (bench/targets.ts says met or missed).
 *
 * A run a user makes must not dirty their checkout, so the JSON goes to `.bench/results.json`
 * (ignored by git) by default; `npm run bench -- --publish` writes the tracked
 * `bench/results.json`, beside the figures published in docs/performance.md.
 */
const ROOT = join(__dirname, '..');
const LOCAL_RUN_V8_FLAGS = ['--max-semi-space-size=8', '--max-old-space-size=384'];
const BASELINE_POLL_SECONDS = 30;
/** One server's detail as such a loop carries it in the state (ID, status, instance ID, name). */
const BASELINE_BYTES_PER_SERVER = 120;

/** The plan whose detection latencies are measured, with and without launch events. */
const LATENCY_PLAN = 'typical-drill';

function measure<T>(...args: string[]): T {
  // The same V8 heap settings the drs-orchestrator command runs local drills with (bin/drs-orchestrator.js).
  const out = execFileSync(
    process.execPath,
    [...LOCAL_RUN_V8_FLAGS, '--import', 'tsx', join(__dirname, 'measure.ts'), ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(out.trim().split('\n').pop() as string) as T;
}

/** The polling-loop model, for the same waves one at a time: it sees a launch at its next 30-second tick. */
function baseline(plan: BenchPlan) {
  const polls = Array.from({ length: plan.waves }, () => Math.ceil(plan.launchSeconds / BASELINE_POLL_SECONDS));
  const totalPolls = polls.reduce((a, b) => a + b, 0);
  // Per poll: Wait, poll Lambda, update Lambda, Choice. Per wave: a start task; per execution: start and end.
  const transitions = totalPolls * 4 + plan.waves * 2 + 4;
  // One wave at a time, each seen at its next tick after its launch.
  const rtoSeconds = plan.waves * Math.ceil(plan.launchSeconds / BASELINE_POLL_SECONDS) * BASELINE_POLL_SECONDS;
  const historyEvents = totalPolls * (2 + 5 + 5 + 2) + plan.waves * 9 + 17;
  return {
    rtoSeconds,
    transitions,
    costUsd: Number(((transitions * 0.025) / 1000).toFixed(4)),
    historyEvents,
    maxStateBytes: plan.waves * plan.serversPerWave * BASELINE_BYTES_PER_SERVER,
    maxItemBytes: plan.waves * plan.serversPerWave * BASELINE_BYTES_PER_SERVER,
    drsCalls: { StartRecovery: plan.waves, DescribeJobs: totalPolls },
    describeJobsPerWavePoll: 1,
    lambdaInvocations: totalPolls * 2 + plan.waves,
    detectionLatencySeconds:
      Math.ceil(plan.launchSeconds / BASELINE_POLL_SECONDS) * BASELINE_POLL_SECONDS - plan.launchSeconds,
    note: historyEvents > 25_000 ? 'over 25,000 history events: Step Functions would fail the execution' : undefined,
  };
}

function main() {
  const startedAt = Date.now();
  // Wall times grow with whatever else runs: the load when the run began is published with them.
  const loadAtStart = Number((loadavg()[0] ?? 0).toFixed(1));
  let out: string;
  try {
    out = resultsPath(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`npm run bench: ${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const results = BENCH_PLANS.map((plan) => {
    process.stderr.write(
      `running ${plan.name} (${plan.waves} × ${plan.serversPerWave} servers, ${plan.launchSeconds} s launches)...\n`,
    );
    // The machine is shared: the load each plan began under is published beside its wall time.
    const loadAverage = Number((loadavg()[0] ?? 0).toFixed(1));
    const figures = measure<Figures>(plan.name);
    const { waveSeconds: _w, ...kept } = figures;
    return {
      ...kept,
      loadAverage,
      targets: planTargets(figures, plan.pollIntervalSeconds),
      baseline: baseline(plan),
    };
  });
  process.stderr.write(
    `running ${LATENCY_PLAN} four times for detection latency (success, failure; with events, every event dropped)...\n`,
  );
  const latency = measure<DetectionLatencyFigures & { name: string; failServer: string }>('--latency', LATENCY_PLAN);
  const typical = results.find((r) => r.name === LATENCY_PLAN);
  const detection = {
    ...latency,
    transitionsBeforeEvents: TYPICAL_DRILL_BEFORE_EVENTS,
    targets: latencyTargets(LATENCY_PLAN, latency, typical?.transitions),
  };

  // Each plan's measured column, and beside it the polling-loop model's for the same waves (none
  // beside estate-dag-sequential: its model is estate-dag's, the same servers and launches).
  const columns = results.flatMap((r) => [
    { header: r.name, plan: r, model: false },
    ...(r.maxConcurrentWaves === null ? [{ header: `${r.name} (polling-loop model)`, plan: r, model: true }] : []),
  ]);
  type Result = (typeof results)[number];
  const rows: string[][] = [['figure', ...columns.map((c) => c.header)]];
  const row = (label: string, ours: (r: Result) => unknown, theirs: (r: Result) => unknown) =>
    rows.push([label, ...columns.map((c) => String((c.model ? theirs(c.plan) : ours(c.plan)) ?? '-'))]);
  row(
    'servers × waves',
    (r) => `${r.servers} × ${r.waves}`,
    (r) => `${r.servers} × ${r.waves}`,
  );
  row(
    'workflow',
    (r) => r.workflow,
    () => 'model',
  );
  row(
    'peak waves / servers launching',
    (r) => `${r.peakConcurrentWaves} / ${r.peakServersInJobs}`,
    () => '',
  );
  row(
    'simulated hours',
    (r) => r.simulatedHours,
    () => '',
  );
  row(
    'rtoSeconds (simulated makespan)',
    (r) => r.rtoSeconds,
    (r) => r.baseline.rtoSeconds,
  );
  row(
    'lowerBoundSeconds',
    (r) => r.lowerBoundSeconds,
    (r) => r.lowerBoundSeconds,
  );
  row(
    'rtoOverLowerBound',
    (r) => r.rtoOverLowerBound,
    (r) => (r.baseline.rtoSeconds / r.lowerBoundSeconds).toFixed(3),
  );
  row(
    'wall seconds (local run)',
    (r) => r.wallSeconds,
    () => '',
  );
  row(
    'CPU seconds (local run)',
    (r) => r.cpuSeconds,
    () => '',
  );
  row(
    'peak RSS MB (local run)',
    (r) => r.peakRssMb,
    () => '',
  );
  row(
    'load average (1 min) at its start',
    (r) => r.loadAverage,
    () => '',
  );
  row(
    'state transitions',
    (r) => r.transitions,
    (r) => r.baseline.transitions,
  );
  row(
    'cost USD ($0.025/1,000)',
    (r) => r.costUsd,
    (r) => r.baseline.costUsd,
  );
  row(
    'history events (limit 25,000)',
    (r) => r.historyEvents,
    (r) => r.baseline.historyEvents,
  );
  row(
    'largest state bytes (limit 262,144)',
    (r) => r.maxStateBytes,
    (r) => r.baseline.maxStateBytes,
  );
  row(
    'largest DynamoDB item bytes',
    (r) => r.maxItemBytes,
    (r) => r.baseline.maxItemBytes,
  );
  row(
    'DescribeJobs calls',
    (r) => r.drsCalls.DescribeJobs,
    (r) => r.baseline.drsCalls.DescribeJobs,
  );
  row(
    'DescribeJobs per wave-poll',
    (r) => r.describeJobsPerWavePoll,
    (r) => r.baseline.describeJobsPerWavePoll,
  );
  row(
    "DescribeJobs listings (preflight, DRS's other jobs)",
    (r) => r.describeJobsListings,
    () => undefined,
  );
  row(
    'Lambda invocations',
    (r) => r.lambdaInvocations,
    (r) => r.baseline.lambdaInvocations,
  );
  row(
    'detection latency s (max, events)',
    (r) => r.detectionLatencySeconds,
    (r) => r.baseline.detectionLatencySeconds,
  );
  const table = formatTable(rows);
  const figure = (value: number | undefined) => (value === undefined ? '-' : String(value));
  const latencyTable = formatTable([
    [`${LATENCY_PLAN} (${latency.failServer} fails in the failure runs)`, 'with events', 'every event dropped'],
    [
      'detectionLatencySeconds (worst success)',
      figure(latency.withEvents.detectionLatencySeconds),
      figure(latency.withoutEvents.detectionLatencySeconds),
    ],
    [
      'failureDetectionLatencySeconds (worst failure)',
      figure(latency.withEvents.failureDetectionLatencySeconds),
      figure(latency.withoutEvents.failureDetectionLatencySeconds),
    ],
    [
      'state transitions (success run)',
      String(latency.withEvents.transitions),
      String(latency.withoutEvents.transitions),
    ],
    [
      'history events (success run)',
      String(latency.withEvents.historyEvents),
      String(latency.withoutEvents.historyEvents),
    ],
  ]);

  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: loadAtStart,
  };
  process.stdout.write(`\n${table}\n\n${latencyTable}\n\n`);
  for (const r of results) {
    for (const t of r.targets) process.stdout.write(`${t.met ? 'met    ' : 'MISSED '} ${r.name}: ${t.target}\n`);
    if (r.baseline.note) process.stdout.write(`        ${r.name} (polling-loop model): ${r.baseline.note}\n`);
  }
  for (const t of detection.targets) process.stdout.write(`${t.met ? 'met    ' : 'MISSED '} ${t.target}\n`);
  process.stdout.write(`\n${notes(results, latency.fallbackPollSeconds, typical?.transitions).join('\n')}\n`);
  process.stdout.write(
    `\nmachine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GiB, Node ${machine.node}, load average ${loadAtStart} at the start\n`,
  );
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ machine, generatedAt: new Date().toISOString(), plans: results, detectionLatency: detection }, null, 2)}\n`,
  );
  const took = ((Date.now() - startedAt) / 1000).toFixed(0);
  process.stdout.write(`wrote ${relative(ROOT, out)} (the benchmark took ${took} s)\n`);
}

/** What the figures mean where a reader could take them for more than they are. */
function notes(
  results: readonly Omit<Figures, 'waveSeconds'>[],
  fallbackPollSeconds: number,
  typicalTransitions: number | undefined,
): string[] {
  const out: string[] = [];
  const dag = results.find((r) => r.name === 'estate-dag');
  const sequential = results.find((r) => r.name === 'estate-dag-sequential');
  const chain = results.find((r) => r.name === 'estate-3000');
  if (dag) {
    out.push(
      `estate-dag's lower bound ${dag.lowerBoundSeconds} s is the larger of its critical path ${dag.criticalPathSeconds} s and its capacity bound ${dag.capacitySeconds} s (maxConcurrentJobs 20, maxServersInAllJobs 500).`,
      `  In parallel: ${dag.rtoSeconds} s, ${dag.rtoOverLowerBound} × the bound, at most ${dag.peakConcurrentWaves} waves and ${dag.peakServersInJobs} servers launching at once; ${dag.historyEvents} history events, ${dag.transitions} transitions.`,
    );
  }
  if (dag && sequential) {
    out.push(
      `  One wave at a time (the same plan with maxConcurrentWaves 1, same workflow, this run): ${sequential.rtoSeconds} s, ${sequential.rtoOverLowerBound} × the same bound; ${sequential.historyEvents} history events, ${sequential.transitions} transitions.`,
    );
  }
  if (chain) {
    out.push(
      `estate-3000 is one chain of 30 waves: it can only run one at a time (${chain.rtoSeconds} s, ${chain.rtoOverLowerBound} × its bound).`,
    );
  }
  if (typicalTransitions !== undefined) {
    out.push(
      `typical-drill: ${typicalTransitions} state transitions; ${TYPICAL_DRILL_SEQUENTIAL_WORKFLOW.transitions} in ${TYPICAL_DRILL_SEQUENTIAL_WORKFLOW.source}, ${TYPICAL_DRILL_BEFORE_EVENTS.transitions} before launch events (the target).`,
    );
  }
  out.push(
    `With every launch event dropped a wave learns its verdict from the fallback poll, every ${fallbackPollSeconds} s (not the plan's 30 s interval).`,
  );
  return out;
}

/** `.bench/results.json` (git-ignored) unless `--publish` asks for the tracked `bench/results.json`. */
export function resultsPath(args: readonly string[]): string {
  const unknown = args.filter((arg) => arg !== '--publish');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')}: the only option is --publish`);
  return args.includes('--publish') ? join(ROOT, 'bench', 'results.json') : join(ROOT, '.bench', 'results.json');
}

if (require.main === module) main();
