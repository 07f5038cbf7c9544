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
import { answerMfa, type SignInStep, setNewPassword, signIn, verifyMfaSetup } from './aws-session';
import type { ConsoleConfig } from './config';

/**
 * The user pool's sign-in: the new password a first sign-in must choose, the authenticator app it
 * sets up (MFA is required), and the app's code at every sign-in.
 */
export function SignIn({
  config,
  onSignedIn,
}: {
  config: Extract<ConsoleConfig, { mode: 'aws' }>;
  onSignedIn: () => void;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<Exclude<SignInStep, { done: true }>>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const challenge = step?.challenge;
  const asksCode = challenge === 'SOFTWARE_TOKEN_MFA' || challenge === 'MFA_SETUP';

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const next = !step
        ? await signIn(config, username, password)
        : step.challenge === 'NEW_PASSWORD_REQUIRED'
          ? await setNewPassword(config, username, step.session, password)
          : step.challenge === 'SOFTWARE_TOKEN_MFA'
            ? await answerMfa(config, username, step.session, password.trim())
            : await verifyMfaSetup(config, username, step.session, password.trim());
      if (next.done) onSignedIn();
      else {
        setStep(next);
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
              {challenge === 'NEW_PASSWORD_REQUIRED'
                ? 'Set password'
                : challenge === 'MFA_SETUP'
                  ? 'Verify and sign in'
                  : 'Sign in'}
            </Button>
          }
        >
          <Container>
            <SpaceBetween size="m">
              {challenge === 'NEW_PASSWORD_REQUIRED' && (
                <Alert type="info">Choose a new password for your first sign-in.</Alert>
              )}
              {step?.challenge === 'MFA_SETUP' && (
                <Alert type="info" header="Set up your authenticator app">
                  This console requires a second factor. Add an account to your authenticator app with this secret key
                  (time-based), then enter the code it shows: <Box variant="code">{step.secretCode}</Box>
                </Alert>
              )}
              {error && <Alert type="error">{error}</Alert>}
              <FormField label="User name">
                <Input
                  value={username}
                  disabled={!!challenge}
                  autoComplete="username"
                  onChange={({ detail }) => setUsername(detail.value)}
                />
              </FormField>
              <FormField
                label={
                  asksCode ? 'Authenticator code' : challenge === 'NEW_PASSWORD_REQUIRED' ? 'New password' : 'Password'
                }
              >
                <Input
                  type={asksCode ? 'text' : 'password'}
                  inputMode={asksCode ? 'numeric' : 'text'}
                  value={password}
                  autoComplete={
                    asksCode
                      ? 'one-time-code'
                      : challenge === 'NEW_PASSWORD_REQUIRED'
                        ? 'new-password'
                        : 'current-password'
                  }
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
