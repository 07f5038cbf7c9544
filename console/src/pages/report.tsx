import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useEffect, useState } from 'react';
import type { ReportFacts } from '../../../functions/shared/report/report-facts';
import { useConsole } from '../context';
import { Status, seconds, Target, time } from '../status';

const minutes = (value: number | null | undefined) => (value === null || value === undefined ? null : `${value} min`);

/**
 * An execution's report: the API's JSON facts (RTO/RPO against their targets, every missed target
 * as a warning, failed servers, the waves' timeline) rendered with Cloudscape, and the
 * self-contained HTML report (`?format=html`, with its timeline chart) in a frame and to open.
 */
export function ReportPage({ executionId }: { executionId: string }) {
  const { api } = useConsole();
  const [report, setReport] = useState<ReportFacts>();
  const [html, setHtml] = useState<string>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    api.report(executionId).then(setReport, (e: Error) => setError(e.message));
    api.reportHtml(executionId).then(setHtml, (e: Error) => setError(e.message));
  }, [api, executionId]);
  const htmlUrl = html ? URL.createObjectURL(new Blob([html], { type: 'text/html' })) : undefined;
  useEffect(() => () => (htmlUrl ? URL.revokeObjectURL(htmlUrl) : undefined), [htmlUrl]);

  if (error)
    return (
      <Alert type="error" header={`Report of ${executionId}`}>
        {error}
      </Alert>
    );
  if (!report) return <Box>Loading…</Box>;
  const { execution, rto, rpo } = report;
  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description={`${execution.executionType} of ${execution.planName}, report generated ${time(report.generatedAt)}`}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button href={`#/executions/${encodeURIComponent(executionId)}`}>Execution</Button>
            {htmlUrl && (
              <Button href={htmlUrl} target="_blank" iconName="external" iconAlign="right">
                HTML report
              </Button>
            )}
          </SpaceBetween>
        }
      >
        Report: {executionId}
      </Header>
      {report.missedTargets.map((missed) => (
        <Alert key={missed} type="warning" header="Target missed">
          {missed}
        </Alert>
      ))}
      {report.warnings.map((warning) => (
        <Alert key={warning} type="warning">
          {warning}
        </Alert>
      ))}
      <Container header={<Header variant="h2">Summary</Header>}>
        <KeyValuePairs
          columns={4}
          items={[
            { label: 'Status', value: <Status status={execution.status} /> },
            { label: 'Started by', value: execution.startedBy ?? '-' },
            { label: 'Started', value: time(execution.startedAt) },
            { label: 'Ended', value: time(execution.endedAt ?? undefined) },
            { label: 'Recovery time (RTO)', value: seconds(rto.actualSeconds) },
            { label: 'RTO target', value: <Target met={rto.met} target={minutes(rto.targetMinutes)} /> },
            {
              label: 'Oldest data launched (RPO)',
              value: `${seconds(rpo.maxDataAgeSeconds)}${rpo.oldestServer ? ` (${rpo.oldestServer})` : ''}`,
            },
            { label: 'RPO target', value: <Target met={rpo.met} target={minutes(rpo.targetMinutes)} /> },
            ...(execution.error ? [{ label: 'Failure', value: `${execution.error}: ${execution.cause ?? ''}` }] : []),
            ...(report.cleanup ? [{ label: 'Drill cleanup', value: <Status status={report.cleanup.status} /> }] : []),
          ]}
        />
      </Container>
      <Table
        header={<Header variant="h2">Timeline</Header>}
        items={report.waves}
        trackBy="index"
        columnDefinitions={[
          { id: 'wave', header: 'Wave', isRowHeader: true, cell: (w) => `${w.index + 1}. ${w.name}` },
          { id: 'status', header: 'Status', cell: (w) => <Status status={w.status} /> },
          { id: 'start', header: 'Started', cell: (w) => time(w.startedAt ?? undefined) },
          { id: 'end', header: 'Ended', cell: (w) => time(w.endedAt ?? undefined) },
          { id: 'took', header: 'Took', cell: (w) => seconds(w.durationSeconds) },
          {
            id: 'target',
            header: 'Wave target',
            cell: (w) => <Target met={w.targetMet} target={minutes(w.targetMinutes)} />,
          },
          {
            id: 'gate',
            header: 'Gate',
            cell: (w) =>
              w.approval ? `${w.approval.decision ?? 'waiting'}${w.approval.by ? ` by ${w.approval.by}` : ''}` : '-',
          },
          {
            id: 'servers',
            header: 'Servers launched',
            cell: (w) => `${w.servers.filter((s) => s.launchStatus === 'LAUNCHED').length} of ${w.servers.length}`,
          },
        ]}
      />
      {report.failedServers.length > 0 && (
        <Table
          header={<Header variant="h2">Failed servers</Header>}
          items={report.failedServers}
          trackBy="sourceServerID"
          columnDefinitions={[
            { id: 'server', header: 'Source server', isRowHeader: true, cell: (f) => f.sourceServerID },
            { id: 'wave', header: 'Wave', cell: (f) => f.wave },
            { id: 'launch', header: 'Launch status', cell: (f) => <Status status={f.launchStatus} /> },
            { id: 'reason', header: 'DRS reason', cell: (f) => f.reason ?? '' },
          ]}
        />
      )}
      {html && (
        <Container header={<Header variant="h2">HTML report</Header>}>
          <iframe
            title={`HTML report of ${executionId}`}
            srcDoc={html}
            sandbox=""
            style={{ width: '100%', height: 600, border: 0 }}
          />
        </Container>
      )}
    </SpaceBetween>
  );
}
