import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replaceEntry } from '../support/bundle-readers';
import { type GeneratedBundle, generateEvidenceBundle, withManifest } from '../support/evidence-bundle-generator';
import { writeBundleZip } from '../support/evidence-bundle-zip';
import { type NodeRun, runNode } from '../support/run-node';

/**
 * `npx notice-portal verify-bundle` as a court's expert or a platform's lawyer runs it: a child process through the
 * package's own bin script, reading a real ZIP from disk, with every network call made to fail.
 */
const BIN = join(__dirname, '..', '..', 'cli', 'notice-portal.cjs');
const NO_NETWORK = join(__dirname, 'support', 'no-network.cjs');

let work: string;
let bundle: GeneratedBundle;
let valid: string;
let tampered: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'verify-bundle-'));
  bundle = await generateEvidenceBundle();
  valid = join(work, 'valid.zip');
  await writeBundleZip(withManifest(bundle), valid);
  const sid = bundle.events.flatMap((e) => (e.kind === 'submitted' ? [e.data.submissionId] : []))[0];
  const path = `submissions/${sid}/files/cover-letter.txt`;
  tampered = join(work, 'tampered.zip');
  await writeBundleZip(
    withManifest(bundle, replaceEntry(bundle.entries, path, new TextEncoder().encode('Forged.\n'))),
    tampered,
  );
  writeFileSync(join(work, 'regulator-keys.json'), JSON.stringify(bundle.regulatorKeysJson));
  writeFileSync(join(work, 'checkpoint.json'), JSON.stringify(bundle.checkpoints[3]));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function cli(args: string[]): Promise<NodeRun> {
  return runNode(['--require', NO_NETWORK, BIN, ...args], { NOTICE_PORTAL_API: 'http://192.0.2.1:9' });
}

describe('notice-portal verify-bundle', () => {
  it('passes a valid bundle offline, saying the keys came from the bundle and printing their thumbprints', async () => {
    const run = await cli(['verify-bundle', valid]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('TAKEN FROM THE BUNDLE ITSELF');
    for (const key of bundle.regulator.keys) expect(run.stdout).toContain(key.kid);
    expect(run.stdout).toMatch(/pass {2}event-chain/);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('VALID: every check passed.');
  });

  it('uses the keys and the checkpoint it is given', async () => {
    const run = await cli([
      'verify-bundle',
      valid,
      '--keys',
      join(work, 'regulator-keys.json'),
      '--checkpoint',
      join(work, 'checkpoint.json'),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Regulator keys: the ones you gave (--keys)');
    expect(run.stdout).toMatch(/pass {2}trusted-checkpoint/);
  });

  it('exits non-zero naming the failing checks, in words and in --json', async () => {
    const text = await cli(['verify-bundle', tampered]);
    const json = await cli(['verify-bundle', tampered, '--json']);

    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/FAIL {2}file-hash/);
    expect(text.stdout).toMatch(/✗ "cover-letter.txt" of submission sub_\w+ is 8 bytes; its signed manifest says \d+/);
    expect(text.stdout.trim().split('\n').at(-1)).toBe('INVALID: 1 check failed: file-hash.');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ valid: false, failed: ['file-hash'], noticeId: bundle.noticeId });
    expect(json.stderr).toBe('verify-bundle: INVALID: file-hash\n');
  });

  it('catches bytes damaged inside the archive by their SHA-256 (yauzl does not check CRC-32): entry-hash and file-hash', async () => {
    const sid = bundle.events.flatMap((e) => (e.kind === 'submitted' ? [e.data.submissionId] : []))[1];
    const name = Buffer.from(`submissions/${sid}/files/reports.csv`);
    const zip = readFileSync(valid);
    const at = zip.indexOf(name); // the first occurrence is the entry's local header, before the central directory
    const extraLength = zip.readUInt16LE(at - 30 + 28);
    const damaged = Buffer.from(zip);
    const dataAt = at + name.length + extraLength;
    damaged[dataAt + 3] = (damaged[dataAt + 3] as number) ^ 0xff;
    const path = join(work, 'damaged.zip');
    writeFileSync(path, damaged);

    const run = await cli(['verify-bundle', path, '--json']);

    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.failed).toEqual(['entry-hash', 'file-hash']);
    const problems = report.checks.find((c: { id: string }) => c.id === 'entry-hash').problems;
    expect(problems[0]).toMatch(
      new RegExp(`^submissions/${sid}/files/reports.csv has SHA-256 \\w+; manifest.json says `),
    );
  });

  it('refuses a file that is not a ZIP with a message, and wrong usage with exit 2', async () => {
    const notZip = join(work, 'not.zip');
    writeFileSync(notZip, 'hello');
    const bad = await cli(['verify-bundle', notZip]);
    const usage = await cli(['verify-bundle']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: The bundle \S+not\.zip is not a readable ZIP archive/);
    expect(usage.code).toBe(2);
  });
});
