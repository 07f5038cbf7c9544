import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportHtml } from '../../functions/shared/report/report-html';
import { failedDrillReport, launchChromium } from './report-browser';

/**
 * `npm run report:screenshot`: docs/report-example.png, the README's picture of a real report,
 * from a local drill of the example plan with a failed application server, rendered by chromium.
 */
async function main(): Promise<void> {
  const html = reportHtml(await failedDrillReport());
  const dir = join(__dirname, '..', '..', 'docs');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report-example.html'), html);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.setContent(html, { waitUntil: 'load' });
    await page.screenshot({ path: join(dir, 'report-example.png'), fullPage: true });
  } finally {
    await browser.close();
  }
  process.stdout.write('Wrote docs/report-example.png and docs/report-example.html\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
