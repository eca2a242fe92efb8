import { InMemoryNoticeStore } from '../support/in-memory-notice-store';
import { describeNoticeStoreContract } from '../support/notice-store-contract';

/**
 * The in-memory store stands in for DynamoDB in every domain test, so it passes the same contract as
 * DynamoDbNoticeStore (tests/integration/dynamodb-notice-store.test.ts): if it drifted, the domain tests would
 * prove the wrong thing. What follows the contract is what only this store offers tests.
 */
describeNoticeStoreContract('InMemoryNoticeStore', async () => new InMemoryNoticeStore());

describe('InMemoryNoticeStore for tests', () => {
  it('shows the claim of the run that completed a reminder, with its transport id', async () => {
    // Prepare
    const store = new InMemoryNoticeStore();
    await store.claimReminder('ntc_1', 'rmd_1', 'run-a', new Date('2026-12-20T00:00:00.000Z'), 60_000);

    // Act
    await store.completeReminder('ntc_1', 'rmd_1', 'run-a', 'tx-1');

    // Assess
    expect(store.claimOf('ntc_1', 'rmd_1')).toMatchObject({ state: 'done', runId: 'run-a', transportId: 'tx-1' });
  });
});
