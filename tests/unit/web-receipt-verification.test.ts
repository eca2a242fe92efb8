import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { InvalidReceipt, verifyReceipt } from '../../cli/receipt';
import { FileReceiptSigner } from '../../lambdas/adapters/receipt-signers';
import type { ReceiptClaims } from '../../lambdas/domain/submission';
import { checkChosenFiles, sha256OfBlob } from '../../web/src/receipts/file-checks';
import { parseReceiptKeySet, type ReceiptKeySet, verifyReceiptInBrowser } from '../../web/src/receipts/verify-receipt';
import { defined } from '../support/defined';

/**
 * The "Verify a receipt" page checks a receipt with WebCrypto in the browser. These tests hold it to receipts the
 * portal's own signer makes, and to the CLI's verdict (jose) on the same receipt: same outcome, same words.
 */
const LETTER = 'Our response to the notice.\n';
const claims: ReceiptClaims = {
  typ: 'notice-response-receipt',
  receiptNumber: 'NRP-2026-7K3F-9Q2M-XA',
  noticeId: 'ntc_01KAZ0000000000000000000AB',
  submissionId: 'sub_01KAZ0000000000000000000CD',
  platformId: 'x-corp',
  legalBasis: 'Online Safety Act 2021 (Cth) s 56(2)',
  filedAt: '2026-12-01T00:00:00.000Z',
  dueAt: '2026-12-22T12:59:59.999Z',
  dueBasis: { kind: 'rule', setAt: '2026-11-24T03:00:00.000Z', eventSeq: 2 },
  onTime: true,
  files: [
    { name: 'letter.txt', size: LETTER.length, sha256: createHash('sha256').update(LETTER).digest('hex') },
    { name: 'logs.bin', size: 2048, sha256: 'c'.repeat(64) },
  ],
  manifestSha256: 'b'.repeat(64),
  signedBy: { kid: 'platform-kid', name: 'Xavier Counsel', signedAt: '2026-11-30T23:59:00.000Z' },
  issuedAt: '2026-12-01T00:00:01.000Z',
};

let dir: string;
let signer: FileReceiptSigner;
let jwks: ReceiptKeySet;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'web-receipt-'));
  signer = new FileReceiptSigner(join(dir, 'receipt-key.json'));
  jwks = defined(parseReceiptKeySet(await signer.publicJwks()), 'the published keys');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the CLI says about the same receipt: its claims, or the reason it refuses it. */
async function cliVerdict(jws: string, keys: ReceiptKeySet) {
  try {
    return { valid: true, claims: (await verifyReceipt(jws, keys as unknown as JSONWebKeySet)).claims };
  } catch (error) {
    if (!(error instanceof InvalidReceipt)) throw error;
    return { valid: false, reason: error.message, details: error.details?.length ? error.details : undefined };
  }
}

function statuses(result: Awaited<ReturnType<typeof verifyReceiptInBrowser>>) {
  return Object.fromEntries(result.checks.map((c) => [c.id, c.status]));
}

function b64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

describe('verifying a receipt in the browser', () => {
  it('passes every check for a receipt the portal signed, and reads the claims as the CLI does', async () => {
    // Prepare
    const jws = await signer.sign(claims);

    // Act
    const result = await verifyReceiptInBrowser(`${jws}\n`, jwks);

    // Assess
    expect(statuses(result)).toEqual({
      form: 'passed',
      algorithm: 'passed',
      key: 'passed',
      signature: 'passed',
      claims: 'passed',
    });
    expect(result).toMatchObject({ valid: true, claims, header: { alg: 'ES256', typ: 'nrp-receipt+jws' } });
    expect(result.header?.kid).toBe(jwks.keys[0]?.kid);
    expect(await cliVerdict(jws, jwks)).toEqual({ valid: true, claims: result.claims });
  });

  it('refuses a receipt whose payload was altered after signing, as the CLI does', async () => {
    // Prepare
    const [header, , signature] = (await signer.sign(claims)).split('.');
    const forged = `${header}.${b64url(JSON.stringify({ ...claims, onTime: false }))}.${signature}`;

    // Act
    const result = await verifyReceiptInBrowser(forged, jwks);

    // Assess
    expect(statuses(result)).toEqual({
      form: 'passed',
      algorithm: 'passed',
      key: 'passed',
      signature: 'failed',
      claims: 'not-run',
    });
    expect(result.valid).toBe(false);
    expect(result.claims).toBeUndefined();
    expect(result.reason).toContain('the signature does not match');
    expect(await cliVerdict(forged, jwks)).toEqual({ valid: false, reason: result.reason, details: undefined });
  });

  it('refuses a receipt signed by a key the regulator did not publish (the key id is not in the keys)', async () => {
    // Prepare
    const other = new FileReceiptSigner(join(dir, 'other-key.json'));
    const jws = await other.sign(claims);

    // Act
    const result = await verifyReceiptInBrowser(jws, jwks);

    // Assess
    expect(statuses(result)).toMatchObject({ algorithm: 'passed', key: 'failed', signature: 'not-run' });
    expect(result.reason).toContain("none of the regulator's published receipt keys matches");
    expect(await cliVerdict(jws, jwks)).toEqual({ valid: false, reason: result.reason, details: undefined });
  });

  it('refuses a receipt signed by another key that claims the published key id', async () => {
    // Prepare: the other key's signature, with the published key's kid in the header.
    const other = new FileReceiptSigner(join(dir, 'impostor-key.json'));
    const otherJwks = await other.publicJwks();
    const impostorKeys = { keys: [{ ...defined(otherJwks.keys[0], 'the other key'), kid: jwks.keys[0]?.kid }] };
    const [, payload, signature] = (await other.sign(claims)).split('.');
    const header = b64url(JSON.stringify({ alg: 'ES256', kid: jwks.keys[0]?.kid, typ: 'nrp-receipt+jws' }));
    const [, , realSignature] = (await signer.sign(claims)).split('.');
    const forged = `${header}.${payload}.${signature}`;

    // Act
    const result = await verifyReceiptInBrowser(forged, jwks);
    const withImpostorKeys = await verifyReceiptInBrowser(`${header}.${payload}.${realSignature}`, impostorKeys);

    // Assess
    expect(statuses(result)).toMatchObject({ key: 'passed', signature: 'failed' });
    expect(statuses(withImpostorKeys)).toMatchObject({ key: 'passed', signature: 'failed' });
    expect(await cliVerdict(forged, jwks)).toEqual({ valid: false, reason: result.reason, details: undefined });
  });

  it.each([
    ['HS256', 'a symmetric algorithm'],
    ['ES384', 'another curve'],
    ['none', 'no signature at all'],
  ])('refuses a receipt whose header says alg %s (%s), as the CLI does', async (alg) => {
    // Prepare
    const [, payload, signature] = (await signer.sign(claims)).split('.');
    const forged = `${b64url(JSON.stringify({ alg, kid: jwks.keys[0]?.kid }))}.${payload}.${signature}`;

    // Act
    const result = await verifyReceiptInBrowser(forged, jwks);

    // Assess
    expect(statuses(result)).toEqual({
      form: 'passed',
      algorithm: 'failed',
      key: 'not-run',
      signature: 'not-run',
      claims: 'not-run',
    });
    expect(result.reason).toContain('signed with an algorithm other than ES256');
    expect(await cliVerdict(forged, jwks)).toEqual({ valid: false, reason: result.reason, details: undefined });
  });

  it('refuses a signed payload that is not a notice-response receipt, naming the wrong claims as the CLI does', async () => {
    // Prepare: genuinely signed by the receipt key, but the claims of something else.
    const jws = await signer.sign({ ...claims, typ: 'access-token', onTime: 'yes' });

    // Act
    const result = await verifyReceiptInBrowser(jws, jwks);

    // Assess
    expect(statuses(result)).toMatchObject({ signature: 'passed', claims: 'failed' });
    expect(result.details).toEqual([expect.stringMatching(/^typ: /), expect.stringMatching(/^onTime: /)]);
    expect(await cliVerdict(jws, jwks)).toEqual({ valid: false, reason: result.reason, details: result.details });
  });

  it.each([
    ['not a JWS at all', 'hello'],
    ['four parts', 'a.b.c.d'],
    ['a header that is not JSON', `${b64url('{alg')}.e30.AAAA`],
  ])('refuses %s before looking for a key', async (_what, text) => {
    const result = await verifyReceiptInBrowser(text, jwks);
    expect(statuses(result)).toMatchObject({ form: 'failed', algorithm: 'not-run' });
    expect((await cliVerdict(text, jwks)).valid).toBe(false);
  });

  it('accepts as keys only a JWKS with at least one key, as the CLI does', () => {
    expect(parseReceiptKeySet({ keys: [] })).toBeUndefined();
    expect(parseReceiptKeySet([{ kty: 'EC' }])).toBeUndefined();
    expect(parseReceiptKeySet({ keys: ['x'] })).toBeUndefined();
    expect(parseReceiptKeySet({ keys: [{ kty: 'EC' }] })).toEqual({ keys: [{ kty: 'EC' }] });
  });
});

describe("checking the chosen files against the receipt's list", () => {
  const bytes = (n: number) => `${n} B`;

  it('matches a file by name, size and SHA-256; says which listed files were not chosen; flags unlisted ones', async () => {
    // Prepare
    const chosen = [new File([LETTER], 'letter.txt'), new File(['extra'], 'notes.txt')];

    // Act
    const checks = await checkChosenFiles(claims.files, chosen, sha256OfBlob, bytes);

    // Assess
    expect(checks).toEqual([
      { name: 'letter.txt', status: 'matches', size: LETTER.length, sha256: claims.files[0]?.sha256 },
      { name: 'logs.bin', status: 'not-checked' },
      { name: 'notes.txt', status: 'not-listed', problem: 'the receipt lists no file with this name' },
    ]);
  });

  it('refuses a same-size file with other bytes, in the words of the CLI', async () => {
    const edited = new File([LETTER.replace('Our', 'Thy')], 'letter.txt');
    const [check] = await checkChosenFiles(claims.files, [edited], sha256OfBlob, bytes);
    expect(check).toEqual({
      name: 'letter.txt',
      status: 'differs',
      problem: `has SHA-256 ${await sha256OfBlob(edited)}; the receipt says ${claims.files[0]?.sha256}`,
    });
  });

  it('refuses a file of another size without hashing it', async () => {
    const hash = jest.fn(sha256OfBlob);
    const [check] = await checkChosenFiles(claims.files, [new File(['short'], 'letter.txt')], hash, bytes);
    expect(check).toEqual({
      name: 'letter.txt',
      status: 'differs',
      problem: `is 5 B (5 bytes); the receipt says ${LETTER.length} bytes`,
    });
    expect(hash).not.toHaveBeenCalled();
  });
});
