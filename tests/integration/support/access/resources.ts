import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, FlattenedSign, generateKeyPair } from 'jose';
import { canonicalJson } from '../../../../lambdas/domain/canonical-json';
import { type Harness, transparencyDraft } from '../portal-harness';
import { expectStatus } from './expect-status';
import type { PlatformFixtures, SigningKeyPair } from './fixtures';
import { type Owner, RESPONDER } from './owners';

/** Resources made through the API for the matrix: notices in each state, keys, uploads, a signed manifest. */

const DAY = 24 * 60 * 60 * 1000;

export async function draftNotice(h: Harness, owner: Owner, titleMarker: string): Promise<string> {
  const created = await h.as('officer').post('/notices', transparencyDraft(owner, { title: `Notice ${titleMarker}` }));
  expectStatus(created, 201, `draft a notice for ${owner}`);
  return created.body.id;
}

export async function issuedNotice(h: Harness, owner: Owner, titleMarker: string): Promise<string> {
  const id = await draftNotice(h, owner, titleMarker);
  expectStatus(await h.as('officer').post(`/notices/${id}/issue`), 200, `issue ${id}`);
  return id;
}

export async function infringementNotice(h: Harness, owner: Owner, titleMarker: string): Promise<string> {
  const created = await h.as('officer').post('/notices', {
    type: 'infringement-notice',
    platformId: owner,
    title: `Infringement notice ${titleMarker}`,
    mannerAndForm: 'Pay the amount payable by the time for payment.',
    infringement: {
      provisionContravened: 'Online Safety Act 2021 (Cth) s 57',
      contravention: {
        description: 'Failed to give a report in response to a transparency notice by the time it was due.',
        occurredFrom: '2026-01-01T00:00:00.000Z',
      },
      maximumPenalty: { currency: 'AUD', amount: '782500.00' },
      amountPayable: { currency: 'AUD', amount: '16500.00' },
      paymentPlace: 'By BPAY (biller code 12345) or at https://pay.regulator.example/infringements',
    },
  });
  expectStatus(created, 201, `draft an infringement notice for ${owner}`);
  expectStatus(await h.as('officer').post(`/notices/${created.body.id}/issue`), 200, 'issue the infringement notice');
  return created.body.id;
}

/** An issued notice with a pending extension (ext_1) asked for by the platform. */
export async function noticeWithExtension(h: Harness, owner: Owner, titleMarker: string) {
  const id = await issuedNotice(h, owner, titleMarker);
  const asked = await h.as(RESPONDER[owner]).post(`/notices/${id}/extensions`, extensionRequest(titleMarker));
  expectStatus(asked, 201, `request an extension of ${id}`);
  return { noticeId: id, extensionId: asked.body.extensions.at(-1).id as string };
}

export function extensionRequest(marker: string) {
  return {
    requestedDueAt: new Date(Date.now() + 120 * DAY).toISOString(),
    reason: `Our data team needs more time to compile the figures (${marker}).`,
  };
}

export async function newSigningKey(): Promise<SigningKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, kid: await calculateJwkThumbprint(jwk) };
}

export async function registeredKey(h: Harness, owner: Owner): Promise<SigningKeyPair> {
  const key = await newSigningKey();
  const registered = await h.as('admin').post(`/platforms/${owner}/signing-keys`, { jwk: key.jwk });
  expectStatus(registered, 201, `register a signing key for ${owner}`);
  return key;
}

const pdf = (text: string) => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);

/** Opens a submission with one small file and uploads it through its presigned PUT URL. */
export async function openAndUpload(h: Harness, owner: Owner, noticeId: string, fileName: string) {
  const bytes = pdf(`Response of ${owner} to ${noticeId}`);
  const opened = await h.as(RESPONDER[owner]).post(`/notices/${noticeId}/submissions`, {
    files: [
      {
        name: fileName,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        contentType: 'application/pdf',
      },
    ],
  });
  expectStatus(opened, 201, `open a submission on ${noticeId}`);
  const upload = opened.body.uploads[0];
  const put = await fetch(upload.url, {
    method: 'PUT',
    body: bytes,
    headers: { ...upload.headers, 'content-type': 'application/pdf' },
  });
  if (put.status !== 200) throw new Error(`Upload of ${fileName} through its presigned URL failed: ${put.status}`);
  return { submissionId: opened.body.submission.submissionId as string, bytes };
}

/** A fresh notice with an uploaded response and a manifest signed with the platform's registered key. */
export async function readyToFinalize(h: Harness, f: PlatformFixtures) {
  const noticeId = await issuedNotice(h, f.owner, f.canary);
  const fileName = `${f.canary}-fresh.pdf`;
  const { submissionId, bytes } = await openAndUpload(h, f.owner, noticeId, fileName);
  const manifest = manifestFor(noticeId, submissionId, [
    { name: fileName, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
  ]);
  const jws = await new FlattenedSign(new TextEncoder().encode(canonicalJson(manifest)))
    .setProtectedHeader({ alg: 'EdDSA', kid: f.key.kid })
    .sign(f.key.privateKey);
  return { noticeId, submissionId, body: { manifest, signature: `${jws.protected}..${jws.signature}` } };
}

export function manifestFor(
  noticeId: string,
  submissionId: string,
  files: { name: string; size: number; sha256: string }[],
) {
  return {
    noticeId,
    submissionId,
    files,
    answers: [
      { question: '1', answer: 'We use hash matching and an in-house classifier on every upload.' },
      { question: '2', cannotAnswer: { reason: 'We do not measure time to action per report category.' } },
    ],
    signer: { name: 'Counsel', title: 'General Counsel' },
    signedAt: new Date().toISOString(),
  };
}
