import { missedTargets } from '../shared/targets';
import type { ExecutionResult } from '../shared/types';
import type { ReportLinks } from './execution-report';

/** What subscribers are told when an execution starts, completes or fails. */
export interface Notification {
  subject: string;
  message: string;
  attributes: Record<string, string>;
}

export function consoleUrl(executionArn: string): string {
  const region = executionArn.split(':')[3] ?? 'us-east-1';
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

// SNS subjects: ASCII, no line breaks, at most 100 characters.
const subjectOf = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);

export function startedNotification(args: {
  executionId: string;
  executionArn: string;
  planId: string;
  executionType: string;
  waves: number;
}): Notification {
  return {
    subject: subjectOf(`[drs-orchestrator] ${args.executionType} of ${args.planId} started`),
    message: [
      `${args.executionType} of plan ${args.planId} started: ${args.waves} wave(s).`,
      `Execution: ${args.executionId}`,
      `Watch it: ${consoleUrl(args.executionArn)}`,
    ].join('\n'),
    attributes: { status: 'RUNNING', planId: args.planId, executionType: args.executionType },
  };
}

/** The notification of an ended execution, from the records (the truth), not from the workflow's status. */
export function endedNotification(result: ExecutionResult, executionArn: string, report?: ReportLinks): Notification {
  const lines = [
    `${result.executionType} of plan ${result.planId} ended ${result.status}.`,
    `Execution: ${result.executionId}`,
  ];
  if (result.error) lines.push(`Error: ${result.error}`);
  if (result.cause) lines.push(`Cause: ${result.cause}`);
  for (const wave of result.waves) {
    const failed = wave.failedServers.length > 0 ? ` - failed servers: ${wave.failedServers.join(', ')}` : '';
    lines.push(
      `  Wave ${wave.index + 1} ${wave.name}: ${wave.status}${wave.jobId ? ` (DRS job ${wave.jobId})` : ''}${failed}`,
    );
  }
  // A missed target is not a failure, and never hidden: named in every view, this one too.
  if (result.rto) for (const missed of missedTargets(result)) lines.push(`! ${missed}`);
  lines.push(`Details: ${consoleUrl(executionArn)}`);
  if (report && 'error' in report)
    lines.push(
      `Report: not written (${report.error}); GET /executions/{executionId}/report builds it from the records`,
    );
  else if (report) {
    lines.push(`Report: ${report.html.uri} (${report.html.consoleUrl})`, `Report facts (JSON): ${report.json.uri}`);
  }
  return {
    subject: subjectOf(`[drs-orchestrator] ${result.executionType} of ${result.planId} ${result.status}`),
    message: lines.join('\n'),
    attributes: { status: result.status, planId: result.planId, executionType: String(result.executionType) },
  };
}
