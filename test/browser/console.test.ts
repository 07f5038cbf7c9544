/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate callbacks run in the browser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { seriousViolations } from './accessibility';
import { chromiumPath, startConsoleCommand } from './console-server';

const ROOT = join(__dirname, '..', '..');
const PLAN = readFileSync(join(ROOT, 'examples', 'three-tier.plan.json'), 'utf8');
// The README's screenshot is replaced only when asked (UPDATE_CONSOLE_SCREENSHOT=1), so a test run leaves the tree clean.
const SCREENSHOT = process.env.UPDATE_CONSOLE_SCREENSHOT
  ? join(ROOT, 'docs', 'console.png')
  : join(ROOT, '.drill', 'console.png');

/**
 * A cheap accessibility smoke check (no axe-core here): every form control and button on the page
 * has an accessible name, and the document says its language.
 */
async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const unnamed: string[] = [];
    if (!document.documentElement.lang) unnamed.push('html without lang');
    for (const el of document.querySelectorAll<HTMLElement>('input, textarea, select, button, [role="button"]')) {
      if (el.closest('[aria-hidden="true"]') || (el as HTMLInputElement).type === 'hidden') continue;
      const labelled =
        el.getAttribute('aria-label') ||
        el.getAttribute('aria-labelledby') ||
        (el as HTMLInputElement).labels?.length ||
        el.textContent?.trim() ||
        el.getAttribute('title');
      if (!labelled) unnamed.push(el.outerHTML.slice(0, 120));
    }
    return unnamed;
  });
}

/** The text a control's aria-describedby points at: where Cloudscape puts a FormField's error. */
async function describedBy(page: Page, label: string): Promise<string> {
  return page.getByLabel(label, { exact: true }).evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

describe('the web console on the local stack (npm run console, in chromium)', () => {
  let server: Awaited<ReturnType<typeof startConsoleCommand>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startConsoleCommand([
      '--speed',
      '120',
      '--scenarios',
      join(ROOT, 'test', 'fixtures', 'console-scenarios'),
    ]);
    browser = await chromium.launch({ executablePath: chromiumPath() });
    // A context of its own: axe's AxeBuilder opens its frames' analysis through the page's context.
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the plans page, empty at first', async () => {
    await page.goto(`${server.url}#/plans`);
    await page.getByRole('heading', { name: 'Recovery plans' }).waitFor();
    await page.getByText('No plans yet').waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows each problem the API names beside the field it concerns', async () => {
    await page.getByRole('button', { name: 'Create plan' }).click();
    await page.getByLabel('Plan ID', { exact: true }).fill('not a plan id!');
    await page.getByLabel('Source servers').fill('s-123');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByText(/The API refused the plan/)
      .first()
      .waitFor();
    expect(await describedBy(page, 'Plan ID')).toContain('is not a valid plan ID');
    expect(await describedBy(page, 'Source servers')).toContain('is not a DRS source server ID');
    expect(await unnamedControls(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('creates a plan from JSON and lists it with its waves and servers', async () => {
    await page.getByRole('tab', { name: 'JSON' }).click();
    await page.getByLabel('The plan as JSON').fill(PLAN);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'Recovery plans' }).waitFor();
    const row = page.getByRole('row', { name: /Three-tier web app/ });
    await row.waitFor();
    expect(await row.getByRole('cell').allInnerTexts()).toEqual(
      expect.arrayContaining(['three-tier', '3', '7', 'Never run']),
    );
  });

  it('checks the plan: every problem by wave and server for a DRILL in an outage, ready with warnings for a RECOVERY', async () => {
    await page.goto(`${server.url}#/plans/three-tier/edit`);
    await page.getByRole('heading', { name: 'Edit plan three-tier' }).waitFor();
    await page.getByRole('button', { name: /Simulator scenario to check against/ }).click();
    await page.getByRole('option', { name: 'three-tier.outage' }).click();
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByRole('heading', { name: /Cannot run a DRILL: PlanNotReady/ }).waitFor();
    const problems = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Problem' }) });
    // Six servers of the outage do not replicate CONTINUOUS (s-0app0000000000003 does): one row each, by wave and server.
    await expect(problems.getByRole('row').count()).resolves.toBe(7);
    expect(await problems.getByRole('row', { name: /s-0app0000000000001/ }).textContent()).toMatch(
      /2\. Application servers[\s\S]*s-0app0000000000001[\s\S]*replication is DISCONNECTED, not CONTINUOUS/,
    );
    expect(await problems.getByRole('row', { name: /s-0app0000000000003/ }).count()).toBe(0);
    expect(await unnamedControls(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Recovery', exact: true }).click();
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByText('Ready for a RECOVERY').waitFor();
    await page.getByText('Warnings (6)').waitFor();
    await page
      .getByText(/s-0web0000000000001 replication is STALLED, not CONTINUOUS: it is recovered from its latest snapshot/)
      .waitFor();
  });

  it('starts a drill whose second wave fails and follows it to FAILED, the third wave NOT_STARTED', async () => {
    await page.getByRole('link', { name: 'Plans', exact: true }).first().click();
    await page
      .getByRole('row', { name: /Three-tier web app/ })
      .getByRole('radio')
      .check();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('button', { name: /Simulator scenario/ }).click();
    await page.getByRole('option', { name: 'three-tier.app-fails' }).click();
    expect(await unnamedControls(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Start drill' }).click();
    await page.getByText('DRILL of Three-tier web app').waitFor();
    // The page updates by itself: the waves are seen launching before the verdict.
    await page.getByText('LAUNCHING').first().waitFor({ timeout: 30_000 });
    await page.getByText('FAILED: WaveFailed').waitFor({ timeout: 60_000 });

    const wave = (n: number) => page.locator('h2', { hasText: `Wave ${n}/3` });
    expect(await wave(1).textContent()).toContain('COMPLETED');
    expect(await wave(2).textContent()).toContain('FAILED');
    expect(await wave(3).textContent()).toContain('NOT_STARTED');
    const failedServer = page.getByRole('row', { name: /s-0app0000000000002/ });
    expect(await failedServer.textContent()).toMatch(/FAILED[\s\S]*InsufficientInstanceCapacity/);
    expect(await unnamedControls(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
  }, 120_000);

  it('lists the execution in the history, filtered by status', async () => {
    await page.getByRole('link', { name: 'Executions', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Execution history' }).waitFor();
    await page.getByRole('button', { name: 'Status Any' }).click();
    await page.getByRole('option', { name: 'FAILED' }).click();
    const row = page.getByRole('row', { name: /three-tier-drill-/ });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/DRILL[\s\S]*FAILED[\s\S]*WaveFailed/);
    expect(await unnamedControls(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('cancels a running drill after confirmation', async () => {
    // Its first wave launches in 50 simulated minutes: still running when Cancel is pressed.
    await page.goto(`${server.url}#/plans/three-tier/start`);
    await page.getByRole('button', { name: /Simulator scenario/ }).click();
    await page.getByRole('option', { name: 'slow-launch' }).click();
    await page.getByRole('button', { name: 'Start drill' }).click();
    await page.getByText('DRILL of Three-tier web app').waitFor();
    await page.getByRole('button', { name: 'Cancel execution' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel execution' }).click();
    await page
      .getByText('CANCELLED: ExecutionCancelled')
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(async (error: Error) => {
        await page.screenshot({ path: join(ROOT, '.drill', 'console-cancel-failure.png') });
        throw error;
      });
  }, 60_000);

  // The `gated` scenario has no approvals entry: nobody decides the gate of wave 2 but the operator, here.
  let gatedExecution = '';

  it('approves a gated wave from the console: the gate waits, showing its message and deadline', async () => {
    await page.goto(`${server.url}#/plans/three-tier/start`);
    await page.getByRole('button', { name: /Simulator scenario/ }).click();
    await page.getByRole('option', { name: 'gated' }).click();
    await page.getByRole('button', { name: 'Start drill' }).click();
    await page.getByText('DRILL of Three-tier web app').waitFor();
    gatedExecution = decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '');

    const gate = page.getByText("Wave 2 'Application servers' is awaiting approval");
    await gate.waitFor({ timeout: 30_000 });
    await page.getByText('Databases are up: confirm before the app tier').waitFor();
    await page.getByText(/the gate times out at/).waitFor();
    // Simulated time runs on (120x) while the gate waits for a person: still waiting a few seconds later.
    await page.waitForTimeout(3000);
    expect(await page.locator('h2', { hasText: 'Wave 2/3' }).textContent()).toContain('AWAITING_APPROVAL');
    expect(await unnamedControls(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByRole('dialog').getByLabel('Comment').fill('databases checked from the console');
    expect(await unnamedControls(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('dialog').getByRole('button', { name: 'Approve wave' }).click();
    await page.getByText(/Gate: APPROVE by .* \("databases checked from the console"\)/).waitFor({ timeout: 10_000 });
    await page.getByText('COMPLETED').first().waitFor();
    await page.locator('h2', { hasText: 'Wave 3/3' }).getByText('COMPLETED').waitFor({ timeout: 60_000 });
    const smoke = page.getByRole('row', { name: /Smoke test/ });
    expect(await smoke.textContent()).toMatch(/post[\s\S]*SUCCEEDED[\s\S]*answered 200/i);
    await page.getByText('Recovery objectives').waitFor();
  }, 120_000);

  it("opens the execution's report: RTO/RPO against the targets and the waves' timeline", async () => {
    await page.getByRole('link', { name: 'Report', exact: true }).click();
    await page.getByRole('heading', { name: `Report: ${gatedExecution}` }).waitFor();
    const timeline = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Wave target' }) });
    const rows = timeline.getByRole('row');
    await rows.nth(3).waitFor();
    expect(await rows.nth(1).textContent()).toMatch(/1\. Databases[\s\S]*COMPLETED/);
    expect(await rows.nth(2).textContent()).toMatch(/2\. Application servers[\s\S]*APPROVE/);
    expect(await rows.nth(3).textContent()).toMatch(/3\. Web front end[\s\S]*COMPLETED/);
    await page.getByText('RTO target', { exact: true }).waitFor();
    // The HTML report (?format=html) is framed beside the facts, its timeline chart in it.
    const frame = page.frameLocator(`iframe[title="HTML report of ${gatedExecution}"]`);
    await frame.locator('svg.timeline').waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('cleans up the ended drill after confirmation, showing the cleanup status and the API message', async () => {
    await page.getByRole('link', { name: 'Execution', exact: true }).click();
    await page.getByRole('heading', { name: 'Drill cleanup' }).waitFor();
    await page.getByRole('button', { name: 'Clean up', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Terminate drill instances' }).click();
    await page.getByText(`cleanup of ${gatedExecution} started`).waitFor();
    await page.getByText('DONE', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await page.getByText(/^i-[0-9a-f]+/).count()).toBeGreaterThan(0);
    // A second cleanup has nothing to do: the API says so, and nothing is terminated twice.
    await page.getByRole('button', { name: 'Clean up', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Terminate drill instances' }).click();
    await page.getByText(/the cleanup is already DONE .*: nothing to do/).waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);
});
