import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/cli';
import { signManifestCommand } from '../../cli/commands/sign-manifest';
import { memoryIo } from '../../cli/io';
import { generateSigningKey } from '../../cli/signing';
import { type SigningAlgorithm, SigningKeySchema } from '../../lambdas/domain/signing-keys';
import { verifyManifestSignature } from '../../lambdas/domain/submission';
import { signManifest as browserSign, verifyDetachedSignature } from '../../web/src/signing/jws';
import { buildManifest, manifestBytes } from '../../web/src/signing/manifest';
import { importCliPrivateKey } from '../../web/src/signing/signing-key';

/**
 * `notice-portal sign-manifest`: the web app's "attach a signature made with the CLI" path. The manifest file is the
 * one the web app downloads (its canonical JSON), signed by the CLI, and checked by both the portal and the browser.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-sign-manifest-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const manifest = buildManifest({
  notice: { id: 'ntc_01JZ8Q4W5X6Y7Z8A9B0C1D2E3F', requirements: { questions: [{ number: '1' }, { number: '2' }] } },
  submission: {
    submissionId: 'sub_01JZ8Q4W5X6Y7Z8A9B0C1D2E3G',
    files: [{ index: 0, name: 'report.pdf', size: 1234, declaredSha256: 'a'.repeat(64) }],
  },
  answers: [
    { question: '1', answer: 'Yes.' },
    { question: '2', cannotAnswer: { reason: 'We do not keep these records.' } },
  ],
  signer: { name: 'Xavier Counsel' },
  signedAt: '2026-03-02T01:02:03.456Z',
});

async function files(alg: SigningAlgorithm) {
  const key = await generateSigningKey(alg);
  const keyFile = join(dir, 'key.jwk');
  const manifestFile = join(dir, 'manifest.json');
  writeFileSync(keyFile, JSON.stringify(key.privateJwk));
  writeFileSync(manifestFile, manifestBytes(manifest)); // exactly what "Download the manifest to sign" saves
  const registered = SigningKeySchema.parse({
    kid: key.kid,
    platformId: 'x-corp',
    alg,
    jwk: key.publicJwk,
    validFrom: '2026-01-01T00:00:00.000Z',
    registeredAt: '2026-01-01T00:00:00.000Z',
    registeredBy: { subject: 'admin', name: 'Ada Admin', role: 'regulator-admin' },
  });
  return { key, keyFile, manifestFile, registered };
}

describe('notice-portal sign-manifest', () => {
  it.each<SigningAlgorithm>(['EdDSA', 'ES256'])(
    'signs the downloaded manifest so that the portal and the browser both verify it (%s)',
    async (alg) => {
      const { key, keyFile, manifestFile, registered } = await files(alg);
      const io = memoryIo();
      const code = await signManifestCommand(['--manifest', manifestFile, '--key', keyFile], io);
      expect(code).toBe(0);
      const jws = io.stdout.trim();
      expect(io.stderr).toContain(`with key ${key.kid} (${alg})`);
      await expect(
        verifyManifestSignature({
          manifest,
          signature: jws,
          findKey: async (kid) => (kid === key.kid ? registered : undefined),
        }),
      ).resolves.toEqual({ kid: key.kid });
      await expect(verifyDetachedSignature(manifest, jws, key.publicJwk)).resolves.toEqual({
        ok: true,
        kid: key.kid,
        alg,
      });
      if (alg === 'EdDSA') {
        // The same key imported into the browser signs the same bytes.
        const imported = await importCliPrivateKey(JSON.stringify(key.privateJwk));
        expect(await browserSign(manifest, imported)).toBe(jws);
      }
    },
  );

  it('writes the signature to --out and prints JSON with --json', async () => {
    const { key, keyFile, manifestFile } = await files('EdDSA');
    const out = join(dir, 'manifest.jws');
    const io = memoryIo();
    await signManifestCommand(['--manifest', manifestFile, '--key', keyFile, '--out', out, '--json'], io);
    expect(io.stdout).toBe('');
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written).toMatchObject({ kid: key.kid, alg: 'EdDSA' });
    expect((await verifyDetachedSignature(manifest, written.signature, key.publicJwk)).ok).toBe(true);
  });

  it('refuses a file that is not a manifest, naming each problem', async () => {
    const { keyFile } = await files('EdDSA');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...manifest, signedAt: 'yesterday', extra: 1 }));
    const io = memoryIo();
    const code = await runCli(['sign-manifest', '--manifest', bad, '--key', keyFile], io);
    expect(code).toBe(1);
    expect(io.stderr).toContain('is not a response manifest');
    expect(io.stderr).toContain('manifest.signedAt');
    expect(io.stdout).toBe('');
  });

  it('is listed in the help, with its own --help', async () => {
    const main = memoryIo();
    await runCli(['--help'], main);
    expect(main.stdout).toContain('sign-manifest');
    const help = memoryIo();
    expect(await runCli(['sign-manifest', '--help'], help)).toBe(0);
    expect(help.stdout).toContain('Usage: notice-portal sign-manifest --manifest FILE --key FILE');
  });
});
