import { chmod, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SigningAlgorithm } from '../../lambdas/domain/signing-keys';
import { parseCommandArgs } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import type { Io } from '../io';
import { generateSigningKey } from '../signing';

export const KEYGEN_HELP = `Usage: notice-portal keygen [--alg EdDSA|ES256] [--out key.jwk] [--public-out pub.jwk] [--force] [--json]

Creates the key pair your platform signs its responses with.

  --alg EdDSA|ES256   Ed25519 (default) or ECDSA P-256
  --out FILE          where to write the PRIVATE key (default: key.jwk; created with mode 0600)
  --public-out FILE   also write the public key (JWK) to FILE
  --force             overwrite existing files
  --json              print {"kid", "alg", "jwk"} instead of text

Prints the public key and its key id (the RFC 7638 thumbprint the portal names it by). Keep the private key
secret; send the public key to the regulator, whose admin registers it with
  POST /platforms/{platformId}/signing-keys  {"jwk": <public key>}
`;

export async function keygen(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('keygen', argv, {
    alg: { type: 'string', default: 'EdDSA' },
    out: { type: 'string', default: 'key.jwk' },
    'public-out': { type: 'string' },
    force: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.out(KEYGEN_HELP);
    return EXIT.ok;
  }
  const alg = values.alg === 'Ed25519' ? 'EdDSA' : values.alg === 'P-256' ? 'ES256' : values.alg;
  if (alg !== 'EdDSA' && alg !== 'ES256')
    throw new UsageError(`--alg must be EdDSA or ES256, not "${values.alg}".`, 'keygen');
  const out = resolve(values.out);
  const publicOut = values['public-out'] ? resolve(values['public-out']) : undefined;
  if (publicOut === out) throw new UsageError('--out and --public-out must be different files.', 'keygen');

  const key = await generateSigningKey(alg as SigningAlgorithm);
  await writeNew(out, `${JSON.stringify(key.privateJwk, null, 2)}\n`, 0o600, values.force);
  // The mode given to open() is filtered by the umask and ignored for an existing file: set it explicitly.
  await chmod(out, 0o600);
  if (publicOut) await writeNew(publicOut, `${JSON.stringify(key.publicJwk, null, 2)}\n`, 0o644, values.force);

  if (values.json) {
    io.out(`${JSON.stringify({ kid: key.kid, alg: key.alg, jwk: key.publicJwk })}\n`);
  } else {
    io.out(`kid         ${key.kid}\nalg         ${key.alg}\npublic JWK  ${JSON.stringify(key.publicJwk)}\n`);
  }
  io.err(`Private key written to ${out} (mode 0600): keep it secret, it signs your platform's responses.\n`);
  if (publicOut) io.err(`Public key written to ${publicOut}.\n`);
  io.err('Ask the regulator to register the public key: POST /platforms/{platformId}/signing-keys {"jwk": …}\n');
  return EXIT.ok;
}

async function writeNew(path: string, content: string, mode: number, force: boolean): Promise<void> {
  try {
    await writeFile(path, content, { mode, flag: force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliError(`${path} already exists; pass --force to overwrite it (the old key is then lost).`);
    }
    throw new CliError(`Cannot write ${path}: ${(error as Error).message}`);
  }
}
