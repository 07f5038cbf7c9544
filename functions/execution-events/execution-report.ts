import type { ExecutionStore } from '../shared/execution-store';
import { logger } from '../shared/observability';
import { buildReport } from '../shared/report/report-facts';
import { reportHtml } from '../shared/report/report-html';

/** Where reports are kept (the stack's reports bucket on AWS): one object per call, private. */
export interface ReportWriter {
  /** Writes one object; returns where it is, as an S3 URI and a console link (never a public URL). */
  put(key: string, body: string, contentType: string): Promise<{ uri: string; consoleUrl: string }>;
}

/** The links an ended execution's notification carries: both files, or why there are none. */
export type ReportLinks =
  | { html: { uri: string; consoleUrl: string }; json: { uri: string; consoleUrl: string } }
  | { error: string };

/** `reports/<planId>/<executionId>/report.html` and `.json`: one folder per execution, found by plan. */
export const reportKey = (planId: string, executionId: string, ext: 'html' | 'json') =>
  `reports/${encodeURIComponent(planId)}/${encodeURIComponent(executionId)}/report.${ext}`;

/**
 * Writes an ended execution's report (the HTML page and its JSON facts) from the records. A
 * failure to write is logged and named in the notification, never allowed to stop it: the report
 * can be built again from the records at any time (GET /executions/{executionId}/report).
 */
export async function writeExecutionReport(
  deps: { store: ExecutionStore; reports: ReportWriter },
  executionId: string,
  now: Date,
): Promise<ReportLinks> {
  try {
    const loaded = await deps.store.loadExecution(executionId);
    if (!loaded) throw new Error(`execution ${executionId} has no record`);
    const report = buildReport(loaded, now);
    const { planId } = loaded.execution;
    const [html, json] = await Promise.all([
      deps.reports.put(reportKey(planId, executionId, 'html'), reportHtml(report), 'text/html; charset=utf-8'),
      deps.reports.put(
        reportKey(planId, executionId, 'json'),
        `${JSON.stringify(report, null, 2)}\n`,
        'application/json',
      ),
    ]);
    return { html, json };
  } catch (error) {
    logger.error(
      { message: `The report of execution ${executionId} could not be written`, executionId },
      error as Error,
    );
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
