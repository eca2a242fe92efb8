import { createHash, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { calculateJwkThumbprint, compactVerify, createLocalJWKSet, type JWK } from 'jose';
import {
  ACCESS_TOKEN_TYPE,
  derToJose,
  FileReceiptSigner,
  KmsReceiptSigner,
  RECEIPT_TYPE,
} from '../../lambdas/adapters/receipt-signers';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import type { ReceiptClaims } from '../../lambdas/domain/submission';
import { defined } from '../support/defined';
import { signDigestDer } from '../support/p256-digest-signer';

const claims: ReceiptClaims = {
  typ: 'notice-response-receipt',
  receiptNumber: 'NRP-2026-7K3F-9Q2M-XA',
  noticeId: 'ntc_01KAZ0000000000000000000AB',
  submissionId: 'sub_01KAZ0000000000000000000CD',
  platformId: 'x-corp',
  legalBasis: 'Online Safety Act 2021 (Cth) s 56(2)',
  filedAt: '2026-12-01T00:00:00.000Z',
  dueAt: '2026-12-22T12:59:59.999Z',
  onTime: true,
  files: [{ name: 'response.pdf', size: 1234, sha256: 'a'.repeat(64) }],
  manifestSha256: 'b'.repeat(64),
  signedBy: { kid: 'platform-kid', name: 'Xavier Counsel', signedAt: '2026-11-30T23:59:00.000Z' },
  issuedAt: '2026-12-01T00:00:01.000Z',
};

/** Verifies a compact JWS with a JWKS, as anyone holding /.well-known/receipt-keys.json would. */
async function verifiedWith(jws: string, jwks: { keys: JWK[] }) {
  const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ['ES256'] });
  return { payload: new TextDecoder().decode(payload), protectedHeader };
}

describe('FileReceiptSigner', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'receipt-signer-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs the canonical claims as an ES256 compact JWS that verifies with its public JWKS', async () => {
    // Prepare
    const signer = new FileReceiptSigner(join(dir, 'keys', 'receipt-key.json'));

    // Act
    const jws = await signer.sign(claims);

    // Assess
    const jwks = await signer.publicJwks();
    const { payload, protectedHeader } = await verifiedWith(jws, jwks);
    expect(payload).toBe(canonicalJson(claims));
    expect(protectedHeader).toEqual({
      alg: 'ES256',
      kid: await calculateJwkThumbprint(defined(jwks.keys[0], 'the published key')),
      typ: RECEIPT_TYPE,
    });
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('keeps the same key for every signer on the same file', async () => {
    // Prepare
    const file = join(dir, 'receipt-key.json');
    const first = new FileReceiptSigner(file);
    const firstJwks = await first.publicJwks();

    // Act
    const jws = await new FileReceiptSigner(file).sign(claims);

    // Assess
    expect(await new FileReceiptSigner(file).publicJwks()).toEqual(firstJwks);
    expect((await verifiedWith(jws, firstJwks)).payload).toBe(canonicalJson(claims));
  });

  it('writes the private key file readable by its owner only', async () => {
    // Prepare
    const file = join(dir, 'nested', 'receipt-key.json');
    const signer = new FileReceiptSigner(file);

    // Act
    await signer.publicJwks();

    // Assess
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('d');
  });

  it('puts the type it was made with in the header (access tokens)', async () => {
    // Prepare
    const signer = new FileReceiptSigner(join(dir, 'token-key.json'), ACCESS_TOKEN_TYPE);

    // Act
    const jws = await signer.sign({ sub: 'client-1' });

    // Assess
    const { protectedHeader } = await verifiedWith(jws, await signer.publicJwks());
    expect(protectedHeader.typ).toBe('at+jwt');
  });
});

describe('derToJose', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  /** The two INTEGERs of a DER ECDSA-Sig-Value, as they are encoded (with any leading zero byte). */
  function integersOf(der: Buffer): [Buffer, Buffer] {
    const rLength = defined(der[3], 'the length of r');
    const r = der.subarray(4, 4 + rLength);
    const sLength = defined(der[4 + rLength + 1], 'the length of s');
    const s = der.subarray(4 + rLength + 2, 4 + rLength + 2 + sLength);
    return [r, s];
  }

  /** Signs fresh messages until a DER signature matches `wanted`. */
  function derSignatureWhere(wanted: (r: Buffer, s: Buffer) => boolean) {
    for (let i = 0; i < 20_000; i++) {
      const message = Buffer.from(`receipt ${i}`);
      const der = sign('sha256', message, { key: privateKey, dsaEncoding: 'der' });
      const [r, s] = integersOf(der);
      if (wanted(r, s)) return { message, der, r, s };
    }
    throw new Error('no such signature found');
  }

  const value = (bytes: Buffer) => BigInt(`0x${bytes.toString('hex') || '0'}`);

  it.each([
    ['integers of exactly 32 bytes', (r: Buffer, s: Buffer) => r.length === 32 && s.length === 32],
    [
      'an integer with a leading zero byte (high bit set)',
      (r: Buffer, s: Buffer) => r.length === 33 || s.length === 33,
    ],
    ['an integer shorter than 32 bytes', (r: Buffer, s: Buffer) => r.length < 32 || s.length < 32],
  ])('turns a DER signature with %s into the 64-byte r‖s that verifies as ieee-p1363', (_what, wanted) => {
    // Prepare
    const { message, der, r, s } = derSignatureWhere(wanted);

    // Act
    const jose = derToJose(der);

    // Assess
    expect(jose).toHaveLength(64);
    expect(value(jose.subarray(0, 32))).toBe(value(r));
    expect(value(jose.subarray(32))).toBe(value(s));
    expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, jose)).toBe(true);
  });

  it('refuses bytes that are not a DER signature', () => {
    // Prepare
    const p1363 = sign('sha256', Buffer.from('receipt'), { key: privateKey, dsaEncoding: 'ieee-p1363' });

    // Act
    const attempt = () => derToJose(Buffer.concat([Buffer.from([0x31]), p1363]));

    // Assess
    expect(attempt).toThrow(/Not a DER signature/);
  });
});

describe('the fake KMS used below', () => {
  it('signs a precomputed SHA-256 digest as ECDSA_SHA_256 with MessageType DIGEST does', () => {
    // Prepare
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const message = Buffer.from('header.payload');
    const digest = createHash('sha256').update(message).digest();

    // Act
    const der = signDigestDer(digest, privateKey.export({ format: 'jwk' }).d as string);

    // Assess
    expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
  });
});

describe('KmsReceiptSigner', () => {
  /** A KMSClient stand-in holding one P-256 key: Sign returns DER, GetPublicKey the SPKI DER, as KMS does. */
  class FakeKms {
    readonly calls: { command: string; input: Record<string, unknown> }[] = [];

    constructor(
      private readonly privateKey: KeyObject,
      private readonly publicKey: KeyObject,
    ) {}

    async send(command: SignCommand | GetPublicKeyCommand) {
      this.calls.push({ command: command.constructor.name, input: { ...command.input } });
      if (command instanceof SignCommand) {
        const d = this.privateKey.export({ format: 'jwk' }).d as string;
        return { KeyId: command.input.KeyId, Signature: new Uint8Array(signDigestDer(command.input.Message!, d)) };
      }
      return {
        KeyId: command.input.KeyId,
        KeySpec: 'ECC_NIST_P256',
        PublicKey: new Uint8Array(this.publicKey.export({ format: 'der', type: 'spki' })),
      };
    }
  }

  function kmsSigner() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kms = new FakeKms(privateKey, publicKey);
    const signer = new KmsReceiptSigner(kms as unknown as KMSClient, 'alias/receipts');
    return { kms, signer, publicKey };
  }

  it('produces a receipt that verifies with its own public JWKS', async () => {
    // Prepare
    const { signer, publicKey } = kmsSigner();

    // Act
    const jws = await signer.sign(claims);

    // Assess
    const jwks = await signer.publicJwks();
    const { payload, protectedHeader } = await verifiedWith(jws, jwks);
    expect(payload).toBe(canonicalJson(claims));
    const exported = publicKey.export({ format: 'jwk' });
    expect(jwks.keys).toEqual([
      {
        kty: 'EC',
        crv: 'P-256',
        x: exported.x,
        y: exported.y,
        kid: await calculateJwkThumbprint(exported as JWK),
        alg: 'ES256',
        use: 'sig',
      },
    ]);
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: jwks.keys[0]!.kid, typ: RECEIPT_TYPE });
  });

  it('asks KMS to sign the SHA-256 digest of the signing input, and fetches the public key once', async () => {
    // Prepare
    const { kms, signer } = kmsSigner();

    // Act
    const first = await signer.sign(claims);
    await signer.sign({ ...claims, onTime: false });
    await signer.publicJwks();

    // Assess
    const [header, payload] = first.split('.');
    const signs = kms.calls.filter((c) => c.command === 'SignCommand');
    expect(signs).toHaveLength(2);
    expect(signs[0]!.input).toEqual({
      KeyId: 'alias/receipts',
      Message: createHash('sha256').update(`${header}.${payload}`).digest(),
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    expect(kms.calls.filter((c) => c.command === 'GetPublicKeyCommand')).toHaveLength(1);
  });
});
