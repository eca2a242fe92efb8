import { describeConcurrencyRounds } from '../integration/support/concurrency-rounds';

/**
 * Issue 14 point 4, the long run (`npm run test:long`): the same races as tests/integration/concurrency.test.ts
 * over 50 rounds by default, or `CONCURRENCY_ROUNDS`.
 */
describeConcurrencyRounds(Number(process.env.CONCURRENCY_ROUNDS ?? 50));
