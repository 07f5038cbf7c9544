import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { logger } from '../../functions/shared/observability';
import { buildConsole, CONSOLE_DIST } from '../../local/console/build-console';
import { startConsoleServer } from '../../local/console/console-server';
import { loadScenarios } from '../../local/console/scenarios';
import { BadInput } from '../exit-codes';

interface ConsoleOptions {
  speed: string;
  port: string;
  build: boolean;
  scenarios?: string;
}

/**
 * `drs-orchestrator console`: the web console on the local stack. The real API handler on
 * 127.0.0.1 behind an HTTP adapter, the built console beside it, executions in the local engine
 * against the DRS simulator at a watchable pace. Runs until interrupted.
 */
export function addConsoleCommand(program: Command): void {
  program
    .command('console')
    .description(
      'Serve the web console on the local stack (the real API on 127.0.0.1, dynalite, the DRS simulator, the local engine) and print its URL. Runs until Ctrl-C.',
    )
    .addOption(
      new Option('--speed <n>', 'simulated seconds per real second (60: one simulated minute each second)').default(
        '60',
      ),
    )
    .addOption(new Option('--port <n>', 'the port on 127.0.0.1 (0: any free port)').default('5180'))
    .option('--scenarios <dir>', 'more simulator scenarios (<name>.scenario.json) besides those in examples/')
    .option('--no-build', 'serve console/dist as it is instead of building it first')
    .action(async (options: ConsoleOptions) => {
      process.exitCode = await consoleCommand(options);
    });
}

async function consoleCommand(options: ConsoleOptions): Promise<number> {
  const speed = Number(options.speed);
  const port = Number(options.port);
  const problems = [
    ...(Number.isFinite(speed) && speed > 0 ? [] : [`--speed: must be a positive number (got '${options.speed}')`]),
    ...(Number.isInteger(port) && port >= 0 && port <= 65535
      ? []
      : [`--port: must be 0 to 65535 (got '${options.port}')`]),
  ];
  if (problems.length > 0) throw new BadInput(problems.join('; '));
  if (options.build) {
    process.stderr.write('Building the console (console/dist)...\n');
    await buildConsole();
  }
  const server = await startConsoleServer({
    speed,
    port,
    scenarios: loadScenarios(
      join(__dirname, '..', '..', 'examples'),
      ...(options.scenarios ? [options.scenarios] : []),
    ),
    staticDir: CONSOLE_DIST,
    onError: (what, error) => logger.error({ message: `local console: ${what} failed` }, error as Error),
  });
  process.stdout.write(
    `DRS orchestrator console on the local stack: ${server.url}\n(simulated time at ${speed}×; Ctrl-C stops it)\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stderr.write('Stopping the local console...\n');
  await server.close();
  return 0;
}
