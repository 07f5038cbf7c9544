import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Tabs from '@cloudscape-design/components/tabs';
import Textarea from '@cloudscape-design/components/textarea';
import { useEffect, useState } from 'react';
import { ApiError } from '../api-client';
import { useConsole } from '../context';
import { errorText, type PlacedProblem, placeProblem } from '../problems';
import { PlanCheck } from './plan-check';

type Draft = Record<string, unknown> & { waves?: Record<string, unknown>[] };

const NEW_PLAN: Draft = {
  planId: '',
  name: '',
  pollIntervalSeconds: 30,
  waves: [{ name: 'Wave 1', sourceServerIDs: [], timeoutMinutes: 60 }],
};

/** A number where the text is one, else the text itself, so the API's rules name what was typed. */
const numberOr = (text: string): unknown => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);
const textOf = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const FIELDS = ['planId', 'name', 'description', 'pollIntervalSeconds', 'waves'];

/**
 * Create or edit a plan, as a form or as JSON. The rules are the API's: nothing is checked here;
 * Save sends the plan, and each problem the API names is shown beside the field it concerns.
 */
export function PlanEditorPage({ planId }: { planId?: string }) {
  const { api, navigate, notify } = useConsole();
  const [text, setText] = useState(JSON.stringify(NEW_PLAN, null, 2));
  const [problems, setProblems] = useState<PlacedProblem[]>([]);
  const [message, setMessage] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [tab, setTab] = useState('form');

  useEffect(() => {
    if (!planId) return;
    api.getPlan(planId).then(
      ({ createdAt: _c, updatedAt: _u, ...plan }) => setText(JSON.stringify(plan, null, 2)),
      (error: Error) => notify({ type: 'error', header: `Plan ${planId} could not be read`, content: error.message }),
    );
  }, [api, planId, notify]);

  let draft: Draft | undefined;
  let syntax: string | undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) draft = parsed as Draft;
    else syntax = 'The plan must be a JSON object';
  } catch (error) {
    syntax = `Not JSON: ${(error as Error).message}`;
  }
  const update = (change: (plan: Draft) => void) => {
    if (!draft) return;
    const next = structuredClone(draft);
    change(next);
    setText(JSON.stringify(next, null, 2));
  };
  const waves = Array.isArray(draft?.waves) ? draft.waves : [];
  const unplaced = problems.filter(
    (p) => !FIELDS.some((f) => p.path === f || p.path.startsWith(`${f}[`) || p.path.startsWith(`${f}.`)),
  );

  const save = async () => {
    if (!draft) return;
    setSaving(true);
    setProblems([]);
    setMessage(undefined);
    try {
      const stored = planId ? await api.putPlan(planId, draft) : await api.createPlan(draft);
      notify({ type: 'success', content: `Plan ${stored.name} (${stored.planId}) saved.` });
      navigate('/plans');
    } catch (error) {
      if (error instanceof ApiError) {
        setMessage(
          error.problems.length > 0
            ? `The API refused the plan (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}): each is shown at its field.`
            : error.message,
        );
        setProblems(error.problems.map(placeProblem));
      } else setMessage((error as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const field = (path: string, label: string, description?: string, type: 'text' | 'number' = 'text') => (
    <FormField label={label} description={description} errorText={errorText(problems, path)}>
      <Input
        ariaLabel={label}
        type={type}
        value={textOf(draft?.[path])}
        disabled={!draft || (path === 'planId' && planId !== undefined)}
        onChange={({ detail }) =>
          update((plan) => {
            if (detail.value === '' && path === 'description') delete plan[path];
            else plan[path] = type === 'number' ? numberOr(detail.value) : detail.value;
          })
        }
      />
    </FormField>
  );

  const formView = (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Plan</Header>}>
        <SpaceBetween size="m">
          {field('planId', 'Plan ID', 'Letters, digits, ".", "_" or "-". It cannot change once saved.')}
          {field('name', 'Name', 'Typed to confirm a RECOVERY.')}
          {field('description', 'Description (optional)')}
          {field('pollIntervalSeconds', 'Poll interval (seconds)', 'How often a launching wave is checked.', 'number')}
        </SpaceBetween>
      </Container>
      <FormField
        label="Waves"
        errorText={errorText(
          problems.filter((p) => p.path === 'waves'),
          'waves',
        )}
        stretch
      >
        <SpaceBetween size="m">
          {waves.map((wave, i) => (
            <Container
              // biome-ignore lint/suspicious/noArrayIndexKey: a wave is its position in the plan
              key={i}
              header={
                <Header
                  variant="h3"
                  actions={
                    <Button
                      onClick={() => update((plan) => plan.waves?.splice(i, 1))}
                      ariaLabel={`Remove wave ${i + 1}`}
                    >
                      Remove
                    </Button>
                  }
                >
                  Wave {i + 1}
                </Header>
              }
            >
              <SpaceBetween size="m">
                <FormField label="Name" errorText={errorText(problems, `waves[${i}].name`)}>
                  <Input
                    ariaLabel={`Wave ${i + 1} name`}
                    value={textOf(wave.name)}
                    onChange={({ detail }) =>
                      update((plan) => Object.assign(plan.waves?.[i] ?? {}, { name: detail.value }))
                    }
                  />
                </FormField>
                <FormField
                  label="Source servers"
                  description="DRS source server IDs, one per line."
                  errorText={errorText(problems, `waves[${i}].sourceServerIDs`)}
                >
                  <Textarea
                    ariaLabel={`Wave ${i + 1} source servers`}
                    rows={3}
                    value={
                      Array.isArray(wave.sourceServerIDs)
                        ? wave.sourceServerIDs.join('\n')
                        : textOf(wave.sourceServerIDs)
                    }
                    onChange={({ detail }) =>
                      update((plan) =>
                        Object.assign(plan.waves?.[i] ?? {}, {
                          sourceServerIDs: detail.value
                            .split('\n')
                            .map((id) => id.trim())
                            .filter((id) => id !== ''),
                        }),
                      )
                    }
                  />
                </FormField>
                <FormField label="Timeout (minutes)" errorText={errorText(problems, `waves[${i}].timeoutMinutes`)}>
                  <Input
                    ariaLabel={`Wave ${i + 1} timeout in minutes`}
                    type="number"
                    value={textOf(wave.timeoutMinutes)}
                    onChange={({ detail }) =>
                      update((plan) => Object.assign(plan.waves?.[i] ?? {}, { timeoutMinutes: numberOr(detail.value) }))
                    }
                  />
                </FormField>
                {problems
                  .filter(
                    (p) =>
                      p.path.startsWith(`waves[${i}]`) &&
                      !['name', 'sourceServerIDs', 'timeoutMinutes'].some((f) => p.path.startsWith(`waves[${i}].${f}`)),
                  )
                  .map((p) => (
                    <Alert key={p.path + p.message} type="error">
                      {p.path}: {p.message}
                    </Alert>
                  ))}
              </SpaceBetween>
            </Container>
          ))}
          <Button
            iconName="add-plus"
            onClick={() =>
              update((plan) => {
                plan.waves = [
                  ...(Array.isArray(plan.waves) ? plan.waves : []),
                  { name: `Wave ${waves.length + 1}`, sourceServerIDs: [], timeoutMinutes: 60 },
                ];
              })
            }
          >
            Add wave
          </Button>
        </SpaceBetween>
      </FormField>
    </SpaceBetween>
  );

  return (
    <form onSubmit={(event) => event.preventDefault()}>
      <Form
        header={<Header variant="h1">{planId ? `Edit plan ${planId}` : 'Create plan'}</Header>}
        errorText={message}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={() => navigate('/plans')}>
              Cancel
            </Button>
            <Button variant="primary" loading={saving} disabled={!draft} onClick={() => void save()}>
              Save
            </Button>
          </SpaceBetween>
        }
      >
        <SpaceBetween size="l">
          {unplaced.length > 0 && (
            <Alert type="error" header="Problems with the plan as a whole">
              <ul>
                {unplaced.map((p) => (
                  <li key={p.path + p.message}>{p.path ? `${p.path}: ${p.message}` : p.message}</li>
                ))}
              </ul>
            </Alert>
          )}
          <Tabs
            activeTabId={tab}
            onChange={({ detail }) => setTab(detail.activeTabId)}
            tabs={[
              {
                id: 'form',
                label: 'Form',
                content: draft ? formView : <Alert type="warning">Fix the JSON first: {syntax}</Alert>,
              },
              {
                id: 'json',
                label: 'JSON',
                content: (
                  <FormField
                    label="The plan as JSON"
                    description="Every field of the plan, including tag selection and optional servers."
                    errorText={
                      syntax ??
                      (problems.length > 0
                        ? problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join(' · ')
                        : undefined)
                    }
                    stretch
                  >
                    <Textarea
                      ariaLabel="Plan JSON"
                      rows={24}
                      value={text}
                      onChange={({ detail }) => setText(detail.value)}
                      spellcheck={false}
                    />
                  </FormField>
                ),
              },
            ]}
          />
          {planId && <PlanCheck planId={planId} />}
        </SpaceBetween>
      </Form>
    </form>
  );
}
