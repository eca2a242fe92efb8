import { createHash } from 'node:crypto';
import { compactVerify, flattenedVerify, importJWK, type JWK } from 'jose';
import type { CreateDraftRequest } from '../../lambdas/domain/notice';
import sample from '../fixtures/evidence-sample.json';
import { defined } from '../support/defined';
import { DAY, noticeServiceForTest, officer, xCorpLegal } from '../support/notice-fixtures';

/**
 * A third party's check of the portal's evidence, written from the README ("What each hash covers") and nothing
 * else: its own RFC 8785 canonicalisation, its own chain walk, no import of the portal's hashing or signing code.
 * It runs on a history, manifest and receipt captured from the real local portal and CLI, and on a history the
 * current domain code writes, so the README, the stored evidence and the code cannot drift apart unnoticed.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** RFC 8785 for parsed JSON: members sorted by UTF-16 code units, no whitespace, ECMAScript number form. */
function jcs(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jcs).join(',')}]`;
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${jcs(defined(value[k], `member ${k}`))}`).join(',')}}`;
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The README's chain rule: hash = SHA-256(JCS(event without `hash`)); prevHash of seq 1 is 64 zeros. */
function chainProblems(events: { [key: string]: Json }[]): string[] {
  const problems: string[] = [];
  let prevHash = '0'.repeat(64);
  events.forEach((event, i) => {
    const { hash, ...preimage } = event;
    if (event.seq !== i + 1) problems.push(`event ${i + 1}: seq is ${event.seq}`);
    if (event.prevHash !== prevHash) problems.push(`event ${event.seq}: prevHash does not name the event before`);
    if (sha256Hex(jcs(preimage)) !== hash) problems.push(`event ${event.seq}: hash does not match its content`);
    prevHash = hash as string;
  });
  return problems;
}

const history = sample.history as unknown as { [key: string]: Json }[];
const submitted = sample.history.find((e) => e.kind === 'submitted') as unknown as {
  data: { receipt: string; manifestSha256: string; signature: string; kid: string };
};

describe('the event chain, recomputed from the README', () => {
  it('verifies a history captured from the local portal, event by event', () => {
    expect(history.map((e) => e.kind)).toEqual([
      'created',
      'issued',
      'acknowledged',
      'extension-requested',
      'extension-granted',
      'submitted',
    ]);
    expect(chainProblems(history)).toEqual([]);
  });

  it('finds an edited event and a removed one', () => {
    const edited = history.map((e) => (e.seq === 4 ? { ...e, reason: 'A different reason, written later.' } : e));
    const removed = history.filter((e) => e.seq !== 3);

    expect(chainProblems(edited)).toEqual(['event 4: hash does not match its content']);
    expect(chainProblems(removed)).toContain('event 4: prevHash does not name the event before');
  });

  it('verifies a history the current code writes (with an idempotency key and a reason)', async () => {
    // Prepare
    const { service, clock } = noticeServiceForTest();
    const { notice } = await service.createDraft(officer, sampleDraft(), 'draft-key-0001');
    const issued = await service.issue(officer, notice.id);
    await service.acknowledge(xCorpLegal, notice.id, 'ack-key-0001');
    clock.advance(DAY);
    await service.requestExtension(xCorpLegal, notice.id, {
      requestedDueAt: new Date(Date.parse(issued.dueAt as string) + 7 * DAY).toISOString(),
      reason: 'Our classifier audit finishes a week after the due date.',
    });

    // Act
    const { items } = await service.history(officer, notice.id, { limit: 100 });
    const asReturned = JSON.parse(JSON.stringify(items)) as { [key: string]: Json }[];

    // Assess
    expect(asReturned.map((e) => e.kind)).toEqual(['created', 'issued', 'acknowledged', 'extension-requested']);
    expect(asReturned.at(0)?.idempotencyKey).toBe('draft-key-0001');
    expect(chainProblems(asReturned)).toEqual([]);
  });
});

describe('the manifest hash and the receipt, recomputed from the README', () => {
  const manifest = sample.manifest as unknown as Json;
  const payload = jcs(manifest);

  it('hashes the manifest as sent to the same manifestSha256 the receipt and the submitted event state', async () => {
    const { payload: claimsBytes } = await compactVerify(submitted.data.receipt, await receiptKey());
    const claims = JSON.parse(new TextDecoder().decode(claimsBytes));

    expect(sha256Hex(payload)).toBe(claims.manifestSha256);
    expect(submitted.data.manifestSha256).toBe(claims.manifestSha256);
  });

  it("verifies the platform's detached JWS over the manifest's canonical JSON", async () => {
    const [protectedHeader, empty, signature] = sample.manifestSignature.split('.');
    const header = JSON.parse(
      Buffer.from(defined(protectedHeader, 'the protected header'), 'base64url').toString('utf8'),
    );
    const key = await importJWK(sample.platformPublicKey as JWK, header.alg);

    const verified = await flattenedVerify(
      {
        protected: protectedHeader,
        payload: Buffer.from(payload, 'utf8').toString('base64url'),
        signature: defined(signature, 'the signature'),
      },
      key,
    );

    expect(empty).toBe('');
    expect(Object.keys(header).sort()).toEqual(['alg', 'kid']);
    expect(header.kid).toBe(submitted.data.kid);
    expect(new TextDecoder().decode(verified.payload)).toBe(payload);
  });

  it('states exactly the documented claims, signed ES256 with typ nrp-receipt+jws and the JWKS key', async () => {
    const { payload: claimsBytes, protectedHeader } = await compactVerify(submitted.data.receipt, await receiptKey());
    const claimsText = new TextDecoder().decode(claimsBytes);
    const claims = JSON.parse(claimsText);
    const m = sample.manifest;

    expect(protectedHeader).toEqual({
      alg: 'ES256',
      kid: defined(sample.receiptKeys.keys[0], 'the receipt key').kid,
      typ: 'nrp-receipt+jws',
    });
    expect(claimsText).toBe(jcs(claims)); // the payload is itself canonical JSON
    expect(Object.keys(claims).sort()).toEqual(
      [
        'typ',
        'receiptNumber',
        'noticeId',
        'submissionId',
        'platformId',
        'legalBasis',
        'filedAt',
        'dueAt',
        'dueBasis',
        'onTime',
        'files',
        'manifestSha256',
        'signedBy',
        'issuedAt',
      ].sort(),
    );
    expect(claims).toMatchObject({
      typ: 'notice-response-receipt',
      noticeId: m.noticeId,
      submissionId: m.submissionId,
      platformId: 'x-corp',
      files: m.files,
      signedBy: { kid: submitted.data.kid, name: m.signer.name, signedAt: m.signedAt },
      onTime: Date.parse(claims.filedAt) <= Date.parse(claims.dueAt),
    });
    expect(claims.receiptNumber).toBe(documentedReceiptNumber(m.noticeId, m.submissionId, claims.filedAt));
    // The due time in force is the granted extension's, and dueBasis names that grant (ids and times only).
    const granted = sample.history.find((e) => e.kind === 'extension-granted') as unknown as {
      at: string;
      seq: number;
      data: { extensionId: string; grantedDueAt: string; legalBasis: string };
    };
    expect(granted.data.extensionId).toBe('ext_1');
    expect(claims.dueAt).toBe(granted.data.grantedDueAt);
    expect(claims.dueBasis).toEqual({
      kind: 'extension',
      setAt: granted.at,
      eventSeq: granted.seq,
      extensionId: granted.data.extensionId,
      legalBasis: granted.data.legalBasis,
    });
  });
});

/** README: Crockford base32 of the first 10 bytes of SHA-256("<noticeId>|<submissionId>"), each byte mod 32. */
function documentedReceiptNumber(noticeId: string, submissionId: string, filedAt: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const digest = createHash('sha256').update(`${noticeId}|${submissionId}`).digest();
  const chars = [...digest.subarray(0, 10)].map((byte) => alphabet[byte % 32]).join('');
  return `NRP-${filedAt.slice(0, 4)}-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

async function receiptKey() {
  return importJWK(sample.receiptKeys.keys[0] as JWK, 'ES256');
}

function sampleDraft(): CreateDraftRequest {
  return {
    type: 'transparency-notice',
    platformId: 'x-corp',
    title: 'Transparency notice: child sexual exploitation and abuse',
    mannerAndForm: 'Answer each question in writing through this portal.',
    requirements: {
      questions: [
        { number: '1', text: 'Describe the tools you use to detect known CSAM.' },
        { number: '2', text: 'State the median time to action a user report.' },
      ],
    },
  };
}
