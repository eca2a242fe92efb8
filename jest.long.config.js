/**
 * The long suites (`npm run test:long`): every file named `*.long.test.ts`, which `npm test` leaves out because
 * they run for minutes (see docs/RELIABILITY.md, "Test tiers"). A long suite runs with the settings of the project
 * whose folder it is in — `tests/browser/x.long.test.ts` with the browser project's set-up file, `tests/infra/…` as
 * infra — and `tests/long/` (the fuzzer's and the races' long runs, the fault and crash matrices) as integration.
 * `npm run test:long -- <pattern>` runs the matching long suites only.
 */
const { projects, ...shared } = require('./jest.config');

const LONG_SUITE = '\\.long\\.test\\.ts$';
const byName = Object.fromEntries(projects.map((project) => [project.displayName, project]));

/** `project`'s settings, for the long suites under `folder`. */
const longSuitesOf = (project, displayName, folder) => ({
  ...project,
  displayName,
  testMatch: [`<rootDir>/${folder}/**/*.long.test.ts`],
  // Only the long suites: the rest of the folder is `npm test`'s.
  testPathIgnorePatterns: (project.testPathIgnorePatterns ?? []).filter((pattern) => pattern !== LONG_SUITE),
});

module.exports = {
  ...shared,
  // One suite at a time: a long suite's figures should not depend on what else shares the 2 cores.
  maxWorkers: 1,
  projects: [
    // Each long test sets its own timeout from its run count.
    { ...longSuitesOf(byName.integration, 'long', 'tests/long'), testTimeout: 60 * 60 * 1000 },
    longSuitesOf(byName.integration, 'long-integration', 'tests/integration'),
    longSuitesOf(byName.infra, 'long-infra', 'tests/infra'),
    longSuitesOf(byName.browser, 'long-browser', 'tests/browser'),
    longSuitesOf(byName.unit, 'long-unit', 'tests/unit'),
  ],
};
