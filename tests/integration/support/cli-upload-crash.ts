import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ListPartsCommand, S3Client } from '@aws-sdk/client-s3';
import { generateSigningKey } from '../../../cli/signing';
import type { ObservedRequest } from '../../support/faults/fault-proxy';
import { pollUntil } from '../../support/poll';
import type { CrashRig } from './crash-rig';
import { transparencyDraft } from './portal-harness';

/**
 * The `notice-portal submit` CLI uploading a large file against the crash rig, for the crash matrix's upload
 * scenario: the CLI and the portal killed (SIGKILL) mid-upload, and what reaches storage afterwards counted at the
 * storage's fault proxy (every UploadPart, by part number) against the parts storage already held.
 */
/** tsx loaded into the CLI's own process (its CLI would run the tool in a child of its own, out of SIGKILL's reach). */
const CLI = ['--import', 'tsx', join(__dirname, '..', '..', '..', 'cli', 'main.ts')];
const MiB = 1024 * 1024;

export interface CliRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export interface CliFiling {
  noticeId: string;
  dir: string;
  fileName: string;
  size: number;
  args: string[];
  env: Record<string, string>;
}

/** Written in 1 MiB chunks, each different, so no part of the upload is a copy of another. */
async function writeLargeFile(path: string, size: number): Promise<void> {
  async function* chunks() {
    for (let offset = 0, i = 0; offset < size; offset += MiB, i++)
      yield Buffer.alloc(Math.min(MiB, size - offset), (i * 7 + 3) % 251);
  }
  await pipeline(Readable.from(chunks()), createWriteStream(path));
}

export function runCli(rig: CrashRig, args: string[], env: Record<string, string>): CliRun {
  const child = spawn(process.execPath, [...CLI, ...args], {
    env: { ...process.env, NOTICE_PORTAL_API: rig.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    },
  );
  return { child, done };
}

/** An issued notice, a folder holding one file of `size` bytes, answers, and a CLI key registered for x-corp. */
export async function prepareCliFiling(rig: CrashRig, size: number): Promise<CliFiling> {
  const work = join(rig.root, `cli-${Date.now()}`);
  const dir = join(work, 'response');
  mkdirSync(dir, { recursive: true });
  const fileName = 'moderation-logs.bin';
  await writeLargeFile(join(dir, fileName), size);
  const answers = join(work, 'answers.json');
  writeFileSync(
    answers,
    JSON.stringify([
      { question: '1', answer: 'Hash matching against known material, and classifiers for new material.' },
      { question: '2', cannotAnswer: { reason: 'The time to action a report is not recorded per report.' } },
    ]),
  );
  // The key `notice-portal keygen` makes, made in this process (one CLI start fewer on a busy machine).
  const keyFile = join(work, 'key.jwk');
  const key = await generateSigningKey('EdDSA');
  writeFileSync(keyFile, JSON.stringify(key.privateJwk), { mode: 0o600 });
  const registered = await rig.call('admin', 'POST', '/platforms/x-corp/signing-keys', { jwk: key.publicJwk });
  if (registered.status !== 201) throw new Error(`key not registered: ${JSON.stringify(registered.body)}`);
  const draft = await rig.call('officer', 'POST', '/notices', transparencyDraft('x-corp'));
  const issued = await rig.call('officer', 'POST', `/notices/${draft.body.id}/issue`);
  if (issued.status !== 200) throw new Error(`not issued: ${JSON.stringify(issued.body)}`);
  const token = await (await fetch(`${rig.url}/dev-idp/token/x-corp-legal`, { method: 'POST' })).text();
  return {
    noticeId: draft.body.id,
    dir,
    fileName,
    size,
    env: { NOTICE_PORTAL_TOKEN: token },
    args: [
      'submit',
      '--notice',
      draft.body.id,
      '--dir',
      dir,
      '--answers',
      answers,
      '--key',
      keyFile,
      '--signer-name',
      'Xavier Counsel',
      '--json',
    ],
  };
}

/** The submission the CLI opened (from its state file) and its one file's multipart upload. */
export async function openedUpload(rig: CrashRig, filing: CliFiling) {
  const state = JSON.parse(readFileSync(join(filing.dir, '.notice-portal-upload.json'), 'utf8'));
  const submission = await rig.call('officer', 'GET', `/notices/${filing.noticeId}/submissions/${state.submissionId}`);
  const file = submission.body.files[0];
  return {
    submissionId: state.submissionId as string,
    key: file.key as string,
    uploadId: file.upload.uploadId as string,
    partSize: file.upload.partSize as number,
    partCount: file.upload.partCount as number,
  };
}

/** The part numbers storage holds for the upload, asked of storage itself (not through the proxy, not the portal). */
export async function storedParts(rig: CrashRig, upload: { key: string; uploadId: string }): Promise<number[]> {
  const s3 = new S3Client({
    endpoint: rig.store.s3Endpoint,
    region: 'ap-southeast-2',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
  });
  try {
    const numbers: number[] = [];
    let marker: string | undefined;
    do {
      const page = await s3.send(
        new ListPartsCommand({
          Bucket: rig.store.bucket,
          Key: upload.key,
          UploadId: upload.uploadId,
          PartNumberMarker: marker,
        }),
      );
      for (const part of page.Parts ?? []) numbers.push(part.PartNumber ?? 0);
      marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
    } while (marker);
    return numbers.sort((a, b) => a - b);
  } finally {
    s3.destroy();
  }
}

/** Part numbers of the UploadPart requests the storage proxy saw after request `since`. */
export function partsSentSince(rig: CrashRig, since: number): number[] {
  return rig
    .proxy('s3')
    .requests.filter((r: ObservedRequest) => r.seq > since && r.operation === 'UploadPart')
    .map((r) => Number(new URL(r.path, 'http://proxy.invalid').searchParams.get('partNumber')));
}

/** Resolves once the storage proxy has seen `count` UploadPart requests after request `since`. */
export async function partsSeen(rig: CrashRig, since: number, count: number, timeoutMs = 600_000): Promise<void> {
  const seen = await pollUntil(
    () => partsSentSince(rig, since).length,
    (n) => n >= count,
    { timeoutMs, intervalMs: 20 },
  );
  if (seen < count) throw new Error(`only ${seen} of ${count} parts reached storage in ${timeoutMs} ms`);
}

export const proxySeq = (rig: CrashRig) => rig.proxy('s3').requests.length;
