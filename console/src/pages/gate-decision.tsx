import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import type { ExecutionWave } from '../api-client';
import { useConsole } from '../context';
import { time } from '../status';

type Decision = 'APPROVE' | 'REJECT';

/**
 * A wave AWAITING_APPROVAL: the gate's message and deadline, and Approve / Reject, each asking for
 * a comment in a modal before the decision is sent (`decideApproval`). A refusal (409: the gate
 * closed meanwhile) is shown in the Flashbar, in the API's words.
 */
export function GateDecision({
  executionId,
  wave,
  onDecided,
}: {
  executionId: string;
  wave: ExecutionWave;
  onDecided: () => void;
}) {
  const { api, notify } = useConsole();
  const [decision, setDecision] = useState<Decision>();
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const approval = wave.approval;

  const send = async () => {
    if (!decision) return;
    setSending(true);
    try {
      await api.decideApproval(executionId, wave.index, decision, comment.trim() || undefined);
      notify({
        type: 'success',
        content: `Wave ${wave.index + 1} '${wave.name}': ${decision === 'APPROVE' ? 'approved' : 'rejected'}.`,
      });
      onDecided();
    } catch (error) {
      notify({ type: 'error', header: 'The decision was not taken', content: (error as Error).message });
    } finally {
      setSending(false);
      setDecision(undefined);
      setComment('');
    }
  };

  return (
    <Alert
      type="warning"
      header={`Wave ${wave.index + 1} '${wave.name}' is awaiting approval`}
      action={
        <SpaceBetween direction="horizontal" size="xs">
          <Button onClick={() => setDecision('REJECT')}>Reject</Button>
          <Button variant="primary" onClick={() => setDecision('APPROVE')}>
            Approve
          </Button>
        </SpaceBetween>
      }
    >
      <SpaceBetween size="xxs">
        {approval?.message && <Box>{approval.message}</Box>}
        <Box variant="small">
          Asked {time(approval?.requestedAt)}; without a decision the gate times out at {time(approval?.timeoutAt)}.
        </Box>
      </SpaceBetween>
      <Modal
        visible={decision !== undefined}
        onDismiss={() => setDecision(undefined)}
        closeAriaLabel="Close"
        header={`${decision === 'APPROVE' ? 'Approve' : 'Reject'} wave ${wave.index + 1} '${wave.name}'?`}
        footer={
          <Box float="right">
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => setDecision(undefined)}>
                Back
              </Button>
              <Button variant="primary" loading={sending} onClick={() => void send()}>
                {decision === 'APPROVE' ? 'Approve wave' : 'Reject wave'}
              </Button>
            </SpaceBetween>
          </Box>
        }
      >
        <SpaceBetween size="s">
          <Box>
            {decision === 'APPROVE'
              ? 'The wave starts: its pre-wave actions run, then DRS launches its servers.'
              : 'The wave does not start: the execution ends FAILED and no later wave runs.'}
          </Box>
          <FormField label="Comment" description="Kept with the decision, with your name and the time.">
            <Textarea value={comment} onChange={({ detail }) => setComment(detail.value)} />
          </FormField>
        </SpaceBetween>
      </Modal>
    </Alert>
  );
}
