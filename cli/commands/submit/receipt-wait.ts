import { setTimeout as sleep } from 'node:timers/promises';
import { type Manifest, manifestSha256, type Receipt } from '../../../lambdas/domain/submission';
import { CliError, Interrupted } from '../../errors';
import type { PortalClient } from '../../portal-client';
import { loadJwks, verifyReceipt } from '../../receipt';

/** After filing: waiting for the receipt while the portal verifies the files, and checking it once it is here. */

export /** While the portal hashes the stored files (202 `verifying`), asks once a second until the receipt is there. */
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

export /**
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
