import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Debian's chromium (`.ci/run` installs it when missing); the tests never download a browser. */
export function chromiumPath(): string {
  const found = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));
  if (!found) throw new Error('no chromium at /usr/bin/chromium: apt-get install chromium (.ci/run does)');
  return found;
}

/**
 * `npm run console`'s own command, started on a free port: it builds the console and prints its
 * URL. `stop` ends it by its process ID and waits until it has exited, so no process is left.
 */
export async function startConsoleCommand(args: string[] = []): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'drs-orchestrator.js'), 'console', '--port', '0', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // DRS_ORCHESTRATOR_CHILD: the command runs in this process, not in a child of its own that a signal would miss.
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', DRS_ORCHESTRATOR_CHILD: '1' },
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // 'close': the process has exited and its output pipes are closed (nothing left to keep jest alive).
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`the console command exited (${code}) before printing its URL:\n${stderr}`)),
    );
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
