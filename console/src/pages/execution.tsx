import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Modal from '@cloudscape-design/components/modal';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useCallback, useEffect, useState } from 'react';
import { FINAL_EXECUTION_STATUSES } from '../../../functions/shared/types';
import { ApiError, type ExecutionDetail, hasRoute } from '../api-client';
import { useConsole } from '../context';
import { duration, Status, seconds, Target, time } from '../status';
import { DrillCleanupPanel } from './drill-cleanup';
import { isWaveGraph, WaveGraph } from './wave-graph';
import { WaveSection } from './wave-section';

const POLL_MS = 2000;

const isFinal = (execution: ExecutionDetail | undefined) =>
  execution !== undefined && FINAL_EXECUTION_STATUSES.includes(execution.status);

/**
 * One execution, live: its waves in plan order with their status and servers (above them, when
 * the waves branch or join, their dependency graph), the failure in
 * words, Cancel, and the links to Step Functions and DRS. It reads the API every 2 s while the
 * execution runs and stops when it has ended.
 */
export function ExecutionPage({ executionId }: { executionId: string }) {
  const { api, config, notify } = useConsole();
  const [execution, setExecution] = useState<ExecutionDetail>();
  const [loadError, setLoadError] = useState<string>();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [cancelling, setCancelling] = useState(false);

  const load = useCallback(async () => {
    try {
      setExecution(await api.getExecution(executionId));
      setLoadError(undefined);
    } catch (error) {
      setLoadError((error as Error).message);
    }
  }, [api, executionId]);

  const ended = isFinal(execution);
  // A drill's cleanup runs after the drill has ended: the page follows it too.
  const live = !ended || execution?.cleanup?.status === 'RUNNING';
  useEffect(() => {
    void load();
    if (!live) return;
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [load, live]);

  const cancel = async () => {
    setCancelling(true);
    try {
      setExecution(await api.cancel(executionId));
      notify({ type: 'success', content: `Execution ${executionId} cancelled.` });
    } catch (error) {
      notify({
        type: 'error',
        header: 'The execution was not cancelled',
        content: error instanceof ApiError ? error.message : (error as Error).message,
      });
    } finally {
      setCancelling(false);
      setConfirmCancel(false);
    }
  };

  if (!execution) {
    return loadError ? (
      <Alert type="error" header={`Execution ${executionId}`}>
        {loadError}
      </Alert>
    ) : (
      <Box>Loading…</Box>
    );
  }
  const waves = [...execution.waves].sort((a, b) => a.index - b.index);
  const servers = waves.flatMap((w) => w.servers ?? []);
  const launched = servers.filter((s) => s.launchStatus === 'LAUNCHED').length;
  const completedWaves = waves.filter((w) => w.status === 'COMPLETED').length;
  const progress = waves.length === 0 ? 0 : Math.round((100 * completedWaves) / waves.length);

  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description={`${execution.executionType} of ${execution.planName ?? execution.planId}`}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button href={execution.consoleUrl} target="_blank" iconName="external" iconAlign="right">
              Step Functions execution
            </Button>
            {hasRoute('getExecutionReport') && <Button href={`#/executions/${executionId}/report`}>Report</Button>}
            <Button disabled={ended} loading={cancelling} onClick={() => setConfirmCancel(true)}>
              Cancel execution
            </Button>
          </SpaceBetween>
        }
      >
        {executionId}
      </Header>
      {loadError && <Alert type="warning">The last refresh failed: {loadError}</Alert>}
      {execution.error && (
        <Alert
          type={execution.status === 'CANCELLED' ? 'info' : 'error'}
          header={`${execution.status}: ${execution.error}`}
        >
          {execution.cause ?? 'No cause was recorded.'}
        </Alert>
      )}
      {execution.warnings.map((warning) => (
        <Alert key={warning} type="warning">
          {warning}
        </Alert>
      ))}
      <Container header={<Header variant="h2">Overview</Header>}>
        <SpaceBetween size="m">
          <KeyValuePairs
            columns={4}
            items={[
              { label: 'Status', value: <Status status={execution.status} /> },
              { label: 'Started', value: time(execution.startedAt) },
              {
                label: ended ? 'Took' : 'Running for',
                value: duration(execution.startedAt, execution.endedAt),
              },
              { label: 'Servers launched', value: `${launched} of ${servers.length}` },
            ]}
          />
          <ProgressBar
            value={progress}
            label="Waves completed"
            description={`${completedWaves} of ${waves.length} waves COMPLETED`}
            status={ended ? (execution.status === 'COMPLETED' ? 'success' : 'error') : 'in-progress'}
            resultText={execution.status}
          />
        </SpaceBetween>
      </Container>
      <Container header={<Header variant="h2">Recovery objectives</Header>}>
        <KeyValuePairs
          columns={4}
          items={[
            { label: 'Recovery time (RTO)', value: seconds(execution.rto.actualSeconds) },
            {
              label: 'RTO target',
              value: (
                <Target
                  met={execution.rto.met}
                  target={execution.rto.targetMinutes === null ? null : `${execution.rto.targetMinutes} min`}
                />
              ),
            },
            { label: 'Oldest data launched (RPO)', value: seconds(execution.rpo.maxDataAgeSeconds) },
            {
              label: 'RPO target',
              value: (
                <Target
                  met={execution.rpo.met}
                  target={
                    execution.rpo.targetMinutes === null || execution.rpo.targetMinutes === undefined
                      ? null
                      : `${execution.rpo.targetMinutes} min`
                  }
                />
              ),
            },
          ]}
        />
      </Container>
      {isWaveGraph(waves) && <WaveGraph waves={waves} />}
      {waves.map((wave) => (
        <WaveSection
          key={wave.index}
          executionId={executionId}
          wave={wave}
          region={config.region}
          total={waves.length}
          onChange={() => void load()}
        />
      ))}
      <DrillCleanupPanel execution={execution} ended={ended} onChange={() => void load()} />
      <Modal
        visible={confirmCancel}
        onDismiss={() => setConfirmCancel(false)}
        closeAriaLabel="Close"
        header="Cancel this execution?"
        footer={
          <Box float="right">
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => setConfirmCancel(false)}>
                Keep running
              </Button>
              <Button variant="primary" loading={cancelling} onClick={() => void cancel()}>
                Cancel execution
              </Button>
            </SpaceBetween>
          </Box>
        }
      >
        No further wave is started. A DRS job already started keeps running, and its recovery instances stay until they
        are terminated.
      </Modal>
    </SpaceBetween>
  );
}
