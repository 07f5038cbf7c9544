import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import type { ReportFacts } from '../functions/shared/report/report-facts';
import { reportHtml } from '../functions/shared/report/report-html';
import { BadInput } from './exit-codes';

/**
 * Writes the report where a person asked for it: the HTML page at `htmlPath` and the same facts as
 * JSON beside it (`report.html` → `report.json`), so the evidence an auditor files and the page a
 * person reads never drift apart. Returns both paths.
 */
export function writeReportFiles(htmlPath: string, report: ReportFacts): { html: string; json: string } {
  const ext = extname(htmlPath);
  const json = `${ext === '.html' || ext === '.htm' ? htmlPath.slice(0, -ext.length) : htmlPath}.json`;
  try {
    mkdirSync(dirname(htmlPath), { recursive: true });
    writeFileSync(htmlPath, reportHtml(report));
    writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    throw new BadInput(`cannot write the report to ${htmlPath}: ${(error as Error).message}`, { cause: error });
  }
  return { html: htmlPath, json };
}
