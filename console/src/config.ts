/**
 * What the console learns from the `config.json` served beside it: where the API is and how to
 * reach it. Locally (`npm run console`) the API is on the same origin and unsigned; on AWS the
 * stack writes the API URL and the Cognito pool IDs, and the console signs each call.
 */
export type ConsoleConfig =
  | {
      mode: 'local';
      apiUrl: string;
      region: string;
      /** Simulated seconds per real second. */
      speed: number;
      /** The simulator's scenarios an execution can run in (`examples/*.scenario.json`, and `default`). */
      scenarios: string[];
    }
  | {
      mode: 'aws';
      /** The API's stage path on the console's own origin (`/v1/`): CloudFront passes it to API Gateway. */
      apiUrl: string;
      /** The API's own host (`<id>.execute-api.<region>.amazonaws.com`), the one a request is signed for. */
      apiHost: string;
      region: string;
      userPoolId: string;
      userPoolClientId: string;
      identityPoolId: string;
    };

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('./config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: ${response.status} ${response.statusText}`);
  return (await response.json()) as ConsoleConfig;
}
