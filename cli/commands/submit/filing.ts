import { randomUUID } from 'node:crypto';
import type { Manifest, Receipt, Submission } from '../../../lambdas/domain/submission';
import type { Answers } from '../../answers';
import { CliError } from '../../errors';
import type { LocalFile } from '../../folder';
import type { SigningClock } from '../../portal-clock';
import { type LoadedSigningKey, signManifest } from '../../signing';
import type { UploadState } from '../../upload-state';
import { type InitialTarget, type UploadContext, uploadFile } from '../../uploader';
import { assertUnchanged } from './local-files';

/** Filing an open submission: upload what the portal does not have yet, then sign the manifest and finalize. */
export interface Filing {
  upload: UploadContext;
  current: UploadState;
  submission: Submission;
  /** Upload plans the portal sent when it opened the submission, by file index. */
  targets: Map<number, InitialTarget>;
  files: LocalFile[];
  answers: Answers;
  signer: Manifest['signer'];
  key: LoadedSigningKey;
  clock: SigningClock;
  note: (text: string) => void;
}

/** The receipt, unless the portal is still verifying the files (202), and the manifest that was signed. */
export async function uploadAndFinalize(filing: Filing): Promise<{ receipt: Receipt | undefined; manifest: Manifest }> {
  const { current, submission, note } = filing;
  if (submission.lastError && current.finalize) {
    note('The portal refused the previous attempt to file this response:');
    for (const i of submission.lastError.issues) note(`  ${i.path}: ${i.message}`);
    note('Trying again.');
  }
  const byName = new Map(filing.files.map((f) => [f.name, f]));
  for (const entry of current.files) {
    if (entry.done) {
      filing.upload.stats.filesAlreadyStored++;
      note(`${entry.name}: already uploaded`);
      continue;
    }
    await uploadFile(
      filing.upload,
      byName.get(entry.name) as LocalFile,
      entry,
      filing.targets.get(entry.index as number),
    );
  }
  await assertUnchanged(filing.files);
  return signAndFinalize(filing);
}

async function signAndFinalize(filing: Filing): Promise<{ receipt: Receipt | undefined; manifest: Manifest }> {
  const { current, clock } = filing;
  const { client, noticeId, submissionId, save } = filing.upload;
  const manifest: Manifest = {
    noticeId,
    submissionId,
    files: current.files.map(({ name, size, sha256 }) => ({ name, size, sha256: sha256 as string })),
    answers: filing.answers,
    signer: filing.signer,
    signedAt: clock.now().toISOString(),
  };
  const signature = await signManifest(manifest, filing.key);
  current.finalize = {
    requestedAt: clock.now().toISOString(),
    idempotencyKey: `finalize-${randomUUID()}`,
    manifest,
    signature,
  };
  save();
  const filed = await client.finalize(noticeId, submissionId, { manifest, signature }, current.finalize.idempotencyKey);
  const receipt = filed.receipt;
  if (!receipt && filed.status === 'filed')
    throw new CliError('The portal says the response is filed but sent no receipt.');
  return { receipt, manifest };
}
