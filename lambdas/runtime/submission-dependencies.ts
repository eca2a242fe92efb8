import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbSubmissionStore } from '../adapters/dynamodb-submission-store';
import { FileReceiptSigner, KmsReceiptSigner } from '../adapters/receipt-signers';
import { S3ResponseStorage } from '../adapters/s3-response-storage';
import { submissionConfig } from '../config';
import { newUlid } from '../domain/ids';
import type { ReceiptSigner } from '../domain/submission';
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
  // Only what a function uses is demanded of its configuration: managing signing keys needs neither the bucket
  // nor the receipt key, so those are built (and checked) on first use.
  const settings = () => submissionConfig(config);
  let storage: S3ResponseStorage | undefined;
  let receipts: ReceiptSigner | undefined;
  const lazyStorage = () => {
    storage ??= new S3ResponseStorage(
      new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) }),
      settings().bucket,
    );
    return storage;
  };
  const lazyReceipts = () => {
    const signer = settings().receipts;
    receipts ??=
      signer.signer === 'kms'
        ? new KmsReceiptSigner(new KMSClient({}), signer.keyId)
        : new FileReceiptSigner(signer.keyFile);
    return receipts;
  };
  built = new SubmissionService({
    notices: store,
    submissions: new DynamoDbSubmissionStore(doc, config.tableName),
    storage: lazy(lazyStorage),
    receipts: lazy(lazyReceipts),
    clock: now,
    newSubmissionId: () => `sub_${newUlid(now())}`,
  });
  return built;
}

/** Checks at cold start that this function has what it needs to handle responses (bucket and receipt key). */
export function assertSubmissionConfig(): void {
  submissionConfig(dependencies().config);
}

/** An object whose methods build the real one on first call. */
function lazy<T extends object>(build: () => T): T {
  return new Proxy({} as T, {
    get: (_target, property) => {
      const real = build() as Record<PropertyKey, unknown>;
      const value = real[property];
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(real) : value;
    },
  });
}
