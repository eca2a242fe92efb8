import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../lambdas/config/env';
import { STACK_NAME, stackPropsFromContext } from '../../lib/notice-portal-app';
import { cfnText, portalFunctions, synthesizePortal } from './portal-app';

const ORIGINS = ['https://portal.regulator.example', 'https://staging.regulator.example'];
const CALLBACKS = ['https://portal.regulator.example/callback'];
const SENDER = 'reminders@esafety.example';
const ESCALATION = 'overdue-notices@esafety.example';
const OPS = 'portal-ops@esafety.example';

// One synthesis for the file: a production deployment configured the way the CLI passes context (`-c key=value`
// arrives as a string).
let template: Template;
let stackName: string;
let portalOrigin: string;
let outdir: string;
beforeAll(() => {
  const {
    template: t,
    stack,
    app,
  } = synthesizePortal({
    stage: 'prod',
    opsEmail: OPS,
    allowedOrigins: ORIGINS.join(', '),
    callbackUrls: CALLBACKS.join(','),
    mailSender: SENDER,
    escalationEmail: ESCALATION,
    deadlineJurisdiction: 'AU-VIC',
    signInDomainPrefix: 'esafety-notices',
    regulatorName: 'eSafety Commissioner',
    primaryColour: '#00698f',
  });
  template = t;
  stackName = stack.stackName;
  portalOrigin = cfnText(stack.resolve(stack.web.origin));
  outdir = app.outdir;
});

describe('a production deployment', () => {
  it('is named NoticePortal', () => {
    expect(stackName).toBe(STACK_NAME);
  });

  it('protects the table and the user pool against deletion', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'ACTIVE' });
  });

  it('lets the configured origins call the API', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ORIGINS,
        AllowMethods: ['GET', 'POST'],
        AllowHeaders: ['authorization', 'content-type'],
        AllowCredentials: false,
      },
    });
  });

  it('lets the configured origins, besides the portal, upload and download responses directly', () => {
    // Act
    const [cors] = Object.values(template.findResources('Custom::ResponseBucketCors'));
    const rule = JSON.parse(cfnText(cors?.Properties.Create)).parameters.CORSConfiguration.CORSRules[0];

    // Assess
    expect(rule).toMatchObject({ AllowedOrigins: [portalOrigin, ...ORIGINS], AllowedMethods: ['PUT', 'GET', 'HEAD'] });
  });

  it('sends reminders from the configured address, escalations also to the configured address', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.mailTransport]: 'ses',
          [ENV.mailSender]: SENDER,
          [ENV.escalationEmail]: ESCALATION,
        }),
      },
    });
  });

  it('lets the reminder run send only from the configured address', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'ses:SendEmail', Condition: { StringEquals: { 'ses:FromAddress': SENDER } } }),
        ]),
      },
    });
  });

  it('computes due times with the configured jurisdiction in every function', () => {
    const functions = Object.values(portalFunctions(template));
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.Properties?.Environment.Variables[ENV.deadlineJurisdiction]).toBe('AU-VIC');
    }
  });

  it("sends browsers back only to the portal's pages and the configured callback URLs", () => {
    // Act
    const [client] = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));

    // Assess
    expect(client?.Properties.CallbackURLs.map(cfnText)).toEqual([`${portalOrigin}/auth/callback`, ...CALLBACKS]);
    expect(client?.Properties.LogoutURLs.map(cfnText)).toEqual([`${portalOrigin}/signed-out`, ...CALLBACKS]);
  });

  it('names the hosted sign-in domain with the configured prefix', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'esafety-notices' });
  });

  it("brands the web app's config.json as configured, with the default product name", () => {
    // Prepare: the staged config.json among the deployments' sources (its tokens are markers inside strings).
    const configFile = Object.values(template.findResources('Custom::CDKBucketDeployment'))
      .flatMap((d) => d.Properties.SourceObjectKeys as string[])
      .map((key) => path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'config.json'))
      .find((file) => fs.existsSync(file));

    // Act
    const config = JSON.parse(fs.readFileSync(configFile!, 'utf8'));

    // Assess
    expect(config.branding).toEqual({
      regulatorName: 'eSafety Commissioner',
      productName: 'Notice portal',
      primaryColour: '#00698f',
    });
  });
});

describe('a deployment with its own domain', () => {
  const DOMAIN = 'portal.esafety.example';
  const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f2d6c3e-6d1b-4c55-9a7e-1b2c3d4e5f60';
  let own: ReturnType<typeof synthesizePortal>;
  beforeAll(() => {
    // Synthesis fails on any unacknowledged cdk-nag finding, so this also proves the TLS finding (CFR4) is met.
    own = synthesizePortal({ domainName: DOMAIN, certificateArn: CERTIFICATE });
  });

  it('serves the distribution under the domain with its certificate, enforcing TLS 1.2 or later', () => {
    own.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: [DOMAIN],
        ViewerCertificate: {
          AcmCertificateArn: CERTIFICATE,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
  });

  it('makes the domain the portal origin: callback URLs, the bucket CORS rule and the PortalUrl output', () => {
    // Act
    const [client] = Object.values(own.template.findResources('AWS::Cognito::UserPoolClient'));
    const [cors] = Object.values(own.template.findResources('Custom::ResponseBucketCors'));

    // Assess
    expect(own.stack.web.origin).toBe(`https://${DOMAIN}`);
    expect(client?.Properties.CallbackURLs.map(cfnText)).toEqual([`https://${DOMAIN}/auth/callback`]);
    const rule = JSON.parse(cfnText(cors?.Properties.Create)).parameters.CORSConfiguration.CORSRules[0];
    expect(rule.AllowedOrigins).toEqual([`https://${DOMAIN}`]);
    own.template.hasOutput('PortalUrl', { Value: `https://${DOMAIN}` });
  });

  it('no longer acknowledges the viewer TLS finding, which the certificate now meets', () => {
    const acknowledged = own.app.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as Record<string, string>));
    expect(acknowledged.some((id) => id.includes('AwsSolutions-CFR4'))).toBe(false);
    expect(acknowledged.some((id) => id.includes('AwsSolutions-CFR1'))).toBe(true);
  });
});

describe('deployment context', () => {
  const appWith = (context: Record<string, unknown>) => new App({ context });

  it('defaults to a development deployment without CORS origins', () => {
    expect(stackPropsFromContext(appWith({}))).toEqual({
      stage: 'dev',
      retentionYears: 7,
      opsEmail: undefined,
      abortIncompleteUploadDays: 7,
      allowedOrigins: undefined,
      callbackUrls: undefined,
      defaultTimeZone: undefined,
      deadlineJurisdiction: undefined,
      mailSender: undefined,
      escalationEmail: undefined,
      webAppDirectory: undefined,
      signInDomainPrefix: undefined,
      branding: undefined,
      customDomain: undefined,
      protection: {
        wafRateLimit: undefined,
        apiRateLimit: undefined,
        apiBurstLimit: undefined,
        machineApiRateLimit: undefined,
        machineApiBurstLimit: undefined,
      },
    });
  });

  it('refuses a sign-in domain prefix Cognito would refuse', () => {
    for (const prefix of ['Notices', 'aws-notices', 'notices-', 'my_notices']) {
      expect(() => stackPropsFromContext(appWith({ signInDomainPrefix: prefix }))).toThrow(/signInDomainPrefix/);
    }
  });

  it('refuses a primary colour that is not #rrggbb', () => {
    expect(() => stackPropsFromContext(appWith({ primaryColour: 'teal' }))).toThrow(/"primaryColour" must be a colour/);
  });

  it('accepts lists as arrays from cdk.json as well as comma-separated strings from the command line', () => {
    expect(stackPropsFromContext(appWith({ allowedOrigins: ORIGINS }))).toMatchObject({ allowedOrigins: ORIGINS });
    expect(stackPropsFromContext(appWith({ allowedOrigins: ORIGINS.join(' , ') }))).toMatchObject({
      allowedOrigins: ORIGINS,
    });
  });

  it('accepts numbers as JSON from cdk.json as well as strings from the command line', () => {
    expect(stackPropsFromContext(appWith({ retentionYears: 10, abortIncompleteUploadDays: '3' }))).toMatchObject({
      retentionYears: 10,
      abortIncompleteUploadDays: 3,
    });
  });

  it('passes the protection overrides to the stack, and only those given', () => {
    // Act
    const props = stackPropsFromContext(appWith({ wafRateLimit: '500', apiRateLimit: 40, machineApiBurstLimit: '60' }));

    // Assess
    expect(props.protection).toEqual({
      wafRateLimit: 500,
      apiRateLimit: 40,
      apiBurstLimit: undefined,
      machineApiRateLimit: undefined,
      machineApiBurstLimit: 60,
    });
  });

  it('refuses a protection override that is not a whole number in range, naming the key', () => {
    expect(() => stackPropsFromContext(appWith({ wafRateLimit: '5' }))).toThrow(
      'Context value "wafRateLimit" must be a whole number from 10 to 2000000000, got 5',
    );
    expect(() => stackPropsFromContext(appWith({ apiRateLimit: 'fast' }))).toThrow(
      'Context value "apiRateLimit" must be a whole number from 1 to 10000, got "fast"',
    );
  });

  it('refuses a domain without its certificate, either way round, and a certificate outside us-east-1', () => {
    const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/0f2d6c3e-6d1b-4c55-9a7e-1b2c3d4e5f60';
    expect(() => stackPropsFromContext(appWith({ domainName: 'portal.esafety.example' }))).toThrow(
      'Context value "certificateArn" is required with domainName: give both or neither',
    );
    expect(() => stackPropsFromContext(appWith({ certificateArn: certificate }))).toThrow(
      'Context value "domainName" is required with certificateArn: give both or neither',
    );
    expect(() =>
      stackPropsFromContext(
        appWith({
          domainName: 'portal.esafety.example',
          certificateArn: certificate.replace('us-east-1', 'ap-southeast-2'),
        }),
      ),
    ).toThrow(/"certificateArn" must be the ARN of an ACM certificate in us-east-1/);
    expect(() =>
      stackPropsFromContext(appWith({ domainName: 'https://portal.esafety.example', certificateArn: certificate })),
    ).toThrow(/"domainName" must be a lower-case domain name/);
  });

  it('refuses the old production flag, whatever its value, pointing to the stage', () => {
    for (const production of ['true', true, 'false']) {
      expect(() => stackPropsFromContext(appWith({ production }))).toThrow(
        'Context value "production" is no longer read: use -c stage=prod (or -c stage=dev)',
      );
    }
  });

  it('refuses a stage other than dev or prod, naming the key, the allowed values and the value given', () => {
    expect(() => stackPropsFromContext(appWith({ stage: 'production' }))).toThrow(
      'Context value "stage" must be "dev" or "prod", got "production"',
    );
  });

  it('refuses a production stage without an ops e-mail address for its alarms', () => {
    expect(() => stackPropsFromContext(appWith({ stage: 'prod' }))).toThrow(
      /Context value "opsEmail" is required when stage is "prod"/,
    );
    expect(stackPropsFromContext(appWith({ stage: 'prod', opsEmail: OPS }))).toMatchObject({
      stage: 'prod',
      opsEmail: OPS,
    });
  });

  it('refuses an ops e-mail that is not one address', () => {
    expect(() => stackPropsFromContext(appWith({ opsEmail: `${OPS},${SENDER}` }))).toThrow(
      /"opsEmail" must be one e-mail address/,
    );
  });

  it.each([
    ['retentionYears', '0', 'a whole number from 1 to 100, got 0'],
    ['retentionYears', 101, 'a whole number from 1 to 100, got 101'],
    ['retentionYears', 'seven', 'a whole number from 1 to 100, got "seven"'],
    ['retentionYears', '7.5', 'a whole number from 1 to 100, got "7.5"'],
    ['abortIncompleteUploadDays', 0, 'a whole number from 1 to 365, got 0'],
    ['abortIncompleteUploadDays', '-1', 'a whole number from 1 to 365, got "-1"'],
  ])('refuses %s = %j', (key, value, allowed) => {
    expect(() => stackPropsFromContext(appWith({ [key]: value }))).toThrow(`Context value "${key}" must be ${allowed}`);
  });

  it('lists every bad value at once, one line each', () => {
    // Act
    let message = '';
    try {
      stackPropsFromContext(appWith({ stage: 'staging', retentionYears: 0, primaryColour: 'teal' }));
    } catch (error) {
      message = (error as Error).message;
    }

    // Assess
    expect(message.split('\n')).toEqual([
      'Invalid CDK context:',
      '  Context value "stage" must be "dev" or "prod", got "staging"',
      '  Context value "retentionYears" must be a whole number from 1 to 100, got 0',
      '  Context value "primaryColour" must be a colour like "#1d4f6e", got "teal"',
    ]);
  });

  it("leaves CDK's own context (feature flags, aws:cdk:*) alone", () => {
    expect(() =>
      stackPropsFromContext(appWith({ '@aws-cdk/core:checkSecretUsage': true, 'aws:cdk:bundling-stacks': [] })),
    ).not.toThrow();
  });

  it('refuses an origin with a path, which CORS would never match', () => {
    expect(() => stackPropsFromContext(appWith({ allowedOrigins: 'https://portal.regulator.example/' }))).toThrow(
      /use its origin, e.g. "https:\/\/portal.regulator.example"/,
    );
  });

  it('refuses a callback URL that is not a URL', () => {
    expect(() => stackPropsFromContext(appWith({ callbackUrls: 'portal/callback' }))).toThrow(/callbackUrls/);
  });

  it('refuses a deadline jurisdiction that is not an ISO 3166 code', () => {
    expect(() => stackPropsFromContext(appWith({ deadlineJurisdiction: 'NSW' }))).toThrow(
      /"deadlineJurisdiction" must be an ISO 3166 code like "AU" or "AU-NSW", got "NSW"/,
    );
  });

  it.each([['mailSender'], ['escalationEmail']])('refuses a %s that is not one e-mail address', (key) => {
    expect(() => stackPropsFromContext(appWith({ [key]: 'notices' }))).toThrow(
      new RegExp(`"${key}" must be an e-mail`),
    );
    expect(() => stackPropsFromContext(appWith({ [key]: 'a@regulator.example,b@regulator.example' }))).toThrow(
      new RegExp(key),
    );
  });
});
