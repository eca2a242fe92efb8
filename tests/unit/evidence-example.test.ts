import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatReport } from '../../cli/commands/verify-bundle';
import { verifyBundle } from '../../lambdas/domain/bundle-verification';
import { folderBundleReader } from '../support/bundle-readers';
import { generateEvidenceBundle, withManifest } from '../support/evidence-bundle-generator';

/**
 * The worked example of docs/evidence.md: a whole-lifecycle bundle made by the test generator once and committed
 * unpacked (docs/evidence-example/bundle/), with the regulator's published keys beside it and the verifier's
 * report. Keys, ids and signatures are random each time a bundle is generated, so the example is not regenerated
 * on every run: this test checks that the committed copy still verifies — with its own keys and with the
 * published ones — and that report.txt is exactly what the verifier says of it today.
 *
 *   UPDATE_EVIDENCE_EXAMPLE=1 npx jest tests/unit/evidence-example.test.ts    regenerates it
 */
const EXAMPLE = join(__dirname, '..', '..', 'docs', 'evidence-example');
const BUNDLE = join(EXAMPLE, 'bundle');
const LABEL = 'docs/evidence-example/bundle';

beforeAll(async () => {
  if (process.env.UPDATE_EVIDENCE_EXAMPLE !== '1') return;
  const bundle = await generateEvidenceBundle();
  rmSync(BUNDLE, { recursive: true, force: true });
  for (const entry of withManifest(bundle)) {
    const path = join(BUNDLE, entry.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, entry.bytes as Uint8Array);
  }
  writeFileSync(join(EXAMPLE, 'regulator-keys.json'), `${JSON.stringify(bundle.regulatorKeysJson, null, 2)}\n`);
  const report = await verifyBundle(await folderBundleReader(BUNDLE));
  writeFileSync(join(EXAMPLE, 'report.txt'), formatReport(LABEL, report, true));
});

describe('the worked example in docs/evidence-example', () => {
  it('verifies, and report.txt is what the verifier says of it', async () => {
    const report = await verifyBundle(await folderBundleReader(BUNDLE));
    expect(report.failed).toEqual([]);
    expect(formatReport(LABEL, report, true)).toBe(readFileSync(join(EXAMPLE, 'report.txt'), 'utf8'));
  });

  it('verifies against the published regulator keys beside it', async () => {
    const keys = JSON.parse(readFileSync(join(EXAMPLE, 'regulator-keys.json'), 'utf8'));
    const report = await verifyBundle(await folderBundleReader(BUNDLE), { trustedKeys: keys });
    expect(report.failed).toEqual([]);
    expect(report.regulatorKeys.source).toBe('trusted');
  });
});
