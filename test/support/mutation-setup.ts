// Under mutation testing (stryker.config.mjs) a property that fails has done its job: skip
// fast-check's shrinking, which can take longer than Stryker's timeout and only makes the
// counterexample readable.
import fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });

// The store properties on dynalite (wave-claims-property.test.ts) rerun for every mutant of their module: each
// scenario is about half a second of conditional writes. Their explicit `numRuns` would override a global one
// (fast-check merges the property's own parameters last), so they read this count instead.
process.env.STORE_PROPERTY_RUNS ??= '6';
