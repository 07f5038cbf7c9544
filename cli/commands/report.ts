import type { Command } from 'commander';
import type { ReportFacts } from '../../functions/shared/report/report-facts';
import { minutesText } from '../../functions/shared/targets';
import { OrchestratorApiClient } from '../aws/api-client';
import { reportThroughApi } from '../aws/report-through-api';
import { connectToStack } from '../aws-deployment';
import { BadInput, EXIT } from '../exit-codes';
import { type AwsTargetOptions, withAwsTargetOptions } from '../options';
import { writeReportFiles } from '../report-files';

interface ReportOptions extends AwsTargetOptions {
  aws?: boolean;
  html?: string;
  json?: boolean;
  apiUrl?: string;
}

/** `drs-orchestrator report <executionId> --aws`: an execution's RTO/RPO report, through the deployed API. */
export function addReportCommand(program: Command): void {
  withAwsTargetOptions(
    program
      .command('report')
      .description(
        "An execution's RTO/RPO report (GET /executions/{executionId}/report, signed with your credentials): the verdict, RTO and RPO against the plan's targets, every wave and server, the failed servers with their DRS reasons, the cleanup. A local drill's report is written by run --report.",
      )
      .argument('<executionId>', 'the execution name (as printed by run, the API or the console)')
      .option(
        '--aws',
        'read the report of an execution of the deployed stack (required: local drills end with their run)',
      )
      .option('--html <file>', 'write the self-contained HTML page there, and the JSON facts beside it (<file>.json)')
      .option('--json', 'print the report facts as one JSON object on stdout')
      .option('--api-url <url>', "the deployed API (instead of the stack's ApiUrl output)"),
  )
    .addHelpText(
      'after',
      "\nExit codes: 0 the report was read (whatever the execution's verdict); 2 no such execution, not allowed, or bad options.",
    )
    .action(async (executionId: string, options: ReportOptions) => {
      process.exitCode = await reportCommand(executionId, options);
    });
}

async function reportCommand(executionId: string, options: ReportOptions): Promise<number> {
  if (!options.aws) {
    throw new BadInput(
      'report reads an execution of the deployed stack: add --aws (a local drill writes its report with run --report <file.html>)',
    );
  }
  const { region, target } = await connectToStack(options, { withApi: true });
  const api = new OrchestratorApiClient({ apiUrl: target.apiUrl as string, region });
  const report = await reportThroughApi(api, executionId);
  if (options.html) {
    const files = writeReportFiles(options.html, report);
    process.stderr.write(`Report written to ${files.html} (facts: ${files.json})\n`);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (!options.html) process.stdout.write(`${reportSummary(report)}\n`);
  return EXIT.completed;
}

/** The report's header in a few lines, for a terminal: the rest is in --html or --json. */
export function reportSummary(report: ReportFacts): string {
  const x = report.execution;
  const lines = [
    `${x.executionType} of ${x.planName} (${x.executionId}): ${x.status}${x.error ? ` (${x.error})` : ''}`,
    `Started ${x.startedAt}${x.startedBy ? ` by ${x.startedBy}` : ''}; ${x.endedAt ? `ended ${x.endedAt}` : 'still running'}`,
    `RTO: ${minutesText(report.rto.actualSeconds)}${report.rto.targetMinutes === null ? ' (no target)' : ` against ${report.rto.targetMinutes} min: ${report.rto.met === false ? 'MISSED' : report.rto.met ? 'met' : 'not decided'}`}`,
    `RPO: oldest data ${minutesText(report.rpo.maxDataAgeSeconds)}${report.rpo.targetMinutes === null ? ' (no target)' : ` against ${report.rpo.targetMinutes} min: ${report.rpo.met === false ? 'MISSED' : report.rpo.met ? 'met' : 'not decided'}`}`,
    ...report.missedTargets.map((m) => `  ! ${m}`),
    ...report.failedServers.map(
      (f) => `  ${f.sourceServerID} in wave '${f.wave}': ${f.launchStatus}${f.reason ? ` - ${f.reason}` : ''}`,
    ),
    `DRS jobs: ${report.jobIds.join(', ') || 'none'}`,
    'The whole report: --html <file> (the page and its JSON), or --json.',
  ];
  return lines.join('\n');
}
