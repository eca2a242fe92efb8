import { randomBytes } from 'node:crypto';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SINGLE_PUT_MAX_BYTES } from '../../../lambdas/domain/submission';
import { partSizeFor } from '../../../lambdas/domain/submission-service';
import type { Response } from '../../integration/support/portal-harness';
import { sha256 } from '../../integration/support/response-filing';
import {
  type FaultPoint,
  type FilingCase,
  finalizeOneFile,
  issuedNotice,
  key,
  type MatrixPortal,
  noticeState,
  type Operation,
  openOneFile,
  repairJobs,
} from './fault-matrix';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './faulted-storage';

/**
 * Filing a response whose file goes up in parts (issue 14 point 1: open, upload, complete, hash, finalize), as the
 * CLI's upload engine does it: open the submission (Idempotency-Key), ask for the part URLs with each part's
 * SHA-256, PUT each part straight to storage, complete the file with every part's ETag and SHA-256, finalize with
 * the signed manifest; the portal hashes the stored object (on storage's event, in the finalize or in pending
 * verification).
 *
 * The file is the smallest that goes multipart: 64 MiB + 1 byte, so 5 parts (four of 16 MiB, then 1 byte). A
 * part whose PUT failed is retried as a resuming client does: it first asks the portal which parts storage holds
 * (`GET …/parts`) and re-sends the part only if storage does not list it. At the end of its run the operation
 * checks, from the requests the storage proxy saw, that no part was sent again except a part storage did not
 * hold when it was retried.
 */

/** The smallest file the portal uploads in parts. */
export const MULTIPART_FILE_BYTES = SINGLE_PUT_MAX_BYTES + 1;

/** Random bytes shared by every case: each case's file is a copy with its own first bytes, so its hashes differ. */
let base: Buffer | undefined;

function caseBytes(): Buffer {
  base ??= randomBytes(MULTIPART_FILE_BYTES);
  const bytes = Buffer.from(base);
  bytes.write(key('multipart'), 0, 'latin1');
  return bytes;
}

interface MultipartCase extends FilingCase {
  fileKey?: string;
}

type Part = { partNumber: number; url: string; headers: Record<string, string> };

const UPLOAD_PART = 'UploadPart';

/** How long a case waits for the background hash of its file to file it (it takes seconds on a loaded machine). */
const SETTLE_MS = 60_000;

/** Longer than the SDK's back-off between two attempts (well under a second), so a retry is not taken for the end. */
const QUIET_MS = 1500;

const partNumberOf = (path: string) => Number(new URLSearchParams(path.split('?')[1] ?? '').get('partNumber'));

/** A view of `bytes` (no copy), typed as a body under both Node's and the DOM's fetch types. */
const view = (bytes: Buffer) => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);

/**
 * One attempt at a part, as a resuming client makes it: a retry first asks the portal which parts storage holds
 * and sends the part again only if it is not among them (`resent` counts those).
 */
async function sendPart(attempt: {
  platform: ReturnType<MatrixPortal['h']['as']>;
  filePath: string;
  part: Part;
  bytes: Buffer;
  retry: boolean;
  etags: Map<number, string>;
  resent: Map<number, number>;
}): Promise<Response> {
  const { partNumber } = attempt.part;
  if (attempt.retry) {
    const listed = await attempt.platform.get(`${attempt.filePath}/parts`);
    if (listed.status !== 200) return listed;
    const stored = (listed.body.parts as { partNumber: number; etag: string }[]).find(
      (s) => s.partNumber === partNumber,
    );
    if (stored) {
      attempt.etags.set(partNumber, stored.etag);
      return { status: 200, headers: new Headers(), body: 'already stored' };
    }
    attempt.resent.set(partNumber, (attempt.resent.get(partNumber) ?? 0) + 1);
  }
  const put = await fetch(attempt.part.url, {
    method: 'PUT',
    body: view(attempt.bytes),
    headers: attempt.part.headers,
  });
  const etag = put.headers.get('etag');
  if (put.status === 200 && etag) attempt.etags.set(partNumber, etag);
  return { status: put.status, headers: put.headers, body: await put.text() };
}

/**
 * Waits until neither store proxy has had a request in flight for `QUIET_MS` (the portal's background work has
 * finished or failed), for at most `SETTLE_MS`. It watches the proxies rather than polling the API, whose reads
 * would be fault points of their own, in numbers that vary from run to run.
 */
async function backgroundWorkDone(p: MatrixPortal): Promise<void> {
  const seen = () => p.storage.dynamodb.requests.length + p.storage.s3.requests.length;
  const busy = () => p.storage.dynamodb.inFlight() + p.storage.s3.inFlight();
  const deadline = Date.now() + SETTLE_MS;
  let count = seen();
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (busy() > 0 || seen() !== count) {
      count = seen();
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= QUIET_MS) return;
  }
}

export const fileMultipartResponse: Operation<MultipartCase> = {
  name: 'multipart filing (open, parts, complete, hash, finalize)',
  prepare: async (p) => ({ id: await issuedNotice(p), key: key('open-multipart'), bytes: caseBytes() }),
  run: async (p, c, steps) => {
    const platform = p.h.as('x-corp-legal');
    const opened = await openOneFile(p, c, steps);
    const submissionId = c.submissionId!;
    const fileKey: string = opened.body.submission.files[0].key;
    c.fileKey = fileKey;
    const { partSize, partCount, method } = opened.body.uploads[0];
    if (method !== 'multipart' || partSize !== partSizeFor(c.bytes.length) || partCount !== 5) {
      throw new Error(`not the planned multipart upload: ${JSON.stringify(opened.body.uploads[0])}`);
    }
    const filePath = `/notices/${c.id}/submissions/${submissionId}/files/0`;
    const slice = (n: number) => c.bytes.subarray((n - 1) * partSize, n * partSize);
    const partHashes = new Map<number, string>();
    for (let n = 1; n <= partCount; n++) partHashes.set(n, sha256(slice(n)));
    const targets = await steps.step('upload-urls', () =>
      platform.post(`${filePath}/upload-urls`, {
        parts: [...partHashes].map(([partNumber, hash]) => ({ partNumber, sha256: hash })),
      }),
    );
    const urls = new Map<number, Part>((targets.body.parts as Part[]).map((part) => [part.partNumber, part]));

    const etags = new Map<number, string>();
    /** PUTs of a part after its first, each made because storage did not list the part when it was retried. */
    const resent = new Map<number, number>();
    for (let n = 1; n <= partCount; n++) {
      const part = urls.get(n);
      if (!part) throw new Error(`no URL for part ${n}`);
      let attempt = 0;
      await steps.step(
        `part ${n}`,
        () => {
          attempt += 1;
          return sendPart({ platform, filePath, part, bytes: slice(n), retry: attempt > 1, etags, resent });
        },
        { direct: true },
      );
    }
    for (let n = 1; n <= partCount; n++) {
      const sent = p.storage.s3.requests.filter(
        (r) => r.operation === UPLOAD_PART && r.path.includes(fileKey) && partNumberOf(r.path) === n,
      );
      if (sent.length !== 1 + (resent.get(n) ?? 0)) {
        throw new Error(
          `part ${n} went to storage ${sent.length} times, ${resent.get(n) ?? 0} of them re-sent because storage did ` +
            'not hold it: a part storage held was sent again',
        );
      }
    }
    if ([...resent.keys()].length > 1) throw new Error(`more than one part re-sent: ${[...resent.keys()]}`);

    await steps.step('complete', () =>
      platform.post(`${filePath}/complete`, {
        parts: [...partHashes].map(([partNumber, hash]) => ({ partNumber, etag: etags.get(partNumber), sha256: hash })),
      }),
    );
    await finalizeOneFile(p, c, steps);
    // A file this big is not hashed in the finalize: its 202 starts the hash (and the commit) in the background.
    // Those requests are fault points too, so the run lasts until that work is done.
    await backgroundWorkDone(p);
  },
  settle: async (p, c) => {
    await repairJobs(p);
    // The finalize's 202 started a pending-verification run that streams the 64 MiB file in the background (the
    // S3-event hasher, where storage sends the event, too), and a run that meets a file being hashed leaves it to
    // that hasher. So the case waits for the submission to leave `finalizing`, running pending verification again
    // as the schedule would (it picks up a hash that a fault made fail); one still finalizing after that is stuck,
    // and the end state says so.
    const verify = require('../../../lambdas/handlers/verify-pending-submissions') as {
      handler: (event: { minimumAgeMs: number }) => Promise<unknown>;
    };
    const deadline = Date.now() + SETTLE_MS;
    while (Date.now() < deadline) {
      const submission = await p.h.as('x-corp-legal').get(`/notices/${c.id}/submissions/${c.submissionId}`);
      if (submission.status === 200 && submission.body.status !== 'finalizing') return;
      await new Promise((resolve) => setTimeout(resolve, 500));
      await verify.handler({ minimumAgeMs: 0 });
    }
  },
  endState: async (p, c) => {
    const submissions = (await p.h.as('x-corp-legal').get(`/notices/${c.id}/submissions`)).body.items as {
      status: string;
      receipt?: unknown;
      files: { sha256?: string; size: number; completedAt?: string }[];
    }[];
    const expected = sha256(c.bytes);
    return {
      ...(await noticeState(p, c.id)),
      submissions: submissions.map((s) => ({
        status: s.status,
        receipt: Boolean(s.receipt),
        files: s.files.map((f) => ({ hashed: f.sha256 === expected, size: f.size, completed: Boolean(f.completedAt) })),
      })),
    };
  },
  noticeIds: (c) => [c.id],
  // Each case files 64 MiB: once it has been checked, its object is deleted so a long run does not fill the disk
  // (no later case reads it; the record oracle checks only the case's own notice).
  cleanUp: async (p, c) => {
    if (!c.fileKey) return;
    const s3 = new S3Client({
      endpoint: p.store.s3Endpoint,
      region: LOCAL_REGION,
      forcePathStyle: true,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      await s3.send(new DeleteObjectCommand({ Bucket: p.store.bucket, Key: c.fileKey }));
    } finally {
      s3.destroy();
    }
  },
  /**
   * The middle parts' PUTs are faulted at none of their requests: each is the same request as the first part's
   * (the same size, URL shape and code path on both sides; only the part number differs), so a fault there is the
   * first part's case again. The first and the last part (the short one that completes the set) are faulted, and
   * every other request of the clean run.
   */
  pointsToFault: (points) => {
    const parts = points.filter((point) => point.signature === UPLOAD_PART);
    const last = Math.max(...parts.map((point) => point.nth));
    return points.filter(
      (point: FaultPoint) => point.signature !== UPLOAD_PART || point.nth === 1 || point.nth === last,
    );
  },
};
