import { randomUUID } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Notice, NoticeIdSchema } from '../../lambdas/domain/notice';
import { TRANSITIONS } from '../../lambdas/domain/notice-lifecycle';
import { keyUnusableAt } from '../../lambdas/domain/signing-keys';
import {
  completenessIssues,
  type Manifest,
  manifestSha256,
  type Receipt,
  type Submission,
} from '../../lambdas/domain/submission';
import { loadAnswers } from '../answers';
import { parseCommandArgs, parseDuration, parseIntegerFlag, required, resolveApi, resolveToken } from '../args';
import { CliError, EXIT, Interrupted, UsageError } from '../errors';
import { sha256File } from '../file-hash';
import { folderProblems, formatBytes, type LocalFile, STATE_FILE, scanFolder } from '../folder';
import type { Io } from '../io';
import { ApiError, type NoticeSummary, PortalClient } from '../portal-client';
import { type SigningClock, signingClock } from '../portal-clock';
import { ProgressBar } from '../progress';
import { loadJwks, verifyReceipt } from '../receipt';
import { type LoadedSigningKey, loadSigningKey, signManifest } from '../signing';
import { folderChanges, loadState, newStateFile, saveState, type UploadState } from '../upload-state';
import { type InitialTarget, type TransferStats, uploadFile } from '../uploader';

export const SUBMIT_HELP = `Usage: notice-portal submit --notice ID --dir FOLDER --answers FILE --key FILE --signer-name NAME [options]

Files a signed response to a notice: uploads every file in FOLDER, signs a manifest of the files' SHA-256
hashes and the answers with your key, and saves the regulator's signed receipt.

  --notice ID          the notice to respond to (ntc_…)
  --dir FOLDER         the response files: every regular file directly in FOLDER (dotfiles, subfolders,
                       symbolic links and earlier receipts are left out)
  --answers FILE       JSON: [{"question": "1", "answer": "…"},
                              {"question": "2", "cannotAnswer": {"reason": "…"}}]
  --key FILE           your private signing key (from "notice-portal keygen"; its public key must be registered)
  --signer-name NAME   who signs the response
  --signer-title TEXT  their title, e.g. "General Counsel"
  --signer-email ADDR  their e-mail address
  --api URL            the portal (default: $NOTICE_PORTAL_API)
  --token TOKEN        your access token (default: $NOTICE_PORTAL_TOKEN, which keeps it out of shell history)
  --timeout DURATION   how long to wait for the portal to verify the files (default 10m; e.g. 90s, 30m)
  --receipt-out FILE   where to save the receipt (default: FOLDER/receipt-<number>.jws)
  --parallel N         parts of a large file uploaded at once (default 4, 1–16)
  --restart            forget an unfinished upload from this folder and open a new submission
  --json               print the result as JSON
  --quiet              no progress output
  --debug              show stack traces for unexpected errors

Interrupted? Run the same command again: progress is kept in FOLDER/${STATE_FILE}, and only what the
portal does not have yet is uploaded.

Exit status: 0 filed, 1 refused or failed, 2 wrong usage, 3 stopped before filing (rerun to resume).
`;

/** Test hook: stop as if interrupted after this many parts (see cli/README.md). Never set it in real use. */
export const TEST_FAIL_AFTER_PARTS_ENV = 'NOTICE_PORTAL_TEST_FAIL_AFTER_PARTS';

export async function submit(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('submit', argv, {
    notice: { type: 'string' },
    dir: { type: 'string' },
    answers: { type: 'string' },
    key: { type: 'string' },
    'signer-name': { type: 'string' },
    'signer-title': { type: 'string' },
    'signer-email': { type: 'string' },
    api: { type: 'string' },
    token: { type: 'string' },
    timeout: { type: 'string', default: '10m' },
    'receipt-out': { type: 'string' },
    parallel: { type: 'string', default: '4' },
    restart: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.out(SUBMIT_HELP);
    return EXIT.ok;
  }
  const cmd = 'submit';
  const noticeId = required(cmd, values.notice, '--notice');
  if (!NoticeIdSchema.safeParse(noticeId).success) {
    throw new UsageError(`--notice "${noticeId}" is not a notice id (ntc_ followed by 26 characters).`, cmd);
  }
  const dir = resolve(required(cmd, values.dir, '--dir'));
  const answersPath = required(cmd, values.answers, '--answers');
  const keyPath = required(cmd, values.key, '--key');
  const signer = signerFrom(values['signer-name'], values['signer-title'], values['signer-email']);
  const api = resolveApi(cmd, values.api, io);
  const token = resolveToken(cmd, values.token, io);
  const timeoutMs = parseDuration(cmd, '--timeout', values.timeout);
  const parallel = parseIntegerFlag(cmd, '--parallel', values.parallel, 1, 16);
  const hook = io.env[TEST_FAIL_AFTER_PARTS_ENV];
  const failAfterParts = hook ? parseIntegerFlag(cmd, TEST_FAIL_AFTER_PARTS_ENV, hook, 1, 10_000) : undefined;
  const quiet = values.quiet;
  const note = (text: string) => {
    if (!quiet) io.err(`${text}\n`);
  };

  // Everything that can be checked locally is checked before anything is sent.
  const answers = await loadAnswers(answersPath);
  const key = await loadSigningKey(keyPath);
  const scan = await scanFolder(dir);
  const problems = folderProblems(scan.files);
  if (problems.length > 0) throw new CliError(`The folder ${dir} cannot be filed as it is:`, undefined, problems);
  for (const s of scan.skipped) note(`Skipping ${s.name}: ${s.reason}.`);

  const statePath = join(dir, STATE_FILE);
  let state = values.restart ? undefined : loadState(statePath);
  if (state?.receipt && state.noticeId !== noticeId) {
    throw new CliError(
      `${dir} was already filed as the response to notice ${state.noticeId} (receipt ${state.receipt.number}). Use a new folder for notice ${noticeId}, or --restart to file this one again.`,
    );
  }
  if (state && state.noticeId !== noticeId) {
    throw new CliError(
      `${dir} holds an unfinished response to notice ${state.noticeId}, not ${noticeId}. Use --notice ${state.noticeId} to finish it, or --restart to start over for ${noticeId}.`,
    );
  }
  if (state && state.api !== api) {
    throw new CliError(
      `${dir} holds an unfinished response filed with ${state.api}; use --api ${state.api}, or --restart.`,
    );
  }
  if (state?.receipt) {
    note(`This folder was already filed (${state.submissionId}); nothing to do.`);
    report(io, values.json, { ...state.receipt, noticeId, submissionId: state.submissionId as string, already: true });
    return EXIT.ok;
  }

  const signal = io.signal ?? new AbortController().signal;
  const client = new PortalClient(api, token, signal);
  const clock = signingClock(() => client.clockSkewMs(), note);
  const notice = await getNotice(client, noticeId);
  const resuming = state?.submissionId !== undefined;
  if (!resuming && !TRANSITIONS.submit.from.includes(notice.status)) {
    throw new CliError(
      `Notice ${noticeId} is ${notice.status}; a response can be filed only while it is ${TRANSITIONS.submit.from.join(', ')}.`,
    );
  }
  const unanswered = completenessIssues({ answers } as Manifest, notice as unknown as Notice);
  if (unanswered.length > 0) {
    throw new CliError(
      `The answers in ${answersPath} do not fit notice ${noticeId}:`,
      undefined,
      unanswered.map((i) => `${i.path.replace(/^manifest\./, '')}: ${i.message}`),
    );
  }
  await checkKeyIsRegistered(client, notice.platformId, key, clock, note);

  if (state && !state.submissionId && folderChanges(state.files, scan.files).length > 0) state = undefined;
  if (state?.submissionId) {
    const changes = folderChanges(state.files, scan.files);
    if (changes.length > 0) {
      throw new CliError(
        `The folder changed since its upload started, so it cannot be resumed as submission ${state.submissionId}:`,
        undefined,
        [...changes, 'Put it back as it was, or rerun with --restart to open a new submission.'],
      );
    }
  }
  const current: UploadState = state ?? {
    version: 1,
    api,
    noticeId,
    openIdempotencyKey: `open-${randomUUID()}`,
    files: scan.files.map(newStateFile),
  };
  const save = () => saveState(statePath, current);
  await hashFiles(io, quiet, scan.files, current, signal);
  save();

  // Open the submission, or pick up the one this folder started.
  const targets = new Map<number, InitialTarget>();
  let submission: Submission;
  if (current.submissionId) {
    submission = await getSubmission(client, noticeId, current.submissionId);
    note(`Resuming submission ${submission.submissionId} (${submission.status}).`);
  } else {
    const opened = await client.openSubmission(
      noticeId,
      current.files.map(({ name, size, sha256, contentType }) => ({
        name,
        size,
        sha256: sha256 as string,
        contentType,
      })),
      current.openIdempotencyKey,
    );
    submission = opened.submission;
    current.submissionId = submission.submissionId;
    for (const upload of opened.uploads) targets.set(upload.index, upload);
    note(
      `Opened submission ${submission.submissionId} for ${current.files.length} file${current.files.length === 1 ? '' : 's'}.`,
    );
  }
  syncWithPortal(current, submission);
  save();
  const submissionId = submission.submissionId;

  const stats: TransferStats = {
    filesUploaded: 0,
    filesAlreadyStored: 0,
    partsUploaded: 0,
    partsAlreadyStored: 0,
    bytesUploaded: 0,
  };
  let receipt = submission.receipt;
  let manifest: Manifest | undefined = current.finalize?.manifest;
  if (!receipt && submission.status === 'open') {
    if (submission.lastError && current.finalize) {
      note('The portal refused the previous attempt to file this response:');
      for (const i of submission.lastError.issues) note(`  ${i.path}: ${i.message}`);
      note('Trying again.');
    }
    const byName = new Map(scan.files.map((f) => [f.name, f]));
    for (const entry of current.files) {
      if (entry.done) {
        stats.filesAlreadyStored++;
        note(`${entry.name}: already uploaded`);
        continue;
      }
      await uploadFile(
        { client, noticeId, submissionId, io, quiet, parallel, signal, save, stats, failAfterParts },
        byName.get(entry.name) as LocalFile,
        entry,
        targets.get(entry.index as number),
      );
    }
    await assertUnchanged(scan.files);

    manifest = {
      noticeId,
      submissionId,
      files: current.files.map(({ name, size, sha256 }) => ({ name, size, sha256: sha256 as string })),
      answers,
      signer,
      signedAt: clock.now().toISOString(),
    };
    const signature = await signManifest(manifest, key);
    current.finalize = {
      requestedAt: clock.now().toISOString(),
      idempotencyKey: `finalize-${randomUUID()}`,
      manifest,
      signature,
    };
    save();
    const filed = await client.finalize(
      noticeId,
      submissionId,
      { manifest, signature },
      current.finalize.idempotencyKey,
    );
    receipt = filed.receipt;
    if (!receipt && filed.status === 'filed')
      throw new CliError('The portal says the response is filed but sent no receipt.');
  } else if (!receipt && submission.status !== 'finalizing') {
    throw new CliError(`Submission ${submissionId} is ${submission.status} without a receipt; rerun with --restart.`);
  }
  if (!receipt) receipt = await waitForReceipt(client, noticeId, submissionId, timeoutMs, note);

  const receiptPath = resolve(values['receipt-out'] ?? join(dir, `receipt-${receipt.number}.jws`));
  await writeFile(receiptPath, `${receipt.jws}\n`);
  current.receipt = { number: receipt.number, filedAt: receipt.filedAt, onTime: receipt.onTime, path: receiptPath };
  save();
  await crossCheckReceipt(client, receipt, manifest, note);
  report(io, values.json, {
    ...current.receipt,
    noticeId,
    submissionId,
    dueAt: notice.dueAt,
    transfer: stats,
  });
  return EXIT.ok;
}

function signerFrom(
  name: string | undefined,
  title: string | undefined,
  email: string | undefined,
): Manifest['signer'] {
  const n = required('submit', name, '--signer-name').trim();
  if (n.length > 200) throw new UsageError('--signer-name must be at most 200 characters.', 'submit');
  if (title !== undefined && title.length > 200)
    throw new UsageError('--signer-title must be at most 200 characters.', 'submit');
  if (email !== undefined && (email.length > 320 || !email.includes('@'))) {
    throw new UsageError('--signer-email must be an e-mail address.', 'submit');
  }
  return { name: n, ...(title ? { title } : {}), ...(email ? { email } : {}) };
}

async function getNotice(client: PortalClient, noticeId: string): Promise<NoticeSummary> {
  try {
    return await client.getNotice(noticeId);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && !/No route/.test(error.message)) {
      throw new CliError(`Notice ${noticeId} was not found, or is not addressed to your platform.`);
    }
    throw error;
  }
}

async function getSubmission(client: PortalClient, noticeId: string, submissionId: string): Promise<Submission> {
  try {
    return await client.getSubmission(noticeId, submissionId);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      throw new CliError(
        `The portal no longer has submission ${submissionId} that this folder was being uploaded to.`,
        undefined,
        [error.message, 'Rerun with --restart to open a new submission.'],
      );
    }
    throw error;
  }
}

/**
 * Refuses early, before any upload, when the key would be refused at filing: not registered for the platform,
 * or not usable now (not yet valid, expired, revoked). If the list cannot be read, the portal decides at filing.
 */
async function checkKeyIsRegistered(
  client: PortalClient,
  platformId: string,
  key: LoadedSigningKey,
  clock: SigningClock,
  note: (text: string) => void,
): Promise<void> {
  let items: Awaited<ReturnType<PortalClient['listSigningKeys']>>['items'];
  try {
    items = (await client.listSigningKeys(platformId)).items;
  } catch (error) {
    if (error instanceof ApiError && error.status !== 401) {
      note(
        `Could not check that key ${key.kid} is registered (${error.status}); the portal will check it when filing.`,
      );
      return;
    }
    throw error;
  }
  const registered = items.find((k) => k.kid === key.kid);
  if (!registered) {
    throw new CliError(
      `Your signing key ${key.kid} is not registered for ${platformId}, so the portal would refuse the signature.`,
      undefined,
      [`Ask the regulator to register this public key: {"jwk": ${JSON.stringify(key.publicJwk)}}`],
    );
  }
  const unusable = keyUnusableAt(registered, clock.now().toISOString());
  if (unusable) throw new CliError(`Your signing key cannot sign a response now: ${unusable}.`);
}

/** Hashes each file once: a hash in the state file is reused while the file's size and mtime are unchanged. */
async function hashFiles(io: Io, quiet: boolean, files: LocalFile[], state: UploadState, signal: AbortSignal) {
  for (const file of files) {
    const entry = state.files.find((f) => f.name === file.name);
    if (!entry) throw new Error(`No state for ${file.name}`);
    if (entry.sha256 && entry.size === file.size && entry.mtimeMs === file.mtimeMs) continue;
    // Only large files get a bar: hashing a small one is over before a bar would be read.
    const bar =
      file.size >= 64 * 1024 ** 2 ? new ProgressBar(io, `${file.name} (hashing)`, file.size, { quiet }) : undefined;
    entry.sha256 = await sha256File(file.path, { onBytes: (n) => bar?.add(n), signal });
    entry.size = file.size;
    entry.mtimeMs = file.mtimeMs;
    bar?.finish('hashed');
  }
}

/** Takes each file's index and upload plan from the portal, and whether its bytes are already stored. */
function syncWithPortal(state: UploadState, submission: Submission): void {
  const declared = new Map(submission.files.map((f) => [f.name, f]));
  for (const entry of state.files) {
    const file = declared.get(entry.name);
    if (!file) {
      throw new CliError(`Submission ${submission.submissionId} has no file ${entry.name}; rerun with --restart.`);
    }
    entry.index = file.index;
    entry.multipart =
      file.upload.kind === 'multipart'
        ? { partSize: file.upload.partSize, partCount: file.upload.partCount }
        : undefined;
    if (file.completedAt) entry.done = true;
  }
}

/** What is signed must be what was hashed and uploaded: a file edited meanwhile stops the filing. */
async function assertUnchanged(files: LocalFile[]): Promise<void> {
  const changed: string[] = [];
  for (const file of files) {
    const info = await stat(file.path).catch(() => undefined);
    if (!info || info.size !== file.size || info.mtimeMs !== file.mtimeMs)
      changed.push(`${file.name} changed during the upload`);
  }
  if (changed.length > 0) {
    throw new CliError('Not signing: the response files changed while they were uploaded.', undefined, [
      ...changed,
      'Rerun with --restart to upload them again.',
    ]);
  }
}

/** While the portal hashes the stored files (202 `verifying`), asks once a second until the receipt is there. */
async function waitForReceipt(
  client: PortalClient,
  noticeId: string,
  submissionId: string,
  timeoutMs: number,
  note: (text: string) => void,
): Promise<Receipt> {
  note('The portal is verifying the uploaded files…');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const submission = await client.getSubmission(noticeId, submissionId);
    if (submission.receipt) return submission.receipt;
    if (submission.status !== 'finalizing') {
      throw new CliError('The portal did not accept the response:', undefined, [
        ...(submission.lastError?.issues.map((i) => `${i.path}: ${i.message}`) ?? [
          `the submission is ${submission.status}`,
        ]),
        'Fix what is listed and run the same command again; if a file itself is wrong, rerun with --restart.',
      ]);
    }
    if (Date.now() >= deadline) {
      throw new Interrupted(
        `Still verifying after ${Math.round(timeoutMs / 1000)} s. Rerun the same command to keep waiting (nothing is uploaded again).`,
      );
    }
    await sleep(1000);
  }
}

/**
 * Checks the receipt just received as anyone later would: signed by the regulator's published key, for exactly
 * the manifest that was signed. Advisory only — the response is filed either way — so problems are warnings.
 */
async function crossCheckReceipt(
  client: PortalClient,
  receipt: Receipt,
  manifest: Manifest | undefined,
  note: (text: string) => void,
): Promise<void> {
  try {
    const { claims } = await verifyReceipt(
      receipt.jws,
      await loadJwks(`${client.baseUrl}/.well-known/receipt-keys.json`),
    );
    if (manifest && claims.manifestSha256 !== manifestSha256(manifest)) {
      note(
        'Warning: the receipt names a different manifest from the one signed here; keep the state file and ask the regulator.',
      );
    }
  } catch (error) {
    note(
      `Warning: could not verify the receipt now (${(error as Error).message}). Check it later with "notice-portal verify-receipt".`,
    );
  }
}

function report(
  io: Io,
  json: boolean,
  result: {
    number: string;
    filedAt: string;
    onTime: boolean;
    path: string;
    noticeId: string;
    submissionId: string;
    dueAt?: string;
    already?: boolean;
    transfer?: TransferStats;
  },
): void {
  if (json) {
    io.out(
      `${JSON.stringify({
        receiptNumber: result.number,
        filedAt: result.filedAt,
        onTime: result.onTime,
        dueAt: result.dueAt,
        receiptFile: result.path,
        noticeId: result.noticeId,
        submissionId: result.submissionId,
        alreadyFiled: result.already ?? false,
        transfer: result.transfer,
      })}\n`,
    );
    return;
  }
  const t = result.transfer;
  io.out(
    [
      `Filed: receipt ${result.number}`,
      `  filed at   ${result.filedAt}`,
      `  on time    ${result.onTime ? 'yes' : 'NO'}${result.dueAt ? ` (due ${result.dueAt})` : ''}`,
      `  receipt    ${result.path}`,
      ...(t
        ? [
            `  uploaded   ${t.filesUploaded} files, ${formatBytes(t.bytesUploaded)}${t.partsUploaded ? ` (${t.partsUploaded} multipart parts)` : ''}` +
              (t.filesAlreadyStored || t.partsAlreadyStored
                ? ` (already stored: ${t.filesAlreadyStored} files, ${t.partsAlreadyStored} parts)`
                : ''),
          ]
        : []),
      '',
    ].join('\n'),
  );
}
