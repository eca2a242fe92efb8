/**
 * A deployed function never falls back to a development adapter: without the setting that chooses its mail
 * transport, signer or identity administration, the handler module refuses to load (a failed cold start), naming
 * the setting. What the CDK app sets is asserted by the infra tests; this proves the handlers demand it.
 */
const DEPLOYED_BASE = {
  TABLE_NAME: 'notice-portal-notices',
  AUTH_ISSUER: 'https://cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_TestPool',
  AUTH_AUDIENCE: 'notice-portal-client',
  AUTH_JWKS_URL: 'https://cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_TestPool/.well-known/jwks.json',
  RESPONSES_BUCKET: 'notice-portal-responses',
};

function loadWith(env: Record<string, string>, handler: string): unknown {
  const saved = process.env;
  process.env = { PATH: saved.PATH, ...env };
  try {
    let error: unknown;
    jest.isolateModules(() => {
      try {
        require(`../../lambdas/handlers/${handler}`);
      } catch (caught) {
        error = caught;
      }
    });
    return error;
  } finally {
    process.env = saved;
  }
}

it.each([
  ['run-reminders', {}, 'MAIL_TRANSPORT'],
  ['finalize-submission', { TOKEN_SIGNER: 'kms', TOKEN_KMS_KEY_ID: 'alias/tokens' }, 'RECEIPT_SIGNER'],
  ['get-notice', {}, 'TOKEN_SIGNER'],
  ['invite-user', { TOKEN_SIGNER: 'kms', TOKEN_KMS_KEY_ID: 'alias/tokens' }, 'IDENTITY_ADMIN'],
])('%s does not start without %j plus %s', (handler, extra, missing) => {
  // Act
  const error = loadWith({ ...DEPLOYED_BASE, ...extra }, handler);

  // Assess
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toContain(missing);
});

it('starts when the deployed settings are all there', () => {
  // Act
  const error = loadWith(
    {
      ...DEPLOYED_BASE,
      TOKEN_SIGNER: 'kms',
      TOKEN_KMS_KEY_ID: 'alias/tokens',
      IDENTITY_ADMIN: 'cognito',
      USER_POOL_ID: 'ap-southeast-2_TestPool',
    },
    'invite-user',
  );

  // Assess
  expect(error).toBeUndefined();
});
