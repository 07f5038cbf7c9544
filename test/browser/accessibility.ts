import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The impacts the console must not have: axe-core's two highest. */
const BLOCKING = new Set(['serious', 'critical']);

/**
 * axe-core on the page as it is now: every serious or critical violation, one line each with the
 * rule, its impact, its help text and the elements it found (their CSS selectors), so that a
 * failing test says what to fix. Minor and moderate ones are not the console's bar (the issue's).
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => BLOCKING.has(violation.impact ?? ''))
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
}
