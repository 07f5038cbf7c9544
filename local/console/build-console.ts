import { join } from 'node:path';

/** The console's folder and its build output. */
export const CONSOLE_DIR = join(__dirname, '..', '..', 'console');
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');

/** Builds the console with Vite (its config: console/vite.config.mts) into console/dist. */
export async function buildConsole(): Promise<string> {
  // Vite is ESM only: a dynamic import loads it from this CommonJS code.
  // (tsx would turn `import()` into `require()`, which cannot load it).
  const vite = await (
    new Function('specifier', 'return import(specifier)') as (
      specifier: string,
    ) => Promise<{ build(config: { configFile: string; logLevel: string }): Promise<unknown> }>
  )('vite');
  await vite.build({ configFile: join(CONSOLE_DIR, 'vite.config.mts'), logLevel: 'warn' });
  return CONSOLE_DIST;
}
