#!/usr/bin/env node
// The records group of mutation testing (docs/reliability.md, "Mutation testing"): Stryker over each module
// of functions/shared/records/ in turn (MUTATION_ONLY), each against its own tests and failing below its own
// `break`. The modules and their test lists are stryker.config.mjs's `RECORDS_MODULES`, the one list.
//   node .ci/mutate-records.mjs          every module (`npm run test:mutation:records`)
//   node .ci/mutate-records.mjs --ci     only those marked `ci: true` (`npm run test:mutation:records:ci`, run by CI)
//   node .ci/mutate-records.mjs a b      the modules named
import { spawnSync } from 'node:child_process';
import { RECORDS_MODULES } from '../stryker.config.mjs';

const USAGE = 'usage: node .ci/mutate-records.mjs [--ci | <module>...]';
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`${USAGE}\nmodules: ${Object.keys(RECORDS_MODULES).join(', ')}`);
  process.exit(0);
}
// An unknown flag (a typo of --ci) must not start every module's run: it is refused, as a bad argument.
const flags = args.filter((a) => a.startsWith('-') && a !== '--ci');
if (flags.length > 0) {
  console.error(`unknown option ${flags.join(', ')}; ${USAGE}`);
  process.exit(2);
}
const named = args.filter((a) => !a.startsWith('-'));
const unknown = named.filter((n) => !(n in RECORDS_MODULES));
if (unknown.length > 0) {
  console.error(`not records modules: ${unknown.join(', ')}; they are: ${Object.keys(RECORDS_MODULES).join(', ')}`);
  process.exit(2);
}
const modules =
  named.length > 0
    ? named
    : Object.keys(RECORDS_MODULES).filter((m) => !args.includes('--ci') || RECORDS_MODULES[m].ci === true);

const timings = [];
for (const module of modules) {
  const started = Date.now();
  // `stryker` is on PATH under npm (node_modules/.bin), as the other test:mutation scripts use it.
  const run = spawnSync('stryker', ['run'], {
    stdio: 'inherit',
    env: { ...process.env, MUTATION_GROUP: 'records', MUTATION_ONLY: module },
  });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  timings.push(`records/${module}: ${run.status === 0 ? 'passed' : 'FAILED'} in ${minutes} min`);
  if (run.status !== 0) {
    console.log(timings.join('\n'));
    process.exit(run.status ?? 1);
  }
}
console.log(timings.join('\n'));
