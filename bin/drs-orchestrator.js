#!/usr/bin/env node

// The CLI runs TypeScript sources through tsx and needs Node >= 22 (aws-local-stepfunctions).
// When started by an older system Node (e.g. `npx` outside npm scripts), re-run under the
// project's pinned Node from the `node` devDependency.
const path = require('node:path');
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const { spawnSync } = require('node:child_process');
  let pinned;
  try {
    pinned = require.resolve('node/bin/node');
  } catch {
    console.error(`drs-orchestrator needs Node.js >= 22 (found ${process.versions.node}); run \`npm ci\` first.`);
    process.exit(2);
  }
  const result = spawnSync(pinned, [__filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
// Local runs print results, not CloudWatch EMF metric lines.
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
require('tsx/cjs');
require(path.join(__dirname, '..', 'cli', 'main.ts'))
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
