import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { BENCH_PLANS, type BenchPlan } from './plans';

/**
 * `npm run bench`: runs each plan on the local stack in its own process (bench/measure.ts), and
 * beside each the same figures for a model of the loop used today (Wait 30 s → poll Lambda →
 * update Lambda → Choice, one iteration per wave per poll, the plan's per-server detail in the
 * state). Prints a table and writes the figures as JSON. Figures only: nothing here passes or fails.
 *
 * A run a user makes must not dirty their checkout, so the JSON goes to `.bench/results.json`
 * (ignored by git) by default; `npm run bench -- --publish` writes the tracked
 * `bench/results.json`, beside the figures published in docs/performance.md.
 */
interface Figures {
  name: string;
  servers: number;
  waves: number;
  status: string;
  wallSeconds: number;
  peakRssMb: number;
  transitions: number;
  costUsd: number;
  historyEvents: number;
  maxStateBytes: number;
  maxItemBytes: number;
  drsCalls: Record<string, number>;
  wavePolls: number;
  describeJobsPerWavePoll: number;
  lambdaInvocations: number;
  detectionLatencySeconds: number;
  simulatedHours: number;
  waveSeconds: number[];
}

const ROOT = join(__dirname, '..');
const LOCAL_RUN_V8_FLAGS = ['--max-semi-space-size=8', '--max-old-space-size=384'];
const BASELINE_POLL_SECONDS = 30;
/** One server's detail as such a loop carries it in the state (ID, status, instance ID, name). */
const BASELINE_BYTES_PER_SERVER = 120;

function measure(plan: BenchPlan): Figures {
  // The same V8 heap settings the drs-orchestrator command runs local drills with (bin/drs-orchestrator.js).
  const out = execFileSync(
    process.execPath,
    [...LOCAL_RUN_V8_FLAGS, '--import', 'tsx', join(__dirname, 'measure.ts'), plan.name],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(out.trim().split('\n').pop() as string) as Figures;
}

/** The loop used today, for the same waves: it sees a launch at its next 30-second tick. */
function baseline(plan: BenchPlan) {
  const polls = Array.from({ length: plan.waves }, () => Math.ceil(plan.launchSeconds / BASELINE_POLL_SECONDS));
  const totalPolls = polls.reduce((a, b) => a + b, 0);
  // Per poll: Wait, poll Lambda, update Lambda, Choice. Per wave: a start task; per execution: start and end.
  const transitions = totalPolls * 4 + plan.waves * 2 + 4;
  const historyEvents = totalPolls * (2 + 5 + 5 + 2) + plan.waves * 9 + 17;
  return {
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

const TARGETS: Record<string, [string, (f: Figures) => boolean][]> = {
  'estate-3000': [
    ['largest state <= 64 KiB', (f) => f.maxStateBytes <= 65_536],
    ['history events <= 12,500', (f) => f.historyEvents <= 12_500],
    ['every DynamoDB item <= 100 KB', (f) => f.maxItemBytes <= 100_000],
    ['local run <= 10 s wall', (f) => f.wallSeconds <= 10],
    ['local run <= 300 MB RSS', (f) => f.peakRssMb <= 300],
  ],
  'typical-drill': [
    ['<= 400 state transitions', (f) => f.transitions <= 400],
    ['exactly 1 DescribeJobs per wave-poll', (f) => f.describeJobsPerWavePoll === 1],
    ['no job log reads when nothing failed', (f) => (f.drsCalls.DescribeJobLogItems ?? 0) === 0],
  ],
};

function main() {
  const startedAt = Date.now();
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
    const figures = measure(plan);
    const latency: [string, (f: Figures) => boolean] = [
      `detection latency <= one poll interval (${plan.pollIntervalSeconds} s)`,
      (f) => f.detectionLatencySeconds <= plan.pollIntervalSeconds,
    ];
    const targets = [...(TARGETS[plan.name] ?? []), latency].map(([target, met]) => ({ target, met: met(figures) }));
    const { waveSeconds: _w, ...kept } = figures;
    return { ...kept, targets, baseline: baseline(plan) };
  });

  const rows: string[][] = [['figure', ...results.flatMap((r) => [r.name, `${r.name} (today's loop)`])]];
  const row = (
    label: string,
    ours: (r: (typeof results)[number]) => unknown,
    theirs: (r: (typeof results)[number]) => unknown,
  ) => rows.push([label, ...results.flatMap((r) => [String(ours(r) ?? '-'), String(theirs(r) ?? '-')])]);
  row(
    'servers × waves',
    (r) => `${r.servers} × ${r.waves}`,
    (r) => `${r.servers} × ${r.waves}`,
  );
  row(
    'simulated hours',
    (r) => r.simulatedHours,
    () => '',
  );
  row(
    'wall seconds (local run)',
    (r) => r.wallSeconds,
    () => '',
  );
  row(
    'peak RSS MB (local run)',
    (r) => r.peakRssMb,
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
    'Lambda invocations',
    (r) => r.lambdaInvocations,
    (r) => r.baseline.lambdaInvocations,
  );
  row(
    'detection latency s (max)',
    (r) => r.detectionLatencySeconds,
    (r) => r.baseline.detectionLatencySeconds,
  );
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  const table = rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');

  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  process.stdout.write(`\n${table}\n\n`);
  for (const r of results) {
    for (const t of r.targets) process.stdout.write(`${t.met ? 'met    ' : 'MISSED '} ${r.name}: ${t.target}\n`);
    if (r.baseline.note) process.stdout.write(`        ${r.name} (today's loop): ${r.baseline.note}\n`);
  }
  process.stdout.write(
    `\nmachine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GiB, Node ${machine.node}\n`,
  );
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ machine, generatedAt: new Date().toISOString(), plans: results }, null, 2)}\n`,
  );
  const took = ((Date.now() - startedAt) / 1000).toFixed(0);
  process.stdout.write(`wrote ${relative(ROOT, out)} (the benchmark took ${took} s)\n`);
}

/** `.bench/results.json` (git-ignored) unless `--publish` asks for the tracked `bench/results.json`. */
export function resultsPath(args: readonly string[]): string {
  const unknown = args.filter((arg) => arg !== '--publish');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')}: the only option is --publish`);
  return args.includes('--publish') ? join(ROOT, 'bench', 'results.json') : join(ROOT, '.bench', 'results.json');
}

if (require.main === module) main();
