import type { Browser, Page } from 'playwright-core';
import type { ReportFacts } from '../../functions/shared/report/report-facts';
import { reportHtml } from '../../functions/shared/report/report-html';
import { failedDrillReport, launchChromium } from '../support/report-browser';

/**
 * The report as a person sees it: a real local drill in which one application server fails,
 * its page opened in Debian's chromium with the network cut off.
 */
describe('the HTML report in a real browser', () => {
  let browser: Browser;
  let page: Page;
  let report: ReportFacts;
  const requests: string[] = [];

  beforeAll(async () => {
    report = await failedDrillReport();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.route('**/*', async (route) => {
      requests.push(route.request().url());
      await route.abort();
    });
    await page.setContent(reportHtml(report), { waitUntil: 'load' });
  });
  afterAll(async () => browser?.close());

  it('draws the timeline with a bar for each wave that started', async () => {
    const timeline = page.locator('svg.timeline');

    expect(await timeline.isVisible()).toBe(true);
    const box = await timeline.boundingBox();
    expect(box?.width).toBeGreaterThan(500);
    const bars = timeline.locator('rect.wave-bar');
    expect(await bars.count()).toBe(report.waves.filter((w) => w.startedAt).length);
    for (const bar of await bars.all()) expect((await bar.boundingBox())?.width).toBeGreaterThan(2);
    expect(await timeline.locator('circle.launch-mark').count()).toBe(
      report.waves.flatMap((w) => w.servers).filter((s) => s.launchedAt).length,
    );
  });

  it('names every wave, in the timeline and in the wave sections', async () => {
    const labels = await page.locator('svg.timeline text.wave-label').allTextContents();
    const headings = await page.locator('article.wave h3').allTextContents();

    expect(report.waves.map((w) => w.name)).toEqual(['Databases', 'Application servers', 'Web front end']);
    report.waves.forEach((wave, i) => {
      expect(labels[i]).toContain(wave.name);
      expect(headings[i]).toContain(wave.name);
    });
  });

  it('shows the verdict, and every failed server with its DRS reason', async () => {
    expect(await page.locator('#verdict').textContent()).toBe('FAILED (WaveFailed)');
    const failed = page.locator('#failed-servers');
    expect(await failed.isVisible()).toBe(true);
    expect(report.failedServers.length).toBeGreaterThan(0);
    for (const server of report.failedServers) {
      const text = (await failed.textContent()) ?? '';
      expect(text).toContain(server.sourceServerID);
      expect(text).toContain('InsufficientInstanceCapacity');
    }
    expect(await page.locator('svg.timeline .failed-mark').count()).toBe(report.failedServers.length);
  });

  it('says who started the execution: the startedBy of its input, recorded by its first task', async () => {
    expect(await page.locator('table.facts').textContent()).toContain('Started bydr-lead@example.com (local drill)');
  });

  it('shows the missed targets, and asks for nothing over the network', async () => {
    expect(await page.locator('#missed-targets').textContent()).toContain('RTO target missed');
    expect(requests).toEqual([]);
  });
});
