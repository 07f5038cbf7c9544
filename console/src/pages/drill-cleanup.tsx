import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { type ExecutionDetail, hasRoute } from '../api-client';
import { useConsole } from '../context';
import { Status, time } from '../status';

/**
 * A drill's cleanup: where it stands (`cleanup`), and Clean up, once the drill has ended, after a
 * confirmation. The API's message is shown as it answers (started, or nothing to do), and a
 * refusal (409: a RECOVERY, a drill still running) in the Flashbar.
 */
export function DrillCleanupPanel({
  execution,
  ended,
  onChange,
}: {
  execution: ExecutionDetail;
  ended: boolean;
  onChange: () => void;
}) {
  const { api, notify } = useConsole();
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const cleanup = execution.cleanup;
  if (execution.executionType !== 'DRILL' || !hasRoute('cleanupExecution')) return null;

  const clean = async () => {
    setSending(true);
    try {
      const answer = await api.cleanup(execution.executionId);
      notify({ type: answer.started ? 'success' : 'info', header: 'Drill cleanup', content: answer.message });
      onChange();
    } catch (error) {
      notify({ type: 'error', header: 'The cleanup was refused', content: (error as Error).message });
    } finally {
      setSending(false);
      setConfirming(false);
    }
  };

  return (
    <Container
      header={
        <Header
          variant="h2"
          description="The drill's recovery instances are terminated; the source servers are not touched."
          actions={
            <Button disabled={!ended} loading={sending} onClick={() => setConfirming(true)}>
              Clean up
            </Button>
          }
        >
          Drill cleanup
        </Header>
      }
    >
      <KeyValuePairs
        columns={4}
        items={[
          { label: 'Cleanup status', value: <Status status={cleanup?.status ?? 'NOT_APPLICABLE'} /> },
          {
            label: 'Scheduled for',
            value: cleanup?.scheduledFor ? time(cleanup.scheduledFor) : 'Not scheduled (on demand)',
          },
          { label: 'Instances terminated', value: cleanup?.terminatedInstanceIDs.join(', ') || '-' },
          {
            label: 'Could not terminate',
            value: cleanup?.failed.map((f) => `${f.recoveryInstanceID}: ${f.reason}`).join('; ') || '-',
          },
        ]}
      />
      <Modal
        visible={confirming}
        onDismiss={() => setConfirming(false)}
        closeAriaLabel="Close"
        header="Clean up this drill?"
        footer={
          <Box float="right">
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => setConfirming(false)}>
                Keep instances
              </Button>
              <Button variant="primary" loading={sending} onClick={() => void clean()}>
                Terminate drill instances
              </Button>
            </SpaceBetween>
          </Box>
        }
      >
        Every recovery instance this drill launched is terminated now, and a scheduled cleanup is stopped. This cannot
        be undone.
      </Modal>
    </Container>
  );
}
