import { SigningKeyService } from '../domain/signing-key-service';
import { now } from './clock';
import { once } from './once';
import { keyLogStore, signingKeyStore } from './stores';

/** Managing platform signing keys: the table alone (neither the bucket nor the receipt key). */
export const signingKeyService = once(
  (): SigningKeyService => new SigningKeyService({ keys: signingKeyStore(), keyLog: keyLogStore(), clock: now }),
);
