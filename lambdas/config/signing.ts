import { once } from '../runtime/once';
import { ENV } from './env';
import { parseSignerSettings, type SignerSettings } from './signer-settings';

/** Who signs the regulator's receipts. */
export type SigningConfig = SignerSettings;

export function parseSigningConfig(env: NodeJS.ProcessEnv): SigningConfig {
  return parseSignerSettings(env, {
    signer: ENV.receiptSigner,
    kmsKeyId: ENV.receiptKmsKeyId,
    keyFile: ENV.receiptKeyFile,
  });
}

/** The receipt signer's settings of this process, parsed on first use. */
export const signingConfig = once(() => parseSigningConfig(process.env));
