import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, importSPKI, type JWK } from 'jose';
import { canonicalJson } from '../domain/canonical-json';
import type { ReceiptClaims, ReceiptSigner } from '../domain/submission';

/**
 * ES256 signers backed by a key the portal holds: the regulator's receipt key, and the key of the portal's own
 * access tokens for machine clients (same mechanism, separate keys).
 *
 * The regulator's receipt key. Receipts are compact JWS (ES256) whose payload is the RFC 8785 canonical JSON of
 * the claims, with `kid` = RFC 7638 thumbprint of the public key, so anyone holding the JWKS can verify one offline.
 */
export const RECEIPT_TYPE = 'nrp-receipt+jws';
/** RFC 9068's type for JWT access tokens (the portal's machine-client tokens). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/**
 * Key files being created in this process, by path: the receipt and notice signers share one regulator key file,
 * and two signers making it at once must not each write a different key.
 */
const creating = new Map<string, Promise<JWK>>();

/** Locally: an ES256 key kept in the data folder (created on first use). */
export class FileReceiptSigner implements ReceiptSigner {
  private key?: Promise<{ privateJwk: JWK; publicJwk: JWK }>;

  constructor(
    private readonly keyFile: string,
    private readonly type: string = RECEIPT_TYPE,
  ) {}

  async sign(claims: ReceiptClaims | Record<string, unknown>): Promise<string> {
    const { privateJwk, publicJwk } = await this.load();
    return new CompactSign(new TextEncoder().encode(canonicalJson(claims)))
      .setProtectedHeader({ alg: 'ES256', kid: publicJwk.kid, typ: this.type })
      .sign(await importJWK(privateJwk, 'ES256'));
  }

  async publicJwks(): Promise<{ keys: JWK[] }> {
    return { keys: [(await this.load()).publicJwk] };
  }

  private load() {
    this.key ??= (async () => {
      const privateJwk = existsSync(this.keyFile)
        ? (JSON.parse(readFileSync(this.keyFile, 'utf8')) as JWK)
        : await this.create();
      const { d: _private, ...publicJwk } = privateJwk;
      return { privateJwk, publicJwk };
    })();
    return this.key;
  }

  private create(): Promise<JWK> {
    let pending = creating.get(this.keyFile);
    if (!pending) {
      pending = (async () => {
        const { privateKey } = await generateKeyPair('ES256', { extractable: true });
        const privateJwk = await exportJWK(privateKey);
        const { d: _private, ...bare } = privateJwk;
        const kid = await calculateJwkThumbprint(bare);
        Object.assign(privateJwk, { kid, alg: 'ES256', use: 'sig' });
        mkdirSync(dirname(this.keyFile), { recursive: true });
        writeFileSync(this.keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
        return privateJwk;
      })().finally(() => creating.delete(this.keyFile));
      creating.set(this.keyFile, pending);
    }
    return pending;
  }
}

/**
 * On AWS: an asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY). The private key never leaves KMS; the function may
 * only call kms:Sign and kms:GetPublicKey on it.
 */
export class KmsReceiptSigner implements ReceiptSigner {
  private publicKey?: Promise<JWK>;

  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
    private readonly type: string = RECEIPT_TYPE,
  ) {}

  async sign(claims: ReceiptClaims | Record<string, unknown>): Promise<string> {
    const jwk = await this.publicJwk();
    const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: jwk.kid, typ: this.type })).toString('base64url');
    const payload = Buffer.from(canonicalJson(claims), 'utf8').toString('base64url');
    const digest = createHash('sha256').update(`${header}.${payload}`).digest();
    const out = await this.kms.send(
      new SignCommand({ KeyId: this.keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    if (!out.Signature) throw new Error('KMS returned no signature');
    return `${header}.${payload}.${derToJose(Buffer.from(out.Signature)).toString('base64url')}`;
  }

  async publicJwks(): Promise<{ keys: JWK[] }> {
    return { keys: [await this.publicJwk()] };
  }

  private publicJwk(): Promise<JWK> {
    this.publicKey ??= (async () => {
      const out = await this.kms.send(new GetPublicKeyCommand({ KeyId: this.keyId }));
      if (!out.PublicKey) throw new Error('KMS returned no public key');
      const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(out.PublicKey).toString('base64')}\n-----END PUBLIC KEY-----`;
      const jwk = await exportJWK(await importSPKI(pem, 'ES256', { extractable: true }));
      return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'ES256', use: 'sig' };
    })();
    return this.publicKey;
  }
}

/** KMS returns an ASN.1 DER ECDSA signature; JWS wants the raw 64-byte r‖s. */
export function derToJose(der: Buffer): Buffer {
  const byteAt = (index: number): number => {
    const byte = der[index];
    if (byte === undefined) throw new Error('Malformed DER signature');
    return byte;
  };
  let offset = 2;
  if (der[0] !== 0x30) throw new Error('Not a DER signature');
  const sequenceLength = byteAt(1);
  if (sequenceLength & 0x80) offset += sequenceLength & 0x7f;
  const readInt = () => {
    if (der[offset] !== 0x02) throw new Error('Malformed DER signature');
    const length = byteAt(offset + 1);
    let value = der.subarray(offset + 2, offset + 2 + length);
    offset += 2 + length;
    while (value.length > 32 && value[0] === 0) value = value.subarray(1);
    const padded = Buffer.alloc(32);
    value.copy(padded, 32 - value.length);
    return padded;
  };
  const r = readInt();
  const s = readInt();
  return Buffer.concat([r, s]);
}
