import '@cloudscape-design/global-styles/index.css';
import { createRoot } from 'react-dom/client';
import { ApiClient } from './api-client';
import { App } from './app';
import { signedSession } from './aws-session';
import { loadConfig } from './config';
import { SignIn } from './sign-in';

const root = createRoot(document.getElementById('root') as HTMLElement);

async function boot() {
  const config = await loadConfig();
  if (config.mode === 'local') {
    root.render(<App api={new ApiClient(config)} config={config} />);
    return;
  }
  // On AWS: sign in with the user pool, then sign each API call with the identity pool's credentials.
  const render = () => {
    const session = signedSession(config);
    if (!session) {
      root.render(<SignIn config={config} onSignedIn={render} />);
      return;
    }
    root.render(
      <App
        api={new ApiClient(config, session.sign)}
        config={config}
        signOut={() => {
          session.signOut();
          render();
        }}
      />,
    );
  };
  render();
}

boot().catch((error: Error) => {
  root.render(<p role="alert">The console could not start: {error.message}</p>);
});
