import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signManifest as cliSign, generateSigningKey, type LoadedSigningKey, loadSigningKey } from '../../cli/signing';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import { ValidationFailed } from '../../lambdas/domain/errors';
import {
  PublicJwkSchema,
  parsePublicKey,
  type SigningAlgorithm,
  type SigningKey,
  SigningKeySchema,
} from '../../lambdas/domain/signing-keys';
import { type Manifest, ManifestSchema, verifyManifestSignature } from '../../lambdas/domain/submission';
import { closeSigningDb } from '../../web/src/signing/indexed-db';
import { signManifest as browserSign, verifyDetachedSignature } from '../../web/src/signing/jws';
import { createKey, listKeys, removeKey, saveKey } from '../../web/src/signing/key-store';
import { buildManifest, type ManifestInputs } from '../../web/src/signing/manifest';
import { checkAgainstRegisteredKeys } from '../../web/src/signing/registered-key-check';
import { readSignedResponse, saveSignedResponse, signedResponseKey } from '../../web/src/signing/signed-response-store';
import { type BrowserSigningKey, generateBrowserKey, importCliPrivateKey } from '../../web/src/signing/signing-key';

/**
 * The browser's signing modules (web/src/signing) run here on Node's WebCrypto — the same `crypto.subtle` API the
 * browser has — with fake-indexeddb as the key store. What they make must be exactly what the CLI makes and what
 * the portal's own verifier accepts, in both directions.
 */
let dir: string;
const memory = new Map<string, string>();
beforeAll(() => {
  // sessionStorage as the browser has it (one tab's), for the sign step's hand-over to the file step.
  Object.assign(globalThis, {
    sessionStorage: {
      getItem: (k: string) => memory.get(k) ?? null,
      setItem: (k: string, v: string) => void memory.set(k, v),
      removeItem: (k: string) => void memory.delete(k),
    },
  });
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'web-signing-'));
  memory.clear();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  closeSigningDb();
});

const NOTICE_ID = 'ntc_01JZ8Q4W5X6Y7Z8A9B0C1D2E3F';
const SUBMISSION_ID = 'sub_01JZ8Q4W5X6Y7Z8A9B0C1D2E3G';

/** A notice, its open submission and a draft, as the API returns them; the draft lists answers out of order. */
function inputs(overrides: Partial<ManifestInputs> = {}): ManifestInputs {
  return {
    notice: { id: NOTICE_ID, requirements: { questions: [{ number: '1' }, { number: '2' }, { number: '3(a)' }] } },
    submission: {
      submissionId: SUBMISSION_ID,
      // The API lists files by index; shuffled here so the order is shown to come from the index.
      files: [
        { index: 1, name: 'données — été.csv', size: 99, declaredSha256: 'b'.repeat(64) },
        { index: 0, name: 'report.pdf', size: 1234, declaredSha256: 'a'.repeat(64) },
      ],
    },
    answers: [
      { question: '3(a)', answer: 'Reports are triaged within 24 hours.\nEscalations within 1.' },
      { question: '1', answer: 'We hash-match uploads against known material ✓.' },
      {
        question: '2',
        answer: 'kept while drafting',
        cannotAnswer: { reason: 'We do not record the time to action.' },
      },
    ],
    signer: { name: ' Xavier Counsel ', title: 'General Counsel', email: '' },
    signedAt: '2026-03-02T01:02:03.456Z',
    ...overrides,
  };
}

/** The manifest the CLI builds for the same response (cli/commands/submit/filing.ts, options.ts). */
const cliManifest: Manifest = {
  noticeId: NOTICE_ID,
  submissionId: SUBMISSION_ID,
  files: [
    { name: 'report.pdf', size: 1234, sha256: 'a'.repeat(64) },
    { name: 'données — été.csv', size: 99, sha256: 'b'.repeat(64) },
  ],
  answers: [
    { question: '1', answer: 'We hash-match uploads against known material ✓.' },
    { question: '2', cannotAnswer: { reason: 'We do not record the time to action.' } },
    { question: '3(a)', answer: 'Reports are triaged within 24 hours.\nEscalations within 1.' },
  ],
  signer: { name: 'Xavier Counsel', title: 'General Counsel' },
  signedAt: '2026-03-02T01:02:03.456Z',
};

function registered(kid: string, alg: SigningAlgorithm, jwk: unknown, extra: Partial<SigningKey> = {}): SigningKey {
  return SigningKeySchema.parse({
    kid,
    platformId: 'x-corp',
    alg,
    jwk,
    validFrom: '2026-01-01T00:00:00.000Z',
    registeredAt: '2026-01-01T00:00:00.000Z',
    registeredBy: { subject: 'admin', name: 'Ada Admin', role: 'regulator-admin' },
    ...extra,
  });
}

const findKeyIn = (key: SigningKey) => async (kid: string) => (kid === key.kid ? key : undefined);

/** A CLI key file (`notice-portal keygen`), loaded by the CLI, and the same file imported by the browser. */
async function cliKeyAndBrowserImport(
  alg: SigningAlgorithm,
): Promise<{ cli: LoadedSigningKey; browser: BrowserSigningKey }> {
  const generated = await generateSigningKey(alg);
  const file = join(dir, `${alg}.jwk`);
  writeFileSync(file, JSON.stringify(generated.privateJwk, null, 2));
  return { cli: await loadSigningKey(file), browser: await importCliPrivateKey(JSON.stringify(generated.privateJwk)) };
}

describe('the manifest the browser signs', () => {
  it('is byte for byte the manifest the CLI builds for the same inputs', () => {
    const manifest = buildManifest(inputs());
    expect(canonicalJson(manifest)).toBe(canonicalJson(cliManifest));
    expect(ManifestSchema.parse(manifest)).toEqual(manifest);
  });

  it('omits empty optional signer members and normalises signedAt to an ISO instant with milliseconds', () => {
    const manifest = buildManifest(
      inputs({ signer: { name: 'Ann', title: '', email: '' }, signedAt: '2026-03-02T01:02:03Z' }),
    );
    expect(manifest.signer).toEqual({ name: 'Ann' });
    expect(Object.keys(manifest.signer)).toEqual(['name']);
    expect(manifest.signedAt).toBe('2026-03-02T01:02:03.000Z');
  });
});

describe.each<SigningAlgorithm>(['EdDSA', 'ES256'])('signing with %s', (alg) => {
  it('makes a signature the portal verifies (verifyManifestSignature) with the registered public key', async () => {
    const key = await generateBrowserKey(alg);
    const manifest = buildManifest(inputs());
    const jws = await browserSign(manifest, key);
    const registration = registered(key.kid, alg, key.publicJwk);
    await expect(
      verifyManifestSignature({ manifest, signature: jws, findKey: findKeyIn(registration) }),
    ).resolves.toEqual({
      kid: key.kid,
    });
    // The header is exactly the CLI's: {"alg":…,"kid":…} and nothing else, in that order.
    const header = Buffer.from(jws.split('.')[0] as string, 'base64url').toString('utf8');
    expect(header).toBe(`{"alg":"${alg}","kid":"${key.kid}"}`);
    expect(jws.split('.')[1]).toBe('');
  });

  it('verifies a signature the CLI made (cli/signing.ts) with the browser verifier, and the CLI key imported', async () => {
    const { cli, browser } = await cliKeyAndBrowserImport(alg);
    expect(browser.kid).toBe(cli.kid);
    expect(browser.publicJwk).toEqual(cli.publicJwk);
    expect(browser.privateKey.extractable).toBe(false);
    const cliJws = await cliSign(cliManifest, cli);
    await expect(verifyDetachedSignature(cliManifest, cliJws, cli.publicJwk)).resolves.toEqual({
      ok: true,
      kid: cli.kid,
      alg,
    });
    // …and a browser signature with the imported key passes the portal's check against the CLI's public key.
    const browserJws = await browserSign(buildManifest(inputs()), browser);
    await expect(
      verifyManifestSignature({
        manifest: cliManifest,
        signature: browserJws,
        findKey: findKeyIn(registered(cli.kid, alg, cli.publicJwk)),
      }),
    ).resolves.toEqual({ kid: cli.kid });
    if (alg === 'EdDSA') expect(browserJws).toBe(cliJws); // Ed25519 is deterministic: same key, same bytes
  });

  it('refuses a tampered manifest, another key, and a changed header', async () => {
    const key = await generateBrowserKey(alg);
    const other = await generateBrowserKey(alg);
    const manifest = buildManifest(inputs());
    const jws = await browserSign(manifest, key);
    const tampered = {
      ...manifest,
      files: [{ ...manifest.files[0], size: 1235 } as Manifest['files'][number], ...manifest.files.slice(1)],
    };
    const refused = await verifyDetachedSignature(tampered, jws, key.publicJwk);
    expect(refused).toEqual({ ok: false, problem: expect.stringContaining('does not match this manifest') });
    await expect(
      verifyManifestSignature({
        manifest: tampered,
        signature: jws,
        findKey: findKeyIn(registered(key.kid, alg, key.publicJwk)),
      }),
    ).rejects.toBeInstanceOf(ValidationFailed);
    expect(await verifyDetachedSignature(manifest, jws, other.publicJwk)).toEqual({
      ok: false,
      problem: `The signature was made with key ${key.kid}, not ${other.kid}.`,
    });
    const [, , sig] = jws.split('.');
    const withB64 = `${Buffer.from(JSON.stringify({ alg, kid: key.kid, b64: false })).toString('base64url')}..${sig}`;
    expect(await verifyDetachedSignature(manifest, withB64, key.publicJwk)).toEqual({
      ok: false,
      problem: expect.stringContaining('extensions'),
    });
    expect(await verifyDetachedSignature(manifest, jws.replace('..', '.e30.'), key.publicJwk)).toEqual({
      ok: false,
      problem: expect.stringContaining('not a detached JWS'),
    });
  });

  it('exports a public JWK with only kty, crv, x[, y], which the portal registers as it is', async () => {
    const key = await generateBrowserKey(alg);
    expect(Object.keys(key.publicJwk).sort()).toEqual(alg === 'EdDSA' ? ['crv', 'kty', 'x'] : ['crv', 'kty', 'x', 'y']);
    expect(key.publicJwk).not.toHaveProperty('ext');
    expect(key.publicJwk).not.toHaveProperty('key_ops');
    expect(PublicJwkSchema.parse(key.publicJwk)).toEqual(key.publicJwk);
    // What the admin's "Register a signing key" sends is checked by parsePublicKey: same key, same kid as here.
    await expect(parsePublicKey(key.publicJwk)).resolves.toEqual({ jwk: key.publicJwk, kid: key.kid, alg });
    expect(key.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', key.privateKey)).rejects.toThrow();
  });
});

describe('an attached signature checked against the registered keys', () => {
  it('passes when made with a registered, usable key for exactly this manifest', async () => {
    const { cli } = await cliKeyAndBrowserImport('EdDSA');
    const jws = await cliSign(cliManifest, cli);
    const keys = [registered(cli.kid, 'EdDSA', cli.publicJwk)];
    await expect(checkAgainstRegisteredKeys(cliManifest, jws, keys)).resolves.toEqual({
      ok: true,
      kid: cli.kid,
      alg: 'EdDSA',
    });
  });

  it('names an unregistered key, a revoked key, and a signature for another signedAt', async () => {
    const { cli } = await cliKeyAndBrowserImport('ES256');
    const jws = await cliSign(cliManifest, cli);
    expect(await checkAgainstRegisteredKeys(cliManifest, jws, [])).toEqual({
      ok: false,
      problem: expect.stringContaining('not registered for your platform'),
    });
    const revoked = registered(cli.kid, 'ES256', cli.publicJwk, { revocationEffectiveAt: '2026-02-01T00:00:00.000Z' });
    expect(await checkAgainstRegisteredKeys(cliManifest, jws, [revoked])).toEqual({
      ok: false,
      problem: expect.stringContaining('revoked'),
    });
    const later = { ...cliManifest, signedAt: '2026-03-02T01:05:00.000Z' };
    expect(await checkAgainstRegisteredKeys(later, jws, [registered(cli.kid, 'ES256', cli.publicJwk)])).toEqual({
      ok: false,
      problem: expect.stringContaining('does not match this manifest'),
    });
  });
});

describe('the key store', () => {
  const owner = { subject: 'user-1', platformId: 'x-corp' };

  it('keeps non-extractable keys per user and platform, usable after reading them back', async () => {
    const { key, fellBackBecause } = await createKey(owner, new Date('2026-03-01T00:00:00.000Z'));
    expect(key.alg).toBe('EdDSA'); // Node can make and store Ed25519, so there is no fallback here
    expect(fellBackBecause).toBeUndefined();
    const imported = await importCliPrivateKey(JSON.stringify((await generateSigningKey('ES256')).privateJwk));
    await saveKey(owner, imported);
    await saveKey({ subject: 'user-2', platformId: 'x-corp' }, await generateBrowserKey('EdDSA'));

    closeSigningDb(); // as a new tab would
    const kept = await listKeys(owner);
    expect(kept.map((k) => k.kid).sort()).toEqual([key.kid, imported.kid].sort());
    const stored = kept.find((k) => k.kid === key.kid) as BrowserSigningKey;
    expect(stored.privateKey.extractable).toBe(false);
    const manifest = buildManifest(inputs());
    const jws = await browserSign(manifest, stored);
    await expect(verifyDetachedSignature(manifest, jws, key.publicJwk)).resolves.toMatchObject({ ok: true });

    await removeKey(owner, key.kid);
    expect((await listKeys(owner)).map((k) => k.kid)).toEqual([imported.kid]);
  });

  it('falls back to P-256 where the browser cannot make Ed25519 keys', async () => {
    const subtle = globalThis.crypto.subtle;
    const real = subtle.generateKey.bind(subtle);
    const spy = jest
      .spyOn(subtle, 'generateKey')
      .mockImplementation(((algorithm: { name: string }, ...rest: never[]) =>
        algorithm.name === 'Ed25519'
          ? Promise.reject(new DOMException('Unrecognized algorithm name', 'NotSupportedError'))
          : (real as (...args: unknown[]) => Promise<unknown>)(algorithm, ...rest)) as typeof subtle.generateKey);
    const owner = { subject: 'no-ed25519', platformId: 'x-corp' };
    try {
      const { key, fellBackBecause } = await createKey(owner);
      expect(key.alg).toBe('ES256');
      expect(fellBackBecause).toBe('this browser cannot make Ed25519 keys (NotSupportedError)');
      expect((await listKeys(owner)).map((k) => k.kid)).toEqual([key.kid]);
    } finally {
      spy.mockRestore();
    }
  });

  it('falls back to P-256 where the browser makes Ed25519 keys but cannot store them (DataCloneError)', async () => {
    const store = (globalThis as unknown as { IDBObjectStore: { prototype: { put: (v: unknown) => unknown } } })
      .IDBObjectStore.prototype;
    const realPut = store.put;
    const spy = jest.spyOn(store, 'put').mockImplementation(function (this: unknown, value: unknown) {
      if ((value as { alg?: string }).alg === 'EdDSA') throw new DOMException('could not be cloned', 'DataCloneError');
      return realPut.call(this, value);
    });
    const owner = { subject: 'cannot-store-ed25519', platformId: 'x-corp' };
    try {
      const { key, fellBackBecause } = await createKey(owner);
      expect(key.alg).toBe('ES256');
      expect(fellBackBecause).toBe('this browser cannot store Ed25519 keys (DataCloneError)');
      expect((await listKeys(owner)).map((k) => k.alg)).toEqual(['ES256']);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a public key file, and a file that is not a key, with what to choose instead', async () => {
    const generated = await generateSigningKey('EdDSA');
    await expect(importCliPrivateKey(JSON.stringify(generated.publicJwk))).rejects.toThrow(/private key file/);
    await expect(importCliPrivateKey('not json')).rejects.toThrow(/not JSON/);
    await expect(importCliPrivateKey(JSON.stringify({ kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'AQAB' }))).rejects.toThrow(
      /Ed25519.*P-256/,
    );
  });

  it('hands the signed response to the file step in sessionStorage and IndexedDB', async () => {
    const signed = { manifest: cliManifest, signature: 'eyJ..c2ln' };
    await saveSignedResponse(NOTICE_ID, SUBMISSION_ID, signed);
    expect(JSON.parse(memory.get(signedResponseKey(NOTICE_ID, SUBMISSION_ID)) as string)).toEqual(signed);
    memory.clear(); // the tab was closed
    await expect(readSignedResponse(NOTICE_ID, SUBMISSION_ID)).resolves.toEqual(signed);
  });
});
