import { apiHandler, json } from '../http/api-handler';
import { submissionService } from '../runtime/submission-dependencies';

const submissions = submissionService();

/** GET /.well-known/receipt-keys.json — public: the keys receipts are signed with, to verify them offline. */
export const handler = apiHandler({}, async () =>
  json(200, await submissions.receiptKeys(), { 'cache-control': 'public, max-age=3600' }),
);
