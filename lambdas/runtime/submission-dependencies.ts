import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbSubmissionStore } from '../adapters/dynamodb-submission-store';
import { FileReceiptSigner, KmsReceiptSigner } from '../adapters/receipt-signers';
import { S3ResponseStorage } from '../adapters/s3-response-storage';
import { submissionConfig } from '../config';
import { newUlid } from '../domain/ids';
import { SubmissionService } from '../domain/submission-service';
import { now } from './clock';
import { dependencies } from './dependencies';

/**
 * What only the response-handling functions need (S3, the receipt key); kept apart so that other functions'
 * bundles and permissions carry neither.
 */
let built: SubmissionService | undefined;

export function submissionService(): SubmissionService {
  if (built) return built;
  const { config, store, doc } = dependencies();
  const settings = submissionConfig(config);
  const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });
  built = new SubmissionService({
    notices: store,
    submissions: new DynamoDbSubmissionStore(doc, config.tableName),
    storage: new S3ResponseStorage(s3, settings.bucket),
    receipts:
      settings.receipts.signer === 'kms'
        ? new KmsReceiptSigner(new KMSClient({}), settings.receipts.keyId)
        : new FileReceiptSigner(settings.receipts.keyFile),
    clock: now,
    newSubmissionId: () => `sub_${newUlid(now())}`,
  });
  return built;
}
