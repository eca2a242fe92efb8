import { S3Client } from '@aws-sdk/client-s3';
import { S3ResponseStorage } from '../adapters/s3-response-storage';
import { sdkClientConfig } from '../config/sdk-clients';
import { storageConfig } from '../config/storage';
import { latestCheckpointRef } from '../domain/checkpoint-reader';
import { newUlid } from '../domain/ids';
import type { ResponseStorage } from '../domain/response-storage';
import { SubmissionReader } from '../domain/submission-reader';
import { SubmissionService } from '../domain/submission-service';
import { responseFiled } from '../observability/business-metrics';
import { traced } from '../observability/tracer';
import { now } from './clock';
import { once } from './once';
import { receiptSigner } from './regulator-key-dependencies';
import { checkpointReader, noticeStore, signingKeyStore, submissionStore } from './stores';

/**
 * What only the response-handling functions need (S3, the receipt key); kept apart so that other functions'
 * bundles and permissions carry neither.
 */
export const responseStorage = once(
  (): ResponseStorage =>
    new S3ResponseStorage(
      traced(new S3Client({ ...sdkClientConfig('s3'), forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) })),
      storageConfig().bucket,
    ),
);

/** Handling responses: needs the bucket and the receipt key, both checked when it is first built. */
export const submissionService = once(
  (): SubmissionService =>
    new SubmissionService({
      notices: noticeStore(),
      submissions: submissionStore(),
      keys: signingKeyStore(),
      storage: responseStorage(),
      receipts: receiptSigner(),
      clock: now,
      newSubmissionId: () => `sub_${newUlid(now())}`,
      latestCheckpoint: () => latestCheckpointRef(checkpointReader()),
      onFiled: responseFiled,
    }),
);

/** Reading submissions: the table alone, for functions that have neither the bucket nor the receipt key. */
export const submissionReader = once(
  (): SubmissionReader => new SubmissionReader({ notices: noticeStore(), submissions: submissionStore() }),
);
