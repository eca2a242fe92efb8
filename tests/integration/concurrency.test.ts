import { describeConcurrencyRounds } from './support/concurrency-rounds';

/**
 * Issue 14 point 4, the short run in `npm test`: 1 round of 50 conflicting requests per step (see
 * support/concurrency-rounds.ts). `CONCURRENCY_ROUNDS=50 npx jest tests/integration/concurrency.test.ts` runs more.
 */
describeConcurrencyRounds(Number(process.env.CONCURRENCY_ROUNDS ?? 1));
