import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, FlattenedSign, generateKeyPair, type KeyLike } from 'jose';
import { canonicalJson } from '../../../lambdas/domain/canonical-json';
import { defined } from '../../support/defined';
import { transparencyDraft } from './portal-harness';

/**
 * A platform filing a signed response over HTTP, step by step, against any running portal (in this process or a
 * child process): `call(user, method, path, body)` sends one authenticated request.
 */
export type Call = (
  user: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: any }>;

export interface OpenedResponse {
  noticeId: string;
  submissionId: string;
  files: { name: string; bytes: Buffer }[];
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Registers a new Ed25519 key for the platform (as the regulator admin) and returns its private half. */
export async function registeredSigner(call: Call, platformId = 'x-corp') {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = await exportJWK(publicKey);
  const registered = await call('admin', 'POST', `/platforms/${platformId}/signing-keys`, { jwk });
  if (registered.status !== 201) throw new Error(`key not registered: ${JSON.stringify(registered.body)}`);
  return { privateKey, kid: await calculateJwkThumbprint(jwk) };
}

/** Drafts and issues a transparency notice to x-corp, opens a submission and uploads every file's bytes. */
export async function openAndUpload(call: Call, files: { name: string; bytes: Buffer }[]): Promise<OpenedResponse> {
  const draft = await call('officer', 'POST', '/notices', transparencyDraft('x-corp'));
  await call('officer', 'POST', `/notices/${draft.body.id}/issue`);
  const noticeId: string = draft.body.id;
  const opened = await call('x-corp-legal', 'POST', `/notices/${noticeId}/submissions`, {
    files: files.map((f) => ({
      name: f.name,
      size: f.bytes.length,
      sha256: sha256(f.bytes),
      contentType: 'application/pdf',
    })),
  });
  if (opened.status !== 201) throw new Error(`not opened: ${JSON.stringify(opened.body)}`);
  const submissionId: string = opened.body.submission.submissionId;
  for (const upload of opened.body.uploads) {
    const bytes = defined(files[upload.index], `file ${upload.index}`).bytes;
    if (upload.method === 'PUT') {
      const put = await fetch(upload.url, {
        method: 'PUT',
        // A copy in a plain Uint8Array is a BodyInit under both Node's and the DOM's fetch types (a Buffer only
        // under Node's); browser tests type-check this file with the DOM's.
        body: new Uint8Array(bytes),
        headers: { 'content-type': 'application/pdf', ...upload.headers },
      });
      if (put.status !== 200) throw new Error(`PUT refused: ${put.status}`);
      continue;
    }
    await uploadInParts(call, `/notices/${noticeId}/submissions/${submissionId}/files/${upload.index}`, upload, bytes);
  }
  return { noticeId, submissionId, files };
}

/** A multipart upload over HTTP: part URLs asked for with each part's SHA-256 (open hands out none), then completed. */
async function uploadInParts(
  call: Call,
  filePath: string,
  upload: { partSize: number; partCount: number },
  bytes: Buffer,
): Promise<void> {
  // Part URLs bind each part's SHA-256, so they are asked for with it (open hands out none).
  const slice = (n: number) => bytes.subarray((n - 1) * upload.partSize, n * upload.partSize);
  const numbers = Array.from({ length: upload.partCount }, (_, i) => i + 1);
  const target = await call('x-corp-legal', 'POST', `${filePath}/upload-urls`, {
    parts: numbers.map((partNumber) => ({ partNumber, sha256: sha256(slice(partNumber)) })),
  });
  if (target.status !== 200) throw new Error(`no part URLs: ${JSON.stringify(target.body)}`);
  const parts = [];
  for (const part of target.body.parts) {
    const put = await fetch(part.url, {
      method: 'PUT',
      body: new Uint8Array(slice(part.partNumber)),
      headers: part.headers,
    });
    if (put.status !== 200) throw new Error(`UploadPart refused: ${put.status}`);
    parts.push({
      partNumber: part.partNumber,
      etag: put.headers.get('etag'),
      sha256: sha256(slice(part.partNumber)),
    });
  }
  const completed = await call('x-corp-legal', 'POST', `${filePath}/complete`, { parts });
  if (completed.status !== 200) throw new Error(`not completed: ${JSON.stringify(completed.body)}`);
}

/**
 * The finalize request body: a manifest of the uploaded files with every question answered, signed. `signedAt`
 * defaults to now; a test that moved the portal's clock passes the portal's time (a manifest signed before its
 * submission was opened is refused).
 */
export async function signedFinalize(
  opened: OpenedResponse,
  signer: { privateKey: KeyLike; kid: string },
  signedAt = new Date(),
) {
  const manifest = {
    noticeId: opened.noticeId,
    submissionId: opened.submissionId,
    files: opened.files.map((f) => ({ name: f.name, size: f.bytes.length, sha256: sha256(f.bytes) })),
    answers: [
      { question: '1', answer: 'We use PhotoDNA and an in-house classifier on every upload.' },
      { question: '2', cannotAnswer: { reason: 'We do not measure time to action per report category.' } },
    ],
    signer: { name: 'Xavier Counsel', title: 'General Counsel' },
    signedAt: signedAt.toISOString(),
  };
  const jws = await new FlattenedSign(new TextEncoder().encode(canonicalJson(manifest)))
    .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid })
    .sign(signer.privateKey);
  return { manifest, signature: `${jws.protected}..${jws.signature}` };
}

export const finalizePath = (opened: OpenedResponse) =>
  `/notices/${opened.noticeId}/submissions/${opened.submissionId}/finalize`;

/** Polls GET submission (all a client does after a 202) until it carries a receipt, for up to `timeoutMs`. */
export async function pollUntilFiled(call: Call, opened: OpenedResponse, timeoutMs = 15_000) {
  const path = `/notices/${opened.noticeId}/submissions/${opened.submissionId}`;
  const deadline = Date.now() + timeoutMs;
  let submission = await call('x-corp-legal', 'GET', path);
  while (!submission.body.receipt && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    submission = await call('x-corp-legal', 'GET', path);
  }
  return submission;
}

/** The notice's `submitted` events. */
export async function submittedEvents(call: Call, noticeId: string) {
  const history = await call('officer', 'GET', `/notices/${noticeId}/history`);
  return (history.body.items as { kind: string; data: Record<string, unknown> }[]).filter(
    (e) => e.kind === 'submitted',
  );
}
