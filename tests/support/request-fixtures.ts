/**
 * One valid request body per operation that takes one, with every optional text and date field filled in, so a
 * test can walk every string leaf of a body schema and find a value there to corrupt. The contract tests check
 * that each of these parses with its operation's schema and type-checks against the client generated from the
 * OpenAPI document.
 */
const NOTICE_ID = 'ntc_01JQ3Z6X8Y9ABCDEFGHJKMNPQR';
const SUBMISSION_ID = 'sub_01JQ3Z6X8Y9ABCDEFGHJKMNPQR';

/** A valid value for each path parameter, by name, as API Gateway passes them (strings). */
export const VALID_PATH_PARAMETERS: Record<string, string> = {
  noticeId: NOTICE_ID,
  extensionId: 'ext_1',
  platformId: 'x-corp',
  subject: 'c1a2b3c4-0000-4000-8000-000000000001',
  clientId: 'pac_01JQ3Z6X8Y9ABCDEFGHJKMNPQR',
  kid: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
  submissionId: SUBMISSION_ID,
  fileIndex: '0',
  bundleId: 'bdl_01JQ3Z6X8Y9ABCDEFGHJKMNPQR',
  seq: '1',
};

/** A valid query string per operation that takes one, every parameter given. */
export const VALID_QUERIES: Record<string, Record<string, string>> = {
  listNotices: {
    status: 'issued',
    platformId: 'x-corp',
    type: 'transparency-notice',
    dueBefore: '2026-04-01T00:00:00Z',
    dueAfter: '2026-03-01T00:00:00Z',
    open: 'true',
    extension: 'requested',
    order: 'desc',
    limit: '10',
    cursor: 'eyJwayI6Im5vdGljZSJ9',
  },
  getNoticeHistory: { limit: '10', cursor: 'eyJwayI6Im5vdGljZSJ9' },
  listUsers: { platformId: 'x-corp' },
};

export const VALID_REQUEST_BODIES: Record<string, unknown> = {
  createDraft: {
    type: 'infringement-notice',
    platformId: 'x-corp',
    title: 'Infringement notice: failure to answer a transparency notice',
    legalBasis: 'Regulatory Powers (Standard Provisions) Act 2014 (Cth) s 104',
    requirements: {
      questions: [{ number: '3(a)', text: 'Describe the tools you use.\nGive numbers for each quarter.' }],
      requiredAction: 'Pay the amount payable.',
    },
    mannerAndForm: 'Pay by electronic funds transfer.',
    consequences: 'The Commissioner may start civil penalty proceedings.',
    timeZone: 'Australia/Sydney',
    responsePeriod: { amount: 28, unit: 'calendar-days' },
    dueAt: '2026-03-31T17:00:00+11:00',
    jurisdiction: { country: 'AU', state: 'NSW', holidayTypes: ['public', 'bank'] },
    contacts: ['legal@x.example'],
    infringement: {
      relatedNoticeId: NOTICE_ID,
      contravention: {
        description: 'Did not answer the transparency notice given on 22 February 2023.\nQuestions 1 to 31.',
        occurredFrom: '2026-03-01T00:00:00+11:00',
        occurredUntil: '2026-04-06T00:00:00+10:00',
      },
      provisionContravened: 'Online Safety Act 2021 (Cth) s 57',
      maximumPenalty: { currency: 'AUD', amount: '782500.00' },
      amountPayable: { currency: 'AUD', amount: '610500.00' },
      paymentPlace: 'eSafety Commissioner\nLevel 5, 190 Pitt St, Sydney NSW 2000',
    },
  },
  // Every field a create-draft body has (so every text and date leaf is walked), and the version revised.
  reviseDraft: { expectedVersion: 1 },
  previewDueTime: {
    type: 'transparency-notice',
    timeZone: 'Australia/Sydney',
    responsePeriod: { amount: 28, unit: 'calendar-days' },
    dueAt: '2026-03-31T17:00:00+11:00',
    jurisdiction: { country: 'AU', state: 'NSW', holidayTypes: ['public', 'bank'] },
    givenAt: '2026-03-02T10:00:00+11:00',
  },
  // The countersignature is optional; its form is checked here, its signature in tests/integration/signed-notices.
  acknowledgeNotice: { signature: 'eyJhbGciOiJFZERTQSJ9.e30.c2lnbmF0dXJl' },
  withdrawNotice: { reason: 'Issued to the wrong platform.' },
  requestFurtherInformation: { dueAt: '2026-04-30T17:00:00+10:00', reason: 'Answer 3(a) gives no numbers.' },
  acceptResponse: { reason: 'Complete.' },
  closeNotice: { reason: 'Nothing further.' },
  requestExtension: { requestedDueAt: '2026-04-14T17:00:00+10:00', reason: 'The data warehouse is being migrated.' },
  grantExtension: {
    dueAt: '2026-04-14T17:00:00+10:00',
    reason: 'A good reason was given.',
    legalBasis: 'Online Safety Act 2021 (Cth) s 57(2)',
  },
  refuseExtension: { reason: 'No reason was given.' },
  recordPayment: {
    paidAt: '2026-04-01T09:30:00+11:00',
    amount: { currency: 'AUD', amount: '610500.00' },
    reference: 'EFT 12345',
  },
  correctPayment: {
    reason: 'The amount was keyed in wrong.\nBank statement attached.',
    paidAt: '2026-04-01T09:30:00+11:00',
    amount: { currency: 'AUD', amount: '610500.00' },
    reference: 'EFT 12346',
  },
  recordNonPayment: { reason: 'Nothing was paid by the due time.' },
  createPlatform: {
    platformId: 'x-corp',
    legalName: 'X Corp.',
    tradingNames: ['X', 'Twitter'],
    jurisdiction: { country: 'US', state: 'CA' },
    contacts: ['legal@x.example'],
  },
  renamePlatform: { legalName: 'X Corp.', tradingNames: ['X'], reason: 'Renamed in July 2023.' },
  changePlatformContacts: { contacts: ['legal@x.example'], reason: 'New legal team.' },
  mergePlatform: { into: 'x-corp', reason: 'Acquired in 2022.' },
  inviteUser: { email: 'xavier@x.example', name: 'Xavier Counsel', role: 'platform-responder', platformId: 'x-corp' },
  disableUser: { reason: 'Left the firm.' },
  createApiClient: { label: 'Compliance automation' },
  revokeApiClient: { reason: 'Secret rotated.' },
  issueAccessToken: {
    grant_type: 'client_credentials',
    client_id: 'pac_01JQ3Z6X8Y9ABCDEFGHJKMNPQR',
    client_secret: 'a-secret-of-some-length',
    scope: 'notices',
  },
  registerSigningKey: {
    jwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
    validFrom: '2026-01-01T00:00:00Z',
    validUntil: '2027-01-01T00:00:00Z',
    label: 'Legal team key 2026',
  },
  revokeSigningKey: { effectiveAt: '2026-06-01T00:00:00Z', reason: 'Rotated.' },
  openSubmission: {
    files: [{ name: 'response.pdf', size: 1024, sha256: 'a'.repeat(64), contentType: 'application/pdf' }],
  },
  saveResponseDraft: {
    expectedVersion: 0,
    answers: [
      { question: '1', answer: 'See the attached report.\nSection 2 gives the numbers.' },
      { question: '2', cannotAnswer: { reason: 'The data is not kept.' } },
    ],
    signer: { name: 'Xavier Counsel', title: 'General Counsel', email: 'xavier@x.example' },
    submissionId: SUBMISSION_ID,
    readyForSigning: true,
  },
  getUploadUrls: {
    parts: [
      { partNumber: 1, sha256: 'b'.repeat(64) },
      { partNumber: 2, sha256: 'c'.repeat(64) },
    ],
  },
  completeFile: {
    parts: [{ partNumber: 1, etag: '"9b2cf535f27731c974343645a3985328"', sha256: 'b'.repeat(64) }],
  },
  finalizeSubmission: {
    manifest: {
      noticeId: NOTICE_ID,
      submissionId: SUBMISSION_ID,
      files: [{ name: 'response.pdf', size: 1024, sha256: 'a'.repeat(64) }],
      answers: [
        { question: '1', answer: 'See the attached report.\nSection 2 gives the numbers.' },
        { question: '2', cannotAnswer: { reason: 'The data is not kept.' } },
      ],
      signer: { name: 'Xavier Counsel', title: 'General Counsel', email: 'xavier@x.example' },
      signedAt: '2026-03-30T10:00:00+11:00',
    },
    signature: 'eyJhbGciOiJFZERTQSJ9..c2lnbmF0dXJl',
  },
  requestEvidenceBundle: { files: 'hashes-only' },
};

// A revision carries the create-draft fields too.
VALID_REQUEST_BODIES.reviseDraft = {
  ...(VALID_REQUEST_BODIES.createDraft as Record<string, unknown>),
  ...(VALID_REQUEST_BODIES.reviseDraft as Record<string, unknown>),
};
