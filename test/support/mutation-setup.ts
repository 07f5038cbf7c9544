// Under mutation testing (stryker.config.mjs) a property that fails has done its job: skip
// fast-check's shrinking, which can take longer than Stryker's timeout and only makes the
// counterexample readable.
import fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
