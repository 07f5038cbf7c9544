/// <reference lib="dom" />
import { type Browser, chromium, type Page } from 'playwright-core';
import { BRANCHING_ESTATE as BRANCHING, tierServer as id } from '../support/graph-plan';
import { chromiumPath, startConsoleCommand } from './console-server';

const CHAIN = {
  planId: 'chain',
  name: 'Chain',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: [id('db', 2)], timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: [id('app', 2)], timeoutMinutes: 60 },
  ],
};

describe("the console's execution page with waves that depend on each other (npm run console, in chromium)", () => {
  let server: Awaited<ReturnType<typeof startConsoleCommand>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startConsoleCommand(['--speed', '120']);
    browser = await chromium.launch({ executablePath: chromiumPath() });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function startDrill(plan: { planId: string; name: string }) {
    await page.goto(`${server.url}#/plans`);
    await page.getByRole('button', { name: 'Create plan' }).click();
    await page.getByRole('tab', { name: 'JSON' }).click();
    await page.getByLabel('The plan as JSON').fill(JSON.stringify(plan));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('row', { name: new RegExp(plan.name) }).waitFor();
    await page.goto(`${server.url}#/plans/${plan.planId}/start`);
    await page.getByRole('button', { name: 'Start drill' }).click();
    await page.getByText(`DRILL of ${plan.name}`).waitFor();
  }

  it('draws a branching plan as a graph by level, each wave with its status, above the wave sections', async () => {
    await startDrill(BRANCHING);

    await page.getByRole('heading', { name: 'Wave dependencies' }).waitFor();
    const nodes = page.getByRole('list', { name: 'Waves by dependency' }).getByRole('listitem');
    await nodes.nth(3).waitFor();
    const drawn = await nodes.evaluateAll((items) =>
      items.map((item) => ({
        level: item.getAttribute('data-wave-level'),
        left: Math.round(item.getBoundingClientRect().left),
        text: item.textContent,
      })),
    );
    expect(drawn.map((node) => node.level)).toEqual(['0', '1', '1', '2']);
    expect(drawn.map((node) => node.text)).toEqual([
      expect.stringMatching(/^1\. Databases.*No dependencies$/),
      expect.stringMatching(/^2\. App.*After Databases$/),
      expect.stringMatching(/^3\. Reporting.*After Databases$/),
      expect.stringMatching(/^4\. Web.*After App$/),
    ]);
    // App and Reporting side by side in one column, right of Databases; Web right of them.
    const [databases, app, reporting, web] = drawn.map((node) => node.left);
    expect(app).toBe(reporting);
    expect(app).toBeGreaterThan(databases ?? Number.POSITIVE_INFINITY);
    expect(web).toBeGreaterThan(app ?? Number.POSITIVE_INFINITY);

    // Each node follows its wave's status as the page updates; the wave sections stay below.
    await nodes.nth(3).getByText('COMPLETED').waitFor({ timeout: 60_000 });
    for (let n = 0; n < 4; n++) expect(await nodes.nth(n).textContent()).toContain('COMPLETED');
    await page.locator('h2', { hasText: 'Wave 4/4' }).getByText('COMPLETED').waitFor();
  }, 120_000);

  it('shows no graph for waves that run one after another', async () => {
    await startDrill(CHAIN);

    await page.locator('h2', { hasText: 'Wave 2/2' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Wave dependencies' }).count()).toBe(0);
  }, 60_000);
});
