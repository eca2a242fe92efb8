import * as z from '../domain/zod';
import { parseEnvironment, requiredWhen } from './env';

/** A signing key: in KMS on AWS, or in a local ES256 key file (local portal). */
export type SignerSettings = { signer: 'kms'; keyId: string } | { signer: 'file'; keyFile: string };

/**
 * Reads one signer's three variables (receipts and machine tokens each have their own): `<signer>` is `kms` or
 * `file`, and the key id is required when it is `kms`.
 */
export function parseSignerSettings(
  env: NodeJS.ProcessEnv,
  names: { signer: string; kmsKeyId: string; keyFile: string },
): SignerSettings {
  // No default: a deployed function that lost its setting must stop, not quietly sign with a key file (fail closed).
  const e = parseEnvironment(
    z.object({
      [names.signer]: z.enum(['kms', 'file']),
      [names.kmsKeyId]: z.optional(z.string().check(z.minLength(1))),
      [names.keyFile]: z.optional(z.string().check(z.minLength(1))),
    }),
    env,
  ) as Record<string, string | undefined>;
  if (e[names.signer] === 'file') {
    const keyFile = e[names.keyFile];
    if (!keyFile) throw requiredWhen(names.keyFile, `${names.signer}=file`);
    return { signer: 'file', keyFile };
  }
  const keyId = e[names.kmsKeyId];
  if (!keyId) throw requiredWhen(names.kmsKeyId, `${names.signer}=kms`);
  return { signer: 'kms', keyId };
}
