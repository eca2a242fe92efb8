import type { S3Event } from 'aws-lambda';
import { ValidationFailed } from '../domain/errors';
import { instrumented } from '../observability/instrumented-handler';
import { logger } from '../observability/logger';
import { submissionService } from '../runtime/submission-dependencies';

const submissions = submissionService();

const KEY = /^notices\/(ntc_[0-9A-Z]{26})\/submissions\/(sub_[0-9A-Z]{26})\/(\d{1,2})$/;

/**
 * S3 ObjectCreated → the portal hashes the stored bytes itself (it never trusts a client's figure), records the
 * hash on the submission, and files the submission if a finalize was waiting for it. The same handler runs on AWS
 * (S3 event notification) and locally (s3rver's event). Nothing waits on it alone: work whose event is lost is
 * found again by the pending-verification job (verify-pending-submissions.ts).
 */
export const handler = instrumented(async (event: S3Event): Promise<void> => {
  for (const record of event.Records ?? []) {
    // S3 URL-encodes keys in events; ours hold only ids, so decoding is exact.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    const [, noticeId, submissionId, index] = KEY.exec(key) ?? [];
    if (noticeId === undefined || submissionId === undefined || index === undefined) {
      logger.warn('ignoring object outside the submission layout', { key });
      continue;
    }
    try {
      const outcome = await submissions.recordFileHash(noticeId, submissionId, Number(index));
      logger.info('file hashed', { noticeId, submissionId, index: Number(index), outcome: outcome?.status });
    } catch (error) {
      // A mismatch found while filing is recorded on the submission (lastError) for the platform to see.
      if (!(error instanceof ValidationFailed)) throw error;
      logger.warn('submission not filed', { noticeId, submissionId, issues: error.issues });
    }
  }
});
