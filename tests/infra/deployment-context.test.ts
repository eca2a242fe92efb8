import { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../lambdas/config/env';
import { STACK_NAME, stackPropsFromContext } from '../../lib/notice-portal-app';
import { portalFunctions, synthesizePortal } from './portal-app';

const ORIGINS = ['https://portal.regulator.example', 'https://staging.regulator.example'];
const CALLBACKS = ['https://portal.regulator.example/callback'];
const SENDER = 'reminders@esafety.example';
const ESCALATION = 'overdue-notices@esafety.example';

// One synthesis for the file: a production deployment configured the way the CLI passes context (`-c key=value`
// arrives as a string).
let template: Template;
let stackName: string;
beforeAll(() => {
  const { template: t, stack } = synthesizePortal({
    production: 'true',
    allowedOrigins: ORIGINS.join(', '),
    callbackUrls: CALLBACKS.join(','),
    mailSender: SENDER,
    escalationEmail: ESCALATION,
    deadlineJurisdiction: 'AU-VIC',
  });
  template = t;
  stackName = stack.stackName;
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

  it('lets the configured origins upload and download responses directly', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedOrigins: ORIGINS, AllowedMethods: ['PUT', 'GET'] })],
      },
    });
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

  it('sends browsers back only to the configured callback URLs', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: CALLBACKS, LogoutURLs: CALLBACKS });
  });
});

describe('deployment context', () => {
  const appWith = (context: Record<string, unknown>) => new App({ context });

  it('defaults to a development deployment without CORS origins', () => {
    expect(stackPropsFromContext(appWith({}))).toEqual({
      production: false,
      allowedOrigins: undefined,
      callbackUrls: undefined,
      defaultTimeZone: undefined,
      deadlineJurisdiction: undefined,
      mailSender: undefined,
      escalationEmail: undefined,
    });
  });

  it('accepts lists as arrays from cdk.json as well as comma-separated strings from the command line', () => {
    expect(stackPropsFromContext(appWith({ production: true, allowedOrigins: ORIGINS }))).toMatchObject({
      production: true,
      allowedOrigins: ORIGINS,
    });
  });

  it('refuses a production flag that is neither true nor false', () => {
    expect(() => stackPropsFromContext(appWith({ production: 'yes' }))).toThrow(/production/);
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
