import { parseAuthConfig, parseMachineTokenConfig } from '../../lambdas/config/auth';
import { ConfigError } from '../../lambdas/config/env';
import { parseIdentityConfig } from '../../lambdas/config/identity';
import { parseLoggingConfig } from '../../lambdas/config/logging';
import { parseMailConfig } from '../../lambdas/config/mail';
import { parseNoticeConfig } from '../../lambdas/config/notices';
import { parseSigningConfig } from '../../lambdas/config/signing';
import { parseTableConfig } from '../../lambdas/config/table';
import { type CatalogueEntry, DEFAULT_CATALOGUE } from '../../lambdas/domain/notice-catalogue';
import { defined } from '../support/defined';

/** The variables every deployment sets; each test removes or changes what it is about. */
function environment(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    TABLE_NAME: 'notice-portal-notices',
    AUTH_ISSUER: 'https://cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_TestPool',
    AUTH_AUDIENCE: 'notice-portal-client',
    AUTH_JWKS_URL: 'https://cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_TestPool/.well-known/jwks.json',
    ...overrides,
  };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return env;
}

const ofcomInformationNotice: CatalogueEntry = {
  type: 'information-notice',
  label: 'Information notice',
  legalBasis: 'Online Safety Act 2023 (UK) s 100',
  demands: 'answers',
  deadline: {
    period: { amount: 7, unit: 'calendar-days' },
    cutOff: 'end-of-day',
    rollToBusinessDay: false,
    excludeDayOfGiving: true,
  },
  reminders: { beforeDue: [{ amount: 2, unit: 'days' }], atDue: true, escalateAfter: null },
  consequences: 'Failure to comply may lead to a penalty.',
};

/** The concern whose parser reads each variable. */
const PARSER_OF: Record<string, (env: NodeJS.ProcessEnv) => unknown> = {
  TABLE_NAME: parseTableConfig,
  AUTH_ISSUER: parseAuthConfig,
  AUTH_AUDIENCE: parseAuthConfig,
  AUTH_JWKS_URL: parseAuthConfig,
  DEFAULT_TIME_ZONE: parseNoticeConfig,
  DEADLINE_JURISDICTION: parseNoticeConfig,
  MAX_DUE_DAYS: parseNoticeConfig,
  NOTICE_CATALOGUE: parseNoticeConfig,
  LOG_LEVEL: parseLoggingConfig,
  MAIL_TRANSPORT: parseMailConfig,
  ESCALATION_EMAIL: parseMailConfig,
};

function configError(env: NodeJS.ProcessEnv, variable: string): ConfigError {
  try {
    defined(PARSER_OF[variable], `the parser of ${variable}`)(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected the parser of ${variable} to refuse the environment`);
}

describe('configuration, one parser per concern', () => {
  it('reads the required variables and applies the defaults', () => {
    // Act
    const env = environment();
    const config = {
      ...parseTableConfig(env),
      auth: parseAuthConfig(env),
      ...parseNoticeConfig(env),
      ...parseLoggingConfig(env),
    };

    // Assess: the settings of other features (receipts, uploads) have their own tests.
    expect(config).toMatchObject({
      tableName: 'notice-portal-notices',
      auth: {
        issuer: 'https://cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_TestPool',
        audience: 'notice-portal-client',
        jwksUrl: 'https://cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_TestPool/.well-known/jwks.json',
      },
      defaultTimeZone: 'Australia/Sydney',
      catalogue: DEFAULT_CATALOGUE,
      logLevel: 'info',
      deadlineJurisdiction: { country: 'AU', state: 'NSW' },
    });
  });

  it.each([
    ['AU', { country: 'AU' }],
    ['AU-VIC', { country: 'AU', state: 'VIC' }],
  ])('reads DEADLINE_JURISDICTION=%s as a country and an optional state', (value, expected) => {
    // Act
    const config = parseNoticeConfig(environment({ DEADLINE_JURISDICTION: value }));

    // Assess
    expect(config.deadlineJurisdiction).toEqual(expected);
  });

  it('bounds explicit due times at 730 days unless MAX_DUE_DAYS says otherwise, and refuses a bad value', () => {
    // Act
    const byDefault = parseNoticeConfig(environment());
    const configured = parseNoticeConfig(environment({ MAX_DUE_DAYS: '90' }));
    const bad = () => parseNoticeConfig(environment({ MAX_DUE_DAYS: 'two years' }));

    // Assess
    expect(byDefault.maxDueDays).toBe(730);
    expect(configured.maxDueDays).toBe(90);
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/MAX_DUE_DAYS/);
  });

  it('sends mail through SES with the configuration set and escalation address it is given', () => {
    // Act
    const mail = parseMailConfig(
      environment({
        MAIL_TRANSPORT: 'ses',
        MAIL_SENDER: 'reminders@esafety.example',
        MAIL_CONFIGURATION_SET: 'notice-portal-reminders',
        ESCALATION_EMAIL: 'enforcement@esafety.example',
      }),
    );

    // Assess
    expect(mail).toEqual({
      transport: 'ses',
      sender: 'reminders@esafety.example',
      configurationSet: 'notice-portal-reminders',
      escalationEmail: 'enforcement@esafety.example',
    });
  });

  it('refuses to send through SES without a configuration set, naming it', () => {
    // Act
    const error = configError(
      environment({ MAIL_TRANSPORT: 'ses', MAIL_SENDER: 'reminders@esafety.example' }),
      'MAIL_TRANSPORT',
    );

    // Assess
    expect(error.message).toContain('MAIL_CONFIGURATION_SET');
  });

  it('takes the time zone and log level when they are set', () => {
    // Act
    const env = environment({ DEFAULT_TIME_ZONE: 'Europe/London', LOG_LEVEL: 'debug' });

    // Assess
    expect(parseNoticeConfig(env).defaultTimeZone).toBe('Europe/London');
    expect(parseLoggingConfig(env).logLevel).toBe('debug');
  });

  it.each(['TABLE_NAME', 'AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL'])(
    'refuses to start without %s, naming it',
    (name) => {
      // Act
      const error = configError(environment({ [name]: undefined }), name);

      // Assess
      expect(error.message).toContain(name);
    },
  );

  it.each([
    ['AUTH_ISSUER', 'not a url'],
    ['DEFAULT_TIME_ZONE', 'Australia/Atlantis'],
    ['LOG_LEVEL', 'verbose'],
    ['DEADLINE_JURISDICTION', 'New South Wales'],
    ['MAIL_TRANSPORT', 'smtp'],
    ['ESCALATION_EMAIL', 'not an address'],
  ])('refuses an invalid %s, naming it', (name, value) => {
    // Act
    const error = configError(environment({ [name]: value }), name);

    // Assess
    expect(error.message).toContain(name);
  });

  it('stops a function at cold start on a bad LOG_LEVEL, since every handler is wrapped by instrumented()', () => {
    // Prepare
    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'verbose';

    try {
      // Act and assess
      expect(() => jest.isolateModules(() => require('../../lambdas/observability/instrumented-handler'))).toThrow(
        /LOG_LEVEL/,
      );
    } finally {
      if (previous === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previous;
    }
  });

  it.each([
    ['mail', parseMailConfig, {}, 'MAIL_TRANSPORT'],
    ['mail', parseMailConfig, { MAIL_TRANSPORT: 'outbox' }, 'MAIL_SENDER'],
    ['mail', parseMailConfig, { MAIL_TRANSPORT: 'outbox', MAIL_SENDER: 'n@regulator.example' }, 'OUTBOX_DIR'],
    ['receipt signing', parseSigningConfig, {}, 'RECEIPT_SIGNER'],
    ['receipt signing', parseSigningConfig, { RECEIPT_SIGNER: 'file' }, 'RECEIPT_KEY_FILE'],
    ['machine tokens', parseMachineTokenConfig, {}, 'TOKEN_SIGNER'],
    ['machine tokens', parseMachineTokenConfig, { TOKEN_SIGNER: 'file' }, 'TOKEN_KEY_FILE'],
    ['identity', parseIdentityConfig, {}, 'IDENTITY_ADMIN'],
    ['identity', parseIdentityConfig, { IDENTITY_ADMIN: 'dev' }, 'DEV_USERS_FILE'],
  ] as const)(
    'fails closed: %s settings without %j stop the function, naming %s',
    (_concern, parse, given, missing) => {
      // Act: nothing falls back to a development adapter (outbox, key file, dev accounts) when a setting is missing
      let error: unknown;
      try {
        parse(environment(given));
      } catch (caught) {
        error = caught;
      }

      // Assess
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toContain(missing);
    },
  );

  it('replaces the built-in catalogue with NOTICE_CATALOGUE', () => {
    // Act
    const config = parseNoticeConfig(environment({ NOTICE_CATALOGUE: JSON.stringify([ofcomInformationNotice]) }));

    // Assess
    expect(config.catalogue).toEqual([ofcomInformationNotice]);
  });

  it('keeps the built-in catalogue when NOTICE_CATALOGUE is blank', () => {
    // Act
    const config = parseNoticeConfig(environment({ NOTICE_CATALOGUE: '  ' }));

    // Assess
    expect(config.catalogue).toBe(DEFAULT_CATALOGUE);
  });

  it('refuses a NOTICE_CATALOGUE that is not JSON', () => {
    // Act
    const error = configError(environment({ NOTICE_CATALOGUE: '[{"type": "information-notice",' }), 'NOTICE_CATALOGUE');

    // Assess
    expect(error.message).toBe('Invalid configuration: NOTICE_CATALOGUE is not valid JSON');
  });

  it('refuses a catalogue that lists one notice type twice', () => {
    // Prepare
    const duplicated = [ofcomInformationNotice, { ...ofcomInformationNotice, label: 'Another label' }];

    // Act
    const error = configError(environment({ NOTICE_CATALOGUE: JSON.stringify(duplicated) }), 'NOTICE_CATALOGUE');

    // Assess
    expect(error.message).toContain('NOTICE_CATALOGUE');
    expect(error.message).toContain('notice types must be unique');
  });

  it('refuses a catalogue entry with an invalid field, naming where it is', () => {
    // Prepare
    const broken = [ofcomInformationNotice, { ...ofcomInformationNotice, type: 'other', demands: 'tea' }];

    // Act
    const error = configError(environment({ NOTICE_CATALOGUE: JSON.stringify(broken) }), 'NOTICE_CATALOGUE');

    // Assess
    expect(error.message).toContain('NOTICE_CATALOGUE');
    expect(error.message).toContain('1.demands');
  });

  it('refuses an empty catalogue', () => {
    // Act
    const error = configError(environment({ NOTICE_CATALOGUE: '[]' }), 'NOTICE_CATALOGUE');

    // Assess
    expect(error.message).toContain('NOTICE_CATALOGUE');
  });
});
