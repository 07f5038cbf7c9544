import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import type { ExecutionWave } from '../api-client';
import { duration, Status, Target, time } from '../status';
import { GateDecision } from './gate-decision';

/** The DRS console's page of a recovery job. */
export const drsJobUrl = (region: string, jobId: string) =>
  `https://${region}.console.aws.amazon.com/drs/home?region=${region}#/recoveryJobs/${jobId}`;

/** `2 LAUNCHED · 1 IN_PROGRESS`: a wave's servers counted by launch status. */
export function countsOf(wave: ExecutionWave): [string, number][] {
  const counts = new Map<string, number>();
  for (const server of wave.servers ?? []) counts.set(server.launchStatus, (counts.get(server.launchStatus) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * One wave of an execution: its status and server counts, its gate (Approve / Reject while it is
 * AWAITING_APPROVAL, then how it was decided), its actions, its target, and its servers.
 */
export function WaveSection({
  executionId,
  wave,
  region,
  total,
  onChange,
}: {
  executionId: string;
  wave: ExecutionWave;
  region: string;
  total: number;
  onChange: () => void;
}) {
  const counts = countsOf(wave);
  return (
    <Container
      header={
        <Header
          variant="h2"
          description={
            counts.length > 0
              ? counts.map(([status, n]) => `${n} ${status}`).join(' · ')
              : wave.status === 'NOT_STARTED'
                ? 'Not started'
                : 'No server reported yet'
          }
          actions={
            wave.jobId ? (
              <Link external href={drsJobUrl(region, wave.jobId)}>
                DRS job {wave.jobId}
              </Link>
            ) : undefined
          }
        >
          <SpaceBetween direction="horizontal" size="xs">
            <span>
              Wave {wave.index + 1}/{total}: {wave.name}
            </span>
            <Status status={wave.status} />
          </SpaceBetween>
        </Header>
      }
    >
      <SpaceBetween size="s">
        {wave.status === 'AWAITING_APPROVAL' && (
          <GateDecision executionId={executionId} wave={wave} onDecided={onChange} />
        )}
        {wave.approval?.decision && (
          <Box variant="small">
            Gate: <Status status={wave.approval.decision} /> by {wave.approval.by ?? 'unknown'} at{' '}
            {time(wave.approval.at)}
            {wave.approval.comment ? ` ("${wave.approval.comment}")` : ''}
            {wave.approval.closedBecause ? ` (${wave.approval.closedBecause})` : ''}
          </Box>
        )}
        {wave.reason && (
          <Alert type={wave.status === 'COMPLETED' ? 'info' : 'error'} header="Why">
            {wave.reason}
          </Alert>
        )}
        {wave.startedAt && (
          <Box variant="small">
            Started {time(wave.startedAt)}
            {wave.endedAt ? `, took ${duration(wave.startedAt, wave.endedAt)}` : ''}
          </Box>
        )}
        {wave.targetMinutes !== null && wave.targetMinutes !== undefined && (
          <Box variant="small">
            Wave target: <Target met={wave.targetMet} target={`${wave.targetMinutes} min`} />
          </Box>
        )}
        {(wave.actions?.length ?? 0) > 0 && (
          <Table
            variant="embedded"
            header={<Header variant="h3">Wave actions</Header>}
            items={wave.actions ?? []}
            trackBy={(a) => `${a.phase}-${a.name}`}
            columnDefinitions={[
              { id: 'name', header: 'Action', isRowHeader: true, cell: (a) => a.name },
              { id: 'phase', header: 'Phase', cell: (a) => a.phase },
              { id: 'status', header: 'Status', cell: (a) => <Status status={a.status} /> },
              { id: 'message', header: 'Message', cell: (a) => a.message ?? '' },
            ]}
          />
        )}
        <ExpandableSection
          headerText={`Servers (${wave.servers?.length ?? 0})`}
          defaultExpanded={wave.status !== 'COMPLETED'}
        >
          <Table
            variant="embedded"
            items={wave.servers ?? []}
            trackBy="sourceServerID"
            empty={<Box textAlign="center">No servers recorded yet.</Box>}
            columnDefinitions={[
              { id: 'server', header: 'Source server', isRowHeader: true, cell: (s) => s.sourceServerID },
              { id: 'launch', header: 'Launch status', cell: (s) => <Status status={s.launchStatus} /> },
              { id: 'instance', header: 'Recovery instance', cell: (s) => s.recoveryInstanceID ?? '-' },
              {
                id: 'reason',
                header: 'DRS reason',
                cell: (s) =>
                  s.rawError ??
                  (wave.failedServers.includes(s.sourceServerID) ||
                  wave.optionalFailedServers.includes(s.sourceServerID)
                    ? (wave.reason ?? 'failed')
                    : ''),
              },
            ]}
          />
        </ExpandableSection>
      </SpaceBetween>
    </Container>
  );
}
