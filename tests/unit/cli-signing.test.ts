import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, decodeProtectedHeader, type JWK } from 'jose';
import { keygen } from '../../cli/commands/keygen';
import { sha256File } from '../../cli/file-hash';
import { memoryIo } from '../../cli/io';
import { generateSigningKey, type LoadedSigningKey, loadSigningKey, signManifest } from '../../cli/signing';
import { partRange, planParts } from '../../cli/upload-state';
import { ValidationFailed } from '../../lambdas/domain/errors';
import { type SigningAlgorithm, type SigningKey, SigningKeySchema } from '../../lambdas/domain/signing-keys';
import { type Manifest, verifyManifestSignature } from '../../lambdas/domain/submission';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-signing-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    noticeId: 'ntc_01JZ8Q4W5X6Y7Z8A9B0C1D2E3F',
    submissionId: 'sub_01JZ8Q4W5X6Y7Z8A9B0C1D2E3G',
    files: [
      { name: 'report.pdf', size: 1234, sha256: 'a'.repeat(64) },
      { name: 'données — été.csv', size: 99, sha256: 'b'.repeat(64) },
    ],
    answers: [
      { question: '1', answer: 'We hash-match uploads against known material ✓.' },
      { question: '2', cannotAnswer: { reason: 'We do not record the time to action per report.' } },
    ],
    signer: { name: 'Xavier Counsel', title: 'General Counsel' },
    signedAt: '2026-03-02T01:02:03.456Z',
    ...overrides,
  };
}

/** A key as the portal stores it once a regulator admin registered its public half for x-corp. */
async function registeredKeyFor(alg: SigningAlgorithm): Promise<{ key: LoadedSigningKey; registered: SigningKey }> {
  const generated = await generateSigningKey(alg);
  const file = join(dir, `${alg}.jwk`);
  writeFileSync(file, JSON.stringify(generated.privateJwk));
  const key = await loadSigningKey(file);
  const registered = SigningKeySchema.parse({
    kid: key.kid,
    platformId: 'x-corp',
    alg,
    jwk: key.publicJwk,
    validFrom: '2026-01-01T00:00:00.000Z',
    registeredAt: '2026-01-01T00:00:00.000Z',
    registeredBy: { subject: 'admin', name: 'Ada Admin', role: 'regulator-admin' },
  });
  return { key, registered };
}

const findKeyIn = (registered: SigningKey) => async (kid: string) => (kid === registered.kid ? registered : undefined);

describe.each(['EdDSA', 'ES256'] as const)('a manifest signed with an %s key', (alg) => {
  it("verifies with the portal's own verifyManifestSignature", async () => {
    const { key, registered } = await registeredKeyFor(alg);
    const signed = manifest();

    const signature = await signManifest(signed, key);
    const result = await verifyManifestSignature({ manifest: signed, signature, findKey: findKeyIn(registered) });

    expect(result).toEqual({ kid: registered.kid });
    expect(signature).toMatch(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/);
    expect(decodeProtectedHeader(signature)).toEqual({ alg, kid: registered.kid });
  });

  it('is refused once the manifest is changed after signing', async () => {
    const { key, registered } = await registeredKeyFor(alg);
    const signature = await signManifest(manifest(), key);
    const tampered = manifest({ files: [{ name: 'report.pdf', size: 1234, sha256: 'c'.repeat(64) }] });

    const verifying = verifyManifestSignature({ manifest: tampered, signature, findKey: findKeyIn(registered) });

    await expect(verifying).rejects.toBeInstanceOf(ValidationFailed);
    await expect(verifying).rejects.toMatchObject({
      issues: [{ path: 'signature', message: expect.stringMatching(/does not match the manifest/) }],
    });
  });
});

it('is refused when signed by a key other than the registered one with the same kid', async () => {
  const { registered } = await registeredKeyFor('EdDSA');
  const { key: other } = await registeredKeyFor('EdDSA');
  const signature = await signManifest(manifest(), { ...other, kid: registered.kid });

  await expect(
    verifyManifestSignature({ manifest: manifest(), signature, findKey: findKeyIn(registered) }),
  ).rejects.toBeInstanceOf(ValidationFailed);
});

describe('keygen', () => {
  it.each(['EdDSA', 'ES256'])(
    'writes an %s private key readable only by its owner, named by the thumbprint of its public part',
    async (alg) => {
      const out = join(dir, 'key.jwk');
      const publicOut = join(dir, 'pub.jwk');
      const io = memoryIo();

      const code = await keygen(['--alg', alg, '--out', out, '--public-out', publicOut, '--json'], io);

      expect(code).toBe(0);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      const privateJwk = JSON.parse(readFileSync(out, 'utf8'));
      const publicJwk = JSON.parse(readFileSync(publicOut, 'utf8'));
      const { d, alg: _alg, kid: _kid, ...publicMembers } = privateJwk;
      expect(d).toEqual(expect.any(String));
      expect(publicJwk).toEqual(publicMembers);
      expect(publicJwk).not.toHaveProperty('d');
      const printed = JSON.parse(io.stdout);
      expect(printed).toEqual({ kid: await calculateJwkThumbprint(publicJwk as JWK, 'sha256'), alg, jwk: publicJwk });
      expect((await loadSigningKey(out)).kid).toBe(printed.kid);
    },
  );

  it('does not overwrite an existing key without --force', async () => {
    const out = join(dir, 'key.jwk');
    writeFileSync(out, 'precious');

    await expect(keygen(['--out', out], memoryIo())).rejects.toThrow(/already exists/);
    expect(readFileSync(out, 'utf8')).toBe('precious');
  });
});

it('hashes a streamed file to the SHA-256 of its bytes, across chunk boundaries', async () => {
  const bytes = randomBytes(3 * 1024 * 1024 + 17);
  const file = join(dir, 'data.bin');
  writeFileSync(file, bytes);
  let reported = 0;

  const hash = await sha256File(file, { onBytes: (n) => (reported += n) });

  expect(hash).toBe(createHash('sha256').update(bytes).digest('hex'));
  expect(reported).toBe(bytes.length);
});

describe('resuming a multipart upload', () => {
  const MiB = 1024 * 1024;
  // 3 parts: 8 MiB, 8 MiB, 1 MiB + 5 bytes.
  const file = { fileSize: 17 * MiB + 5, partSize: 8 * MiB, partCount: 3 };
  const stored = (partNumber: number, etag = `"e${partNumber}"`) => ({
    partNumber,
    etag,
    size: partRange(file.fileSize, file.partSize, partNumber).length,
  });

  it('cuts the file into parts that cover every byte once', () => {
    expect([1, 2, 3].map((n) => partRange(file.fileSize, file.partSize, n))).toEqual([
      { start: 0, end: 8 * MiB - 1, length: 8 * MiB },
      { start: 8 * MiB, end: 16 * MiB - 1, length: 8 * MiB },
      { start: 16 * MiB, end: 17 * MiB + 4, length: MiB + 5 },
    ]);
  });

  it('uploads every part when the portal has none', () => {
    expect(planParts({ ...file, recorded: [], stored: [] })).toEqual({ stored: [], missing: [1, 2, 3] });
  });

  it('uploads only the parts the portal does not have, keeping its ETags for the others', () => {
    const plan = planParts({ ...file, recorded: [{ partNumber: 1, etag: '"old"' }], stored: [stored(1), stored(3)] });

    expect(plan).toEqual({
      stored: [
        { partNumber: 1, etag: '"e1"' },
        { partNumber: 3, etag: '"e3"' },
      ],
      missing: [2],
    });
  });

  it('uploads again a part recorded locally that the portal does not have', () => {
    const plan = planParts({
      ...file,
      recorded: [
        { partNumber: 1, etag: '"e1"' },
        { partNumber: 2, etag: '"e2"' },
      ],
      stored: [stored(2)],
    });

    expect(plan.missing).toEqual([1, 3]);
  });

  it('replaces a stored part of the wrong size and ignores parts beyond the plan', () => {
    const short = { ...stored(2), size: 1024 };
    const plan = planParts({ ...file, recorded: [], stored: [stored(1), short, stored(4)] });

    expect(plan).toEqual({ stored: [{ partNumber: 1, etag: '"e1"' }], missing: [2, 3] });
  });

  it('falls back to the local record when the portal list is not available', () => {
    const plan = planParts({ ...file, recorded: [{ partNumber: 3, etag: '"e3"' }] });

    expect(plan).toEqual({ stored: [{ partNumber: 3, etag: '"e3"' }], missing: [1, 2] });
  });

  it('has nothing to upload when every part is stored', () => {
    expect(planParts({ ...file, recorded: [], stored: [stored(3), stored(1), stored(2)] }).missing).toEqual([]);
  });
});
