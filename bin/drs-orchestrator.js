#!/usr/bin/env node

// The CLI runs TypeScript sources through tsx and needs Node >= 22 (aws-local-stepfunctions).
// It runs in a child Node with the project's pinned Node when started by an older one (e.g. `npx`
// outside npm scripts), and always with the V8 heap settings below: a local drill of thousands of
// servers allocates much short-lived garbage, and these keep its peak memory near 150 MB instead
// of 250-310 MB (docs/performance.md).
const path = require('node:path');

const V8_FLAGS = ['--max-semi-space-size=8', '--max-old-space-size=384'];
const major = Number(process.versions.node.split('.')[0]);
if (major < 22 || !process.env.DRS_ORCHESTRATOR_CHILD) {
  const { spawnSync } = require('node:child_process');
  let node = process.execPath;
  if (major < 22) {
    try {
      node = require.resolve('node/bin/node');
    } catch {
      console.error(`drs-orchestrator needs Node.js >= 22 (found ${process.versions.node}); run \`npm ci\` first.`);
      process.exit(2);
    }
  }
  const result = spawnSync(node, [...V8_FLAGS, __filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, DRS_ORCHESTRATOR_CHILD: '1' },
  });
  if (result.error) {
    console.error(`drs-orchestrator: could not start ${node}: ${result.error.message}`);
    process.exit(1);
  }
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
