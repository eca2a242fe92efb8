import { verifyReceipt } from '../../cli/receipt';
import type { Notice } from '../../lambdas/domain/notice';
import { sealEvent } from '../../lambdas/domain/notice-event';
import { applyEvent } from '../../lambdas/domain/notice-lifecycle';
import { type Manifest, receiptClaims, type Submission } from '../../lambdas/domain/submission';
import { DAY, noticeServiceForTest, officer, transparencyDraft, xCorpLegal } from '../support/notice-fixtures';

/**
 * A receipt states exactly what set the due time its response was judged against — the notice type's rule, the
 * officer's explicit due time, a granted extension or a further-information request — and nothing stale.
 */
const GIVEN_AT = '2026-11-24T03:00:00.000Z';
const EXTENDED_TO = '2027-01-12T12:59:59.999Z';
const FURTHER_INFORMATION_DUE = '2027-02-01T06:00:00.000Z';
const FILED_AT = '2027-01-20T00:00:00.000Z';

function claimsFor(notice: Notice) {
  const submission = { submissionId: 'sub_01KAZ0000000000000000000CD' } as Submission;
  const manifest = { files: [], signer: { name: 'Xavier Counsel' }, signedAt: FILED_AT } as unknown as Manifest;
  return receiptClaims({ notice, submission, manifest, kid: 'kid-1', filedAt: FILED_AT, issuedAt: FILED_AT });
}

/** An issued notice whose extension ext_1 was granted, then a response filed and reviewed. */
async function extendedAndReviewed() {
  const portal = noticeServiceForTest({ start: GIVEN_AT });
  const { service, store, clock } = portal;
  const { notice: draft } = await service.createDraft(officer, transparencyDraft());
  await service.issue(officer, draft.id);
  clock.advance(DAY);
  await service.requestExtension(xCorpLegal, draft.id, { requestedDueAt: EXTENDED_TO, reason: 'Three units.' });
  const extended = await service.grantExtension(officer, draft.id, 'ext_1', { legalBasis: 'OSA s 57(2)' });
  clock.advance(DAY);
  // A filed response, as the submission service commits it (its receipt is not what this test is about).
  const submitted = sealEvent(draft.id, extended.version + 1, extended.lastEventHash, {
    kind: 'submitted',
    at: clock.now().toISOString(),
    actor: { subject: xCorpLegal.subject, role: 'platform-responder', platformId: 'x-corp' },
    data: {
      submissionId: 'sub_01KAZ0000000000000000000AA',
      filedAt: clock.now().toISOString(),
      onTime: true,
      receiptNumber: 'NRP-2026-0000-0000-AA',
      receipt: 'not.a.receipt',
      manifestSha256: '0'.repeat(64),
      signature: 'not..a-signature',
      kid: 'kid-1',
      files: [],
    },
  });
  await store.append(submitted, applyEvent(extended, submitted));
  await service.startReview(officer, draft.id);
  return { ...portal, id: draft.id, extended };
}

describe('the due basis a receipt states', () => {
  it('names the further-information request, and not the earlier extension, once that request set the due time', async () => {
    // Prepare
    const { service, id } = await extendedAndReviewed();

    // Act
    const asked = await service.requestFurtherInformation(officer, id, {
      dueAt: FURTHER_INFORMATION_DUE,
      reason: 'Answer 2 lacks the figures for the second half of the year.',
    });
    const claims = claimsFor(asked);

    // Assess
    expect(claims.dueAt).toBe(FURTHER_INFORMATION_DUE);
    expect(claims.dueBasis).toEqual({ kind: 'further-information', setAt: asked.updatedAt, eventSeq: asked.version });
    expect(JSON.stringify(claims)).not.toContain(EXTENDED_TO);
    expect(JSON.stringify(claims)).not.toContain('ext_1');
    expect(asked.dueBasis).toMatchObject({ kind: 'further-information', previousDueAt: EXTENDED_TO });
  });

  it('names the granted extension, with its legal basis and the event that granted it, while it is in force', async () => {
    // Prepare
    const { extended } = await extendedAndReviewed();

    // Act
    const claims = claimsFor(extended);

    // Assess
    expect(claims.dueAt).toBe(EXTENDED_TO);
    expect(claims.dueBasis).toEqual({
      kind: 'extension',
      setAt: extended.updatedAt,
      eventSeq: extended.version,
      extensionId: 'ext_1',
      legalBasis: 'OSA s 57(2)',
    });
  });

  it.each([
    ["the notice type's rule", {}, 'rule'],
    ['the explicit due time in the draft', { dueAt: '2026-12-15T06:00:00.000Z' }, 'explicit'],
  ] as const)('names %s for a notice due as issued', async (_label, overrides, kind) => {
    // Prepare
    const { service } = noticeServiceForTest({ start: GIVEN_AT });
    const { notice: draft } = await service.createDraft(officer, transparencyDraft(overrides));

    // Act
    const issued = await service.issue(officer, draft.id);

    // Assess
    expect(claimsFor(issued).dueBasis).toEqual({ kind, setAt: GIVEN_AT, eventSeq: 2 });
  });

  it('is read back by verify-receipt, which no longer expects an extension claim', async () => {
    // Prepare
    const { generateKeyPair, exportJWK, CompactSign } = await import('jose');
    const { extended } = await extendedAndReviewed();
    const claims = claimsFor(extended);
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'receipt-1', alg: 'ES256', use: 'sig' };
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'ES256', kid: 'receipt-1', typ: 'notice-response-receipt+jws' })
      .sign(privateKey);

    // Act
    const verified = await verifyReceipt(jws, { keys: [jwk] });

    // Assess
    expect(verified.claims.dueBasis).toEqual(claims.dueBasis);
  });
});
