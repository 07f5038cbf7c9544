import type { ReportFacts } from '../../functions/shared/report/report-facts';
import { BadInput, CommandFailed } from '../exit-codes';
import { apiPath, errorOf, type OrchestratorApiClient } from './api-client';

/**
 * An execution's report through the API (`GET /executions/{executionId}/report`, signed with the
 * caller's credentials, so the operator policies decide): the facts as JSON. The CLI renders the
 * page itself from them with the same code the API uses, so both are the same page.
 */
export async function reportThroughApi(api: OrchestratorApiClient, executionId: string): Promise<ReportFacts> {
  const answer = await api.send('GET', apiPath('executions', executionId, 'report'));
  if (answer.status === 200) return answer.body as ReportFacts;
  const { message } = errorOf(answer);
  if (answer.status === 404) throw new BadInput(`no execution ${executionId}: ${message}`);
  if (answer.status === 403)
    throw new BadInput(`not allowed to read reports (GET /executions/{executionId}/report): ${message}`);
  throw new CommandFailed(`the API answered ${answer.status} to GET /executions/${executionId}/report: ${message}`);
}
