import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import { setNewPassword, signIn } from './aws-session';
import type { ConsoleConfig } from './config';

/** The user pool's sign-in, and the new password a first sign-in must choose. */
export function SignIn({
  config,
  onSignedIn,
}: {
  config: Extract<ConsoleConfig, { mode: 'aws' }>;
  onSignedIn: () => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const step = challenge
        ? await setNewPassword(config, username, challenge, password)
        : await signIn(config, username, password);
      if (step.done) onSignedIn();
      else {
        setChallenge(step.session);
        setPassword('');
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box margin="xxl" padding="xxl">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Form
          header={<Header variant="h1">DRS orchestrator</Header>}
          actions={
            <Button variant="primary" formAction="submit" loading={busy}>
              {challenge ? 'Set password and sign in' : 'Sign in'}
            </Button>
          }
        >
          <Container>
            <SpaceBetween size="m">
              {challenge && <Alert type="info">Choose a new password for your first sign-in.</Alert>}
              {error && <Alert type="error">{error}</Alert>}
              <FormField label="User name">
                <Input
                  value={username}
                  disabled={!!challenge}
                  autoComplete="username"
                  onChange={({ detail }) => setUsername(detail.value)}
                />
              </FormField>
              <FormField label={challenge ? 'New password' : 'Password'}>
                <Input
                  type="password"
                  value={password}
                  autoComplete={challenge ? 'new-password' : 'current-password'}
                  onChange={({ detail }) => setPassword(detail.value)}
                />
              </FormField>
            </SpaceBetween>
          </Container>
        </Form>
      </form>
    </Box>
  );
}
