import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import type { CheckReport } from '../../../functions/api/check-plan';
import type { ExecutionType } from '../../../functions/shared/types';
import type { ApiError } from '../api-client';
import { useConsole } from '../context';

interface ProblemRow {
  key: string;
  wave: string;
  server: string;
  problem: string;
}

/** Every problem once: a server's under its server, then its wave's own, then the plan's (quotas). */
export function problemRows(report: CheckReport): ProblemRow[] {
  const rows: ProblemRow[] = [];
  const placed = new Set<string>();
  for (const wave of report.waves) {
    const label = `${wave.waveIndex + 1}. ${wave.name}`;
    for (const server of wave.servers)
      for (const problem of server.problems) {
        rows.push({ key: `${rows.length}`, wave: label, server: server.sourceServerID, problem });
        placed.add(problem);
      }
    for (const problem of wave.problems.filter((p) => !placed.has(p))) {
      rows.push({ key: `${rows.length}`, wave: label, server: '-', problem });
      placed.add(problem);
    }
  }
  for (const problem of report.problems.filter((p) => !placed.has(p)))
    rows.push({ key: `${rows.length}`, wave: 'The plan', server: '-', problem });
  return rows;
}

/**
 * Check: the API's preflight on the stored plan (every server, replication, running job, server
 * lock and quota), for a DRILL or a RECOVERY; every problem listed by wave and server. Launches nothing.
 */
export function PlanCheck({ planId }: { planId: string }) {
  const { api, config } = useConsole();
  const [type, setType] = useState<ExecutionType>('DRILL');
  const [scenario, setScenario] = useState('default');
  const [checking, setChecking] = useState(false);
  const [report, setReport] = useState<CheckReport>();
  const [failure, setFailure] = useState<ApiError | Error>();

  const check = async () => {
    setChecking(true);
    setFailure(undefined);
    try {
      setReport(await api.check(planId, type, config.mode === 'local' ? scenario : undefined));
    } catch (error) {
      setReport(undefined);
      setFailure(error as Error);
    } finally {
      setChecking(false);
    }
  };

  const rows = report ? problemRows(report) : [];
  return (
    <Container
      header={
        <Header
          variant="h2"
          description="Runs the preflight on the plan as saved, against DRS: launches nothing."
          actions={
            <Button loading={checking} onClick={() => void check()}>
              Check
            </Button>
          }
        >
          Check
        </Header>
      }
    >
      <SpaceBetween size="m">
        <ColumnLayout columns={2}>
          <FormField label="Check for">
            <SegmentedControl
              label="Check for"
              selectedId={type}
              onChange={({ detail }) => setType(detail.selectedId as ExecutionType)}
              options={[
                { id: 'DRILL', text: 'Drill' },
                { id: 'RECOVERY', text: 'Recovery' },
              ]}
            />
          </FormField>
          {config.mode === 'local' && (
            <FormField label="Simulator scenario" description="The local DRS simulator's world to check against.">
              <Select
                ariaLabel="Simulator scenario to check against"
                selectedOption={{ value: scenario, label: scenario }}
                onChange={({ detail }) => setScenario(detail.selectedOption.value ?? 'default')}
                options={config.scenarios.map((name) => ({ value: name, label: name }))}
              />
            </FormField>
          )}
        </ColumnLayout>
        {failure && (
          <Alert type="error" header="The check could not run">
            {failure.message}
          </Alert>
        )}
        {report?.ready && (
          <Alert type="success" header={`Ready for a ${report.executionType}`}>
            {report.servers} servers in {report.waves.length} wave(s) are ready; {report.activeJobs ?? 0} DRS job(s)
            running now.
          </Alert>
        )}
        {report && !report.ready && (
          <Table
            variant="embedded"
            header={
              <Header variant="h3" counter={`(${report.problems.length})`}>
                {`Cannot run a ${report.executionType}: ${report.error ?? 'not ready'}`}
              </Header>
            }
            items={rows}
            trackBy="key"
            columnDefinitions={[
              { id: 'wave', header: 'Wave', cell: (row) => row.wave },
              { id: 'server', header: 'Server', cell: (row) => row.server },
              { id: 'problem', header: 'Problem', cell: (row) => row.problem, isRowHeader: true },
            ]}
            empty={<Box textAlign="center">No problem</Box>}
          />
        )}
        {report && report.warnings.length > 0 && (
          <Alert type="warning" header={`Warnings (${report.warnings.length})`}>
            <ul>
              {report.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          </Alert>
        )}
      </SpaceBetween>
    </Container>
  );
}
