import { transparencyDraft } from '../portal-harness';
import type { RequestTemplate } from './request-template';
import { draftNotice, extensionRequest, infringementNotice, issuedNotice, noticeWithExtension } from './resources';

/** Request templates for the notice routes: drafting, issuing, extensions, review, payments, history. */

const REASON = { reason: 'Issued to the wrong entity; see file note.' };

export const NOTICE_TEMPLATES: RequestTemplate[] = [
  // notices
  {
    id: 'createDraft',
    operationId: 'createDraft',
    scope: 'per-platform',
    body: ({ owner, p }) => transparencyDraft(owner, { title: `Notice ${p.draftCanary}` }),
    ok: [201],
  },
  { id: 'listNotices', operationId: 'listNotices', scope: 'global', ok: [200] },
  { id: 'countNotices', operationId: 'countNotices', scope: 'global', ok: [200] },
  {
    id: 'reviseDraft',
    operationId: 'reviseDraft',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.draftNoticeId }),
    body: ({ owner, p }) => ({ ...transparencyDraft(owner, { title: `Notice ${p.draftCanary}` }), expectedVersion: 1 }),
    allowed: async ({ h, owner, p }) => ({ params: { noticeId: await draftNotice(h, owner, p.canary) } }),
    ok: [200],
  },
  {
    id: 'getResponseDraft',
    operationId: 'getResponseDraft',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    ok: [200],
  },
  {
    // A fresh notice per allowed caller: saves of one draft from the same version would race (409 stale-version).
    id: 'saveResponseDraft',
    operationId: 'saveResponseDraft',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    body: () => ({ expectedVersion: 1, answers: [{ question: '1', answer: 'Overwritten?' }] }),
    allowed: async ({ h, owner, p }) => ({
      params: { noticeId: await issuedNotice(h, owner, p.canary) },
      body: { expectedVersion: 0, answers: [{ question: '1', answer: 'A first answer.' }] },
    }),
    ok: [200],
  },
  {
    id: 'listNotices:own-filter',
    operationId: 'listNotices',
    variant: '?platformId=<the resource platform>',
    scope: 'per-platform',
    query: ({ owner }) => ({ platformId: owner }),
    ok: [200],
  },
  {
    id: 'getNotice',
    operationId: 'getNotice',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    ok: [200],
  },
  {
    id: 'getNotice:draft',
    operationId: 'getNotice',
    variant: 'a draft',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.draftNoticeId }),
    ok: [200],
  },
  {
    id: 'issueNotice',
    operationId: 'issueNotice',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.draftNoticeId }),
    allowed: async ({ h, owner, p }) => ({ params: { noticeId: await draftNotice(h, owner, p.canary) } }),
    ok: [200],
  },
  {
    id: 'acknowledgeNotice',
    operationId: 'acknowledgeNotice',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    allowed: async ({ h, owner, p }) => ({ params: { noticeId: await issuedNotice(h, owner, p.canary) } }),
    ok: [200],
  },
  {
    id: 'withdrawNotice',
    operationId: 'withdrawNotice',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    body: () => REASON,
    allowed: async ({ h, owner, p }) => ({ params: { noticeId: await issuedNotice(h, owner, p.canary) } }),
    ok: [200],
  },
  {
    id: 'getNoticeHistory',
    operationId: 'getNoticeHistory',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    ok: [200],
  },
  {
    id: 'getNoticeCheckpointProofs',
    operationId: 'getNoticeCheckpointProofs',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    ok: [200],
  },
  {
    id: 'getNoticeCheckpointProofs:draft',
    operationId: 'getNoticeCheckpointProofs',
    variant: 'a draft',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.draftNoticeId }),
    ok: [200],
  },
  {
    id: 'getNoticeHistory:draft',
    operationId: 'getNoticeHistory',
    variant: 'a draft',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.draftNoticeId }),
    ok: [200],
  },
  // The review steps need a submitted response; on an issued notice an allowed caller gets a 409 (not an access
  // refusal), which is all the matrix asks of them. The filing flow itself is proven in signed-responses tests.
  {
    id: 'startReview',
    operationId: 'startReview',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    ok: [409],
  },
  {
    id: 'requestFurtherInformation',
    operationId: 'requestFurtherInformation',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    body: () => ({
      dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      reason: 'Please give the figures by month.',
    }),
    ok: [409],
  },
  {
    id: 'acceptResponse',
    operationId: 'acceptResponse',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    body: () => ({}),
    ok: [409],
  },
  {
    id: 'closeNotice',
    operationId: 'closeNotice',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    body: () => ({}),
    ok: [409],
  },
  {
    id: 'requestExtension',
    operationId: 'requestExtension',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    body: ({ p }) => extensionRequest(p.canary),
    allowed: async ({ h, owner, p }) => ({ params: { noticeId: await issuedNotice(h, owner, p.canary) } }),
    ok: [201],
  },
  {
    id: 'grantExtension',
    operationId: 'grantExtension',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, extensionId: p.extensionId }),
    body: () => ({}),
    allowed: async ({ h, owner, p }) => ({ params: await noticeWithExtension(h, owner, p.canary) }),
    ok: [200],
  },
  {
    id: 'refuseExtension',
    operationId: 'refuseExtension',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, extensionId: p.extensionId }),
    body: () => ({ reason: 'No exceptional circumstances were shown.' }),
    allowed: async ({ h, owner, p }) => ({ params: await noticeWithExtension(h, owner, p.canary) }),
    ok: [200],
  },
  {
    id: 'recordPayment',
    operationId: 'recordPayment',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.infringementNoticeId }),
    body: () => ({
      // Now: a payment must be made no earlier than the notice (issued just before) was given.
      paidAt: new Date().toISOString(),
      amount: { currency: 'AUD', amount: '16500.00' },
      reference: 'BPAY 9988776655',
    }),
    allowed: async ({ h, owner, p }) => ({ params: { noticeId: await infringementNotice(h, owner, p.canary) } }),
    ok: [200],
  },
  {
    // The fixture's infringement notice is not paid: an allowed caller gets 409 (nothing to correct), never 403.
    id: 'correctPayment',
    operationId: 'correctPayment',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.infringementNoticeId }),
    body: () => ({ reason: 'Entered against the wrong notice.', void: true }),
    ok: [409],
  },
  {
    // The time for payment (28 days) has not passed for any fixture: an allowed caller gets 409, never 403.
    id: 'recordNonPayment',
    operationId: 'recordNonPayment',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.infringementNoticeId }),
    body: () => ({ reason: 'Not paid by the time for payment.' }),
    ok: [409],
  },
  // evidence bundles
  {
    id: 'requestEvidenceBundle',
    operationId: 'requestEvidenceBundle',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    body: () => ({ files: 'hashes-only' }),
    ok: [202],
  },
  {
    // A draft has no evidence: 409 for regulators, and (as every draft) 404 for platforms.
    id: 'requestEvidenceBundle:draft',
    operationId: 'requestEvidenceBundle',
    variant: 'a draft',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.draftNoticeId }),
    body: () => ({ files: 'hashes-only' }),
    ok: [409],
  },
  {
    id: 'getEvidenceBundle',
    operationId: 'getEvidenceBundle',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, bundleId: p.bundleId }),
    ok: [200],
  },
];
