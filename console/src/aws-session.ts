import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RequestSigner } from './api-client';
import type { ConsoleConfig } from './config';

type AwsConfig = Extract<ConsoleConfig, { mode: 'aws' }>;

/**
 * Sign-in on AWS, with no SDK beyond the signer: the user pool's InitiateAuth (USER_PASSWORD_AUTH,
 * and the new password Cognito asks a user created by an administrator for), then the identity
 * pool's GetId and GetCredentialsForIdentity, which give temporary credentials of the role the
 * user's group maps to (admin or viewer). Each API call is signed with them (SigV4,
 * execute-api): the API is IAM-authorized and has no other way in.
 */

const TOKENS = 'drs-orchestrator.tokens';

interface Tokens {
  idToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
}

async function cognito<T>(config: AwsConfig, service: 'idp' | 'identity', target: string, body: unknown): Promise<T> {
  const host =
    service === 'idp'
      ? `cognito-idp.${config.region}.amazonaws.com`
      : `cognito-identity.${config.region}.amazonaws.com`;
  const prefix = service === 'idp' ? 'AWSCognitoIdentityProviderService' : 'AWSCognitoIdentityService';
  const response = await fetch(`https://${host}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${prefix}.${target}` },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as T & { message?: string; __type?: string };
  if (!response.ok) throw new Error(answer.message ?? answer.__type ?? `${target}: ${response.status}`);
  return answer;
}

/**
 * Where a sign-in stands: done, or a challenge of the user pool to answer. MFA is required (TOTP):
 * a user's first sign-in sets up an authenticator app (MFA_SETUP, with the secret to enter in it),
 * every later one asks for its code (SOFTWARE_TOKEN_MFA).
 */
export type SignInStep =
  | { done: true }
  | { done: false; challenge: 'NEW_PASSWORD_REQUIRED' | 'SOFTWARE_TOKEN_MFA'; session: string }
  | { done: false; challenge: 'MFA_SETUP'; session: string; secretCode: string };

interface AuthAnswer {
  AuthenticationResult?: { IdToken: string; ExpiresIn: number };
  ChallengeName?: string;
  Session?: string;
}

async function keep(config: AwsConfig, answer: AuthAnswer): Promise<SignInStep> {
  if (answer.AuthenticationResult) {
    const tokens: Tokens = {
      idToken: answer.AuthenticationResult.IdToken,
      expiresAt: Date.now() + answer.AuthenticationResult.ExpiresIn * 1000,
    };
    sessionStorage.setItem(TOKENS, JSON.stringify(tokens));
    return { done: true };
  }
  const session = answer.Session;
  if (session && (answer.ChallengeName === 'NEW_PASSWORD_REQUIRED' || answer.ChallengeName === 'SOFTWARE_TOKEN_MFA')) {
    return { done: false, challenge: answer.ChallengeName, session };
  }
  if (session && answer.ChallengeName === 'MFA_SETUP') {
    const associated = await cognito<{ SecretCode: string; Session: string }>(config, 'idp', 'AssociateSoftwareToken', {
      Session: session,
    });
    return { done: false, challenge: 'MFA_SETUP', session: associated.Session, secretCode: associated.SecretCode };
  }
  throw new Error(`Cognito asks for ${answer.ChallengeName ?? 'something'} this console does not handle`);
}

export async function signIn(config: AwsConfig, username: string, password: string): Promise<SignInStep> {
  return keep(
    config,
    await cognito<AuthAnswer>(config, 'idp', 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: config.userPoolClientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

export async function setNewPassword(config: AwsConfig, username: string, session: string, password: string) {
  return keep(
    config,
    await cognito<AuthAnswer>(config, 'idp', 'RespondToAuthChallenge', {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ClientId: config.userPoolClientId,
      Session: session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: password },
    }),
  );
}

/** The authenticator app's code, at sign-in. */
export async function answerMfa(config: AwsConfig, username: string, session: string, code: string) {
  return keep(
    config,
    await cognito<AuthAnswer>(config, 'idp', 'RespondToAuthChallenge', {
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      ClientId: config.userPoolClientId,
      Session: session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code },
    }),
  );
}

/** The first code of a newly set-up authenticator app: verifies it, then completes the sign-in. */
export async function verifyMfaSetup(config: AwsConfig, username: string, session: string, code: string) {
  const verified = await cognito<{ Status: string; Session: string }>(config, 'idp', 'VerifySoftwareToken', {
    Session: session,
    UserCode: code,
    FriendlyDeviceName: 'drs-orchestrator console',
  });
  if (verified.Status !== 'SUCCESS') throw new Error('The code was not accepted: check the app and try again');
  return keep(
    config,
    await cognito<AuthAnswer>(config, 'idp', 'RespondToAuthChallenge', {
      ChallengeName: 'MFA_SETUP',
      ClientId: config.userPoolClientId,
      Session: verified.Session,
      ChallengeResponses: { USERNAME: username },
    }),
  );
}

/** The signed-in session (its ID token still valid), or undefined: then the sign-in page is shown. */
export function signedSession(config: AwsConfig): { sign: RequestSigner; signOut: () => void } | undefined {
  const stored = sessionStorage.getItem(TOKENS);
  const tokens = stored ? (JSON.parse(stored) as Tokens) : undefined;
  if (!tokens || tokens.expiresAt < Date.now() + 60_000) return undefined;
  const logins = { [`cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`]: tokens.idToken };
  let credentials: Credentials | undefined;

  const current = async (): Promise<Credentials> => {
    if (credentials && credentials.expiresAt > Date.now() + 60_000) return credentials;
    const { IdentityId } = await cognito<{ IdentityId: string }>(config, 'identity', 'GetId', {
      IdentityPoolId: config.identityPoolId,
      Logins: logins,
    });
    const { Credentials: c } = await cognito<{
      Credentials: { AccessKeyId: string; SecretKey: string; SessionToken: string; Expiration: number };
    }>(config, 'identity', 'GetCredentialsForIdentity', { IdentityId, Logins: logins });
    credentials = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretKey,
      sessionToken: c.SessionToken,
      expiresAt: c.Expiration * 1000,
    };
    return credentials;
  };

  const sign: RequestSigner = async ({ method, url, headers, body }) => {
    const signer = new SignatureV4({
      service: 'execute-api',
      region: config.region,
      credentials: await current(),
      sha256: Sha256,
    });
    // Sent to the console's origin (CloudFront's /v1/*), signed for the API's host: CloudFront
    // passes the request on with that Host, which is what API Gateway checks the signature against.
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: config.apiHost,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...headers, host: config.apiHost },
      ...(body !== undefined ? { body } : {}),
    });
    // The browser sets Host itself and refuses to be told it.
    const { host: _host, ...rest } = signed.headers;
    return rest;
  };

  return {
    sign,
    signOut: () => {
      sessionStorage.removeItem(TOKENS);
      credentials = undefined;
    },
  };
}
