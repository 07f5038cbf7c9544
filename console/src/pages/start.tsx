import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import RadioGroup from '@cloudscape-design/components/radio-group';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useEffect, useState } from 'react';
import type { ExecutionType } from '../../../functions/shared/types';
import { ApiError, type StoredPlan } from '../api-client';
import { useConsole } from '../context';

/**
 * Start a DRILL or a RECOVERY of one plan. A RECOVERY launches production in the recovery Region:
 * the plan's name must be typed before the button is enabled, and only then is the API's
 * `confirm` sent.
 */
export function StartPage({ planId }: { planId: string }) {
  const { api, config, navigate, notify } = useConsole();
  const [plan, setPlan] = useState<StoredPlan>();
  const [type, setType] = useState<ExecutionType>('DRILL');
  const [typedName, setTypedName] = useState('');
  const [scenario, setScenario] = useState('default');
  const [starting, setStarting] = useState(false);
  const [refusal, setRefusal] = useState<ApiError>();

  useEffect(() => {
    api
      .getPlan(planId)
      .then(setPlan, (error: Error) =>
        notify({ type: 'error', header: `Plan ${planId} could not be read`, content: error.message }),
      );
  }, [api, planId, notify]);

  const confirmed = type === 'DRILL' || (plan !== undefined && typedName === plan.name);
  const start = async () => {
    setStarting(true);
    setRefusal(undefined);
    try {
      const started = await api.start(planId, type, config.mode === 'local' ? scenario : undefined);
      notify({ type: 'success', content: `${type} ${started.executionId} started.` });
      navigate(`/executions/${started.executionId}`);
    } catch (error) {
      if (error instanceof ApiError) setRefusal(error);
      else notify({ type: 'error', header: 'The start failed', content: (error as Error).message });
    } finally {
      setStarting(false);
    }
  };

  return (
    <Form
      header={<Header variant="h1">Start {plan?.name ?? planId}</Header>}
      actions={
        <SpaceBetween direction="horizontal" size="xs">
          <Button variant="link" onClick={() => navigate('/plans')}>
            Cancel
          </Button>
          <Button variant="primary" disabled={!plan || !confirmed} loading={starting} onClick={() => void start()}>
            Start {type === 'DRILL' ? 'drill' : 'recovery'}
          </Button>
        </SpaceBetween>
      }
    >
      <SpaceBetween size="l">
        {refusal && (
          <Alert type="error" header={`The API refused the start (${refusal.status})`}>
            {refusal.message}
            {refusal.problems.length > 0 && (
              <ul>
                {refusal.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
          </Alert>
        )}
        {plan && (
          <Container header={<Header variant="h2">Plan</Header>}>
            <KeyValuePairs
              columns={3}
              items={[
                { label: 'Plan ID', value: plan.planId },
                { label: 'Waves', value: plan.waves.map((w) => w.name).join(' → ') },
                { label: 'Servers', value: plan.waves.reduce((n, w) => n + w.sourceServerIDs.length, 0) },
              ]}
            />
          </Container>
        )}
        <Container header={<Header variant="h2">Execution</Header>}>
          <SpaceBetween size="m">
            <FormField label="Type">
              <RadioGroup
                value={type}
                onChange={({ detail }) => setType(detail.value as ExecutionType)}
                items={[
                  { value: 'DRILL', label: 'Drill', description: 'Launches drill instances; production is untouched.' },
                  {
                    value: 'RECOVERY',
                    label: 'Recovery',
                    description: 'Launches the production workloads in the recovery Region.',
                  },
                ]}
              />
            </FormField>
            {config.mode === 'local' && (
              <FormField label="Simulator scenario" description="The local DRS simulator's world for this execution.">
                <Select
                  ariaLabel="Simulator scenario"
                  selectedOption={{ value: scenario, label: scenario }}
                  onChange={({ detail }) => setScenario(detail.selectedOption.value ?? 'default')}
                  options={config.scenarios.map((name) => ({ value: name, label: name }))}
                />
              </FormField>
            )}
            {type === 'RECOVERY' && (
              <>
                <Alert type="warning" header="This is not a drill">
                  A RECOVERY launches the production workloads of every wave. Type the plan's name to confirm.
                </Alert>
                <FormField label={`Type "${plan?.name ?? ''}" to confirm`}>
                  <Input
                    ariaLabel="Plan name to confirm"
                    value={typedName}
                    onChange={({ detail }) => setTypedName(detail.value)}
                  />
                </FormField>
              </>
            )}
          </SpaceBetween>
        </Container>
      </SpaceBetween>
    </Form>
  );
}
