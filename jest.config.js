/**
 * Four tiers, each its own project so they can be run alone (`--selectProjects unit|integration|infra|browser`).
 * TypeScript is transpiled only, by esbuild (tests/support/esbuild-transform.js): type-checking happens once in
 * `npm run typecheck`, which keeps a CDK test file at ~5 s / 0.5 GB instead of ~30 s / 2 GB.
 *
 * Test tiers: a file named `*.long.test.ts` is a long suite. `npm test` (this config) never runs one;
 * `npm run test:long` (jest.long.config.js) runs exactly those, each with the settings of the project whose folder
 * it is in (tests/long/ has the integration project's). A long suite's short version — fewer runs, a sample of the
 * cases, one journey — is an ordinary `*.test.ts` here. See README, "Tests", and docs/RELIABILITY.md.
 */
const transform = { '^.+\\.ts$': '<rootDir>/tests/support/esbuild-transform.js' };
/** Long suites run only in `npm run test:long`. */
const LONG_SUITE = '\\.long\\.test\\.ts$';
const base = {
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', LONG_SUITE],
};

module.exports = {
  maxWorkers: 2,
  // A worker whose heap has grown past this after a test file is replaced by a fresh one. Besides keeping memory
  // in check, it keeps full collections cheap for the tests that force them (the guard's streaming-memory test
  // collects every 250 ms; in a worker holding a few earlier portals' heaps each collection took seconds).
  workerIdleMemoryLimit: '700MB',
  // Per-project testTimeout is not honoured by every jest version; integration tests start real servers.
  testTimeout: 30000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
      testTimeout: 30000,
    },
    { ...base, displayName: 'infra', testMatch: ['<rootDir>/tests/infra/**/*.test.ts'], testTimeout: 60000 },
    {
      ...base,
      // The built web app (npm test runs `npm run build:web` first) in Debian's Chromium against a real local portal.
      displayName: 'browser',
      testMatch: ['<rootDir>/tests/browser/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/tests/browser/support/jest-setup.ts'],
      testTimeout: 120000,
    },
  ],
};
