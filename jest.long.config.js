/**
 * The long suites (`npm run test:long`): files named `*.long.test.ts` under tests/long, against real local servers like the
 * integration project. Kept out of `npm test` because they run for minutes; see docs/RELIABILITY.md.
 */
const { projects, ...shared } = require('./jest.config');

const integration = projects.find((project) => project.displayName === 'integration');

module.exports = {
  ...shared,
  // One suite at a time: a long suite's figures should not depend on what else shares the 2 cores.
  maxWorkers: 1,
  projects: [
    {
      ...integration,
      displayName: 'long',
      testMatch: ['<rootDir>/tests/long/**/*.long.test.ts'],
      // Each long test sets its own timeout from its run count.
      testTimeout: 60 * 60 * 1000,
    },
  ],
};
