import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { readScenario } from '../../cli/input-files';
import { buildReport, type ReportFacts } from '../../functions/shared/report/report-facts';
import { runLocalExecution } from '../../local/run-local-execution';

/**
 * Debian's chromium, driven by playwright-core: never a downloaded browser. Missing, it is an
 * error naming the fix, not a skipped test (`.ci/run` installs it with apt).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no chromium at ${CHROMIUM}: install Debian's (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH; the report's browser test never downloads a browser`,
    );
  }
  // No network: the page must stand on its own.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

const root = join(__dirname, '..', '..');

/** A real local drill of the example plan in which one application server fails to launch, and its report. */
export async function failedDrillReport(): Promise<ReportFacts> {
  const plan = JSON.parse(readFileSync(join(root, 'examples/three-tier.plan.json'), 'utf8')) as unknown;
  const scenario = readScenario(join(root, 'examples/three-tier.app-fails.scenario.json'), plan);
  const run = await runLocalExecution({
    input: { plan, executionType: 'DRILL', startedBy: 'dr-lead@example.com (local drill)' },
    scenario,
  });
  if (!run.records) throw new Error('the local drill left no records');
  return buildReport(run.records, new Date(run.records.execution.endedAt ?? Date.now()));
}
