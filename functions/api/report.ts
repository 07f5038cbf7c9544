import type { APIGatewayProxyEvent } from 'aws-lambda';
import { buildReport } from '../shared/report/report-facts';
import { reportHtml } from '../shared/report/report-html';
import type { ApiDeps, Operation } from './api';
import { json, notFound } from './http';
import { executionIdInPath } from './path-ids';
import { readQuery, reportQuery } from './request';

/**
 * `GET /executions/{executionId}/report`: the execution's RTO/RPO report, built from its records
 * now (a live execution gets the report so far). JSON by default; `?format=html` is the
 * self-contained page, the same one the workflow's end writes to the reports bucket.
 */
export function reportOperations(deps: Pick<ApiDeps, 'executions' | 'clock'>): Record<string, Operation> {
  return {
    async getExecutionReport(event: APIGatewayProxyEvent) {
      const executionId = executionIdInPath(event);
      const { format } = readQuery(event, reportQuery);
      const loaded = await deps.executions.loadExecution(executionId);
      if (!loaded) throw notFound(`no execution with executionId '${executionId}'`);
      const report = buildReport(loaded, deps.clock.now());
      if (format !== 'html') return json(200, report);
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          // The page has no script and loads nothing: say so to the browser too.
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
          'x-content-type-options': 'nosniff',
        },
        body: reportHtml(report),
      };
    },
  };
}
