import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDbRegulatorKeyLog } from '../adapters/dynamodb-regulator-key-log';
import { FileReceiptSigner, KmsReceiptSigner } from '../adapters/receipt-signers';
import { sdkClientConfig } from '../config/sdk-clients';
import { signingConfig } from '../config/signing';
import { type ActivatedSigner, RegulatorKeyService } from '../domain/regulator-key-service';
import { SIGNATURE_TYPES } from '../domain/signature-types';
import { traced } from '../observability/tracer';
import { now } from './clock';
import { once } from './once';
import { table } from './stores';

/**
 * The regulator's key (KMS on AWS, a key file locally) and its key log. Every signer the portal builds with it goes
 * through `RegulatorKeyService.activated`, so whichever kind of signature a process makes first, the key is in the
 * published log before it is used.
 */
export const regulatorKeyService = once(() => {
  const { doc, tableName } = table();
  return new RegulatorKeyService({ log: new DynamoDbRegulatorKeyLog(doc, tableName), clock: now });
});

const kms = once(() => traced(new KMSClient(sdkClientConfig('kms'))));

function regulatorSigner(type: string): ActivatedSigner {
  const settings = signingConfig();
  const signer =
    settings.signer === 'kms'
      ? new KmsReceiptSigner(kms(), settings.keyId, type)
      : new FileReceiptSigner(settings.keyFile, type);
  return regulatorKeyService().activated(signer);
}

/** Signs receipts (`typ` nrp-receipt+jws). */
export const receiptSigner = once(() => regulatorSigner(SIGNATURE_TYPES.receipt.header));
/** Signs notices as given at issue (`typ` nrp-notice+jws). */
export const noticeSigner = once(() => regulatorSigner(SIGNATURE_TYPES.notice.header));
/** Signs checkpoints (`typ` nrp-checkpoint+jws). */
export const checkpointSigner = once(() => regulatorSigner(SIGNATURE_TYPES.checkpoint.header));
