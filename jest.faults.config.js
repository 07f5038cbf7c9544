/** The full fault-injection matrix (`npm run test:faults`); `npm test` runs a fast subset. */
const base = require('./jest.config');

module.exports = { ...base, testMatch: ['**/test/faults/**/*.faults.ts'], testTimeout: 120000 };
