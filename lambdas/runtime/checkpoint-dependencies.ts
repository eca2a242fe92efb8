import { KMSClient } from '@aws-sdk/client-kms';
import { FileReceiptSigner, KmsReceiptSigner } from '../adapters/receipt-signers';
import { signingConfig } from '../config/signing';
import type { CheckpointSigner } from '../domain/checkpoint-runner';
import { CheckpointRunner } from '../domain/checkpoint-runner';
import { SIGNATURE_TYPES } from '../domain/signature-types';
import { now } from './clock';
import { once } from './once';
import { checkpointStore } from './stores';

/**
 * What only the checkpoint run needs: the regulator's key (the one that signs receipts and notices), signing with
 * the checkpoint `typ` so a checkpoint can never pass for a receipt. Kept apart so the API functions' bundles and
 * permissions carry no signer they do not use.
 */
const checkpointSigner = once((): CheckpointSigner => {
  const settings = signingConfig();
  const typ = SIGNATURE_TYPES.checkpoint.header;
  return settings.signer === 'kms'
    ? new KmsReceiptSigner(new KMSClient({}), settings.keyId, typ)
    : new FileReceiptSigner(settings.keyFile, typ);
});

export const checkpointRunner = once(
  (): CheckpointRunner => new CheckpointRunner({ store: checkpointStore(), signer: checkpointSigner(), clock: now }),
);
