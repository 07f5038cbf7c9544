import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The web console's build. No React plugin: Vite 8's own transform (Oxc) compiles TSX with the
 * automatic JSX runtime, which is all the console needs (no fast refresh in `vite dev`).
 */
export default defineConfig({
  root,
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      // Cloudscape marks its modules 'use client' for React Server Components; a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  // The API's modules (route list, plan rules) are shared source: they reach for nothing of Node's at import.
  define: { 'process.env.NODE_ENV': JSON.stringify(process.env.NODE_ENV ?? 'production') },
  server: { proxy: { '/api': 'http://127.0.0.1:5180', '/config.json': 'http://127.0.0.1:5180' } },
});
