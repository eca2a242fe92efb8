import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Manifest } from '../../lambdas/domain/submission';
import { loadAnswers } from '../answers';
import { CliError, EXIT } from '../errors';
import { folderProblems, STATE_FILE, scanFolder } from '../folder';
import type { Io } from '../io';
import { PortalClient } from '../portal-client';
import { signingClock } from '../portal-clock';
import { loadSigningKey } from '../signing';
import { loadState, saveState } from '../upload-state';
import type { TransferStats } from '../uploader';
import { uploadAndFinalize } from './submit/filing';
import { hashFiles } from './submit/local-files';
import { answerableNotice, checkKeyIsRegistered } from './submit/notice-checks';
import { parseSubmitOptions, type SubmitOptions } from './submit/options';
import { openOrResumeSubmission } from './submit/portal-submission';
import { crossCheckReceipt, waitForReceipt } from './submit/receipt-wait';
import { report } from './submit/report';
import { assertStateFits, stateToResume } from './submit/upload-state-checks';

export { TEST_FAIL_AFTER_PARTS_ENV } from './submit/options';

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
  --no-files           file a response of answers only: FOLDER must hold no response files (it keeps the
                       progress file and the receipt); without this flag an empty FOLDER is refused
  --json               print the result as JSON
  --quiet              no progress output
  --debug              show stack traces for unexpected errors

Interrupted? Run the same command again: progress is kept in FOLDER/${STATE_FILE}, and only what the
portal does not have yet is uploaded.

Exit status: 0 filed, 1 refused or failed, 2 wrong usage, 3 stopped before filing (rerun to resume).
`;

/** Files a response: every step in `./submit/`, in the order the help above describes. */
export async function submit(argv: string[], io: Io): Promise<number> {
  const options = parseSubmitOptions(argv, io);
  if (options === 'help') {
    io.out(SUBMIT_HELP);
    return EXIT.ok;
  }
  const { noticeId, dir, api, quiet } = options;
  const note = (text: string) => {
    if (!quiet) io.err(`${text}\n`);
  };

  // Everything that can be checked locally is checked before anything is sent.
  const { answers, key, scan } = await readLocalInputs(options, note);

  const statePath = join(dir, STATE_FILE);
  const state = options.restart ? undefined : loadState(statePath);
  assertStateFits(state, dir, noticeId, api);
  if (state?.receipt) {
    note(`This folder was already filed (${state.submissionId}); nothing to do.`);
    report(io, options.json, { ...state.receipt, noticeId, submissionId: state.submissionId as string, already: true });
    return EXIT.ok;
  }

  const signal = io.signal ?? new AbortController().signal;
  const client = new PortalClient(api, options.token, signal);
  const clock = signingClock(() => client.clockSkewMs(), note);
  const resuming = state?.submissionId !== undefined;
  const notice = await answerableNotice(client, noticeId, answers, options.answersPath, resuming);
  await checkKeyIsRegistered(client, notice.platformId, key, clock, note);

  const current = stateToResume(state, scan.files, { api, noticeId });
  const save = () => saveState(statePath, current);
  await hashFiles(io, quiet, scan.files, current, signal);
  save();

  // Open the submission, or pick up the one this folder started.
  const { submission, targets } = await openOrResumeSubmission(client, current, note);
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
    const { parallel, failAfterParts, signer } = options;
    const upload = { client, noticeId, submissionId, io, quiet, parallel, signal, save, stats, failAfterParts };
    const files = scan.files;
    ({ receipt, manifest } = await uploadAndFinalize({
      upload,
      current,
      submission,
      targets,
      files,
      answers,
      signer,
      key,
      clock,
      note,
    }));
  } else if (!receipt && submission.status !== 'finalizing') {
    throw new CliError(`Submission ${submissionId} is ${submission.status} without a receipt; rerun with --restart.`);
  }
  if (!receipt) receipt = await waitForReceipt(client, noticeId, submissionId, options.timeoutMs, note);

  const receiptPath = resolve(options.receiptOut ?? join(dir, `receipt-${receipt.number}.jws`));
  await writeFile(receiptPath, `${receipt.jws}\n`);
  current.receipt = { number: receipt.number, filedAt: receipt.filedAt, onTime: receipt.onTime, path: receiptPath };
  save();
  await crossCheckReceipt(client, receipt, manifest, note);
  report(io, options.json, { ...current.receipt, noticeId, submissionId, dueAt: notice.dueAt, transfer: stats });
  return EXIT.ok;
}

/** The answers, the signing key and the folder's files, each checked; refuses a folder that cannot be filed. */
async function readLocalInputs(options: SubmitOptions, note: (text: string) => void) {
  const answers = await loadAnswers(options.answersPath);
  const key = await loadSigningKey(options.keyPath);
  const scan = await scanFolder(options.dir);
  const problems = folderProblems(scan.files, { noFiles: options.noFiles });
  if (problems.length > 0) {
    throw new CliError(`The folder ${options.dir} cannot be filed as it is:`, undefined, problems);
  }
  for (const s of scan.skipped) note(`Skipping ${s.name}: ${s.reason}.`);
  return { answers, key, scan };
}
