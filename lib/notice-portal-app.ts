import * as path from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type Branding, DEFAULT_BRANDING } from './constructs/web-hosting';
import { EdgeProtectionStack } from './edge-protection-stack';
import { NoticePortalStack, type NoticePortalStackProps } from './notice-portal-stack';
import { resolveProtectionSettings } from './protection-settings';
import { STACK_NAME } from './stack-name';

export { STACK_NAME };

/**
 * Adds the portal stack to `app`, configured from the app's context, and registers the cdk-nag AwsSolutions
 * checks, which fail synthesis on any unacknowledged finding. Shared by `bin/notice-portal.ts` and the
 * infrastructure tests, so the tests check exactly what is deployed.
 *
 * Context: `production` (boolean, default false), `allowedOrigins` and `callbackUrls` (comma-separated lists or
 * arrays), `defaultTimeZone` (IANA name), `deadlineJurisdiction` (ISO 3166 `AU` or `AU-NSW`, whose public holidays
 * count in due times; default `AU-NSW`), `mailSender` (the From address of reminders; default
 * `notices@regulator.example`, a placeholder: set the regulator's address and verify it or its domain in SES before
 * deploying for real) and `escalationEmail` (an extra recipient of every overdue escalation; default none).
 * The web app: `webAppDirectory` (the built app, default `web/dist`), `signInDomainPrefix` (the Cognito hosted
 * domain's prefix, default `<stack name>-<account id>` in lower case) and the branding `regulatorName`,
 * `productName`, `primaryColour` (`#rrggbb`) and `logoPath` (a path in the built app), with neutral defaults.
 */
export function addNoticePortal(app: App): NoticePortalStack {
  const props = stackPropsFromContext(app);
  // The distribution's web ACL must be in us-east-1; the portal stack reads its ARN from there (see
  // EdgeProtectionStack) and is deployed after it, so `cdk deploy --all` needs no order from the operator.
  const edge = new EdgeProtectionStack(app, edgeStackName(STACK_NAME), {
    description: "Notice-response portal: the CloudFront distribution's web ACL (us-east-1)",
    wafRateLimit: resolveProtectionSettings(props.protection).wafRateLimit,
    webAclArnParameterName: `/notice-portal/${STACK_NAME}/cloudfront-web-acl-arn`,
  });
  const stack = new NoticePortalStack(app, STACK_NAME, {
    description: 'Notice-response portal: regulators issue legal notices to platforms, platforms respond',
    ...props,
    edge,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}

/** The name of the us-east-1 stack that holds the web ACL of the portal stack named `portalStackName`. */
export function edgeStackName(portalStackName: string): string {
  return `${portalStackName}Edge`;
}

/** Reads the stack's settings from CDK context (`-c production=true`, `cdk.json`, or `new App({ context })`). */
export function stackPropsFromContext(app: App): NoticePortalStackProps {
  const context = (key: string): unknown => app.node.tryGetContext(key);
  return {
    production: parseBoolean(context('production'), 'production'),
    allowedOrigins: parseOrigins(context('allowedOrigins')),
    callbackUrls: parseList(context('callbackUrls'), 'callbackUrls'),
    defaultTimeZone: optionalString(context('defaultTimeZone'), 'defaultTimeZone'),
    deadlineJurisdiction: optionalMatching(
      context('deadlineJurisdiction'),
      'deadlineJurisdiction',
      // The same rule as DEADLINE_JURISDICTION in lambdas/config.ts: a bad value fails the synth, not a cold start.
      /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/,
      'an ISO 3166 code like "AU" or "AU-NSW"',
    ),
    mailSender: optionalMatching(context('mailSender'), 'mailSender', EMAIL_ADDRESS, 'an e-mail address'),
    escalationEmail: optionalMatching(
      context('escalationEmail'),
      'escalationEmail',
      EMAIL_ADDRESS,
      'an e-mail address',
    ),
    webAppDirectory: optionalPath(context('webAppDirectory'), 'webAppDirectory'),
    signInDomainPrefix: optionalMatching(
      context('signInDomainPrefix'),
      'signInDomainPrefix',
      // Cognito's rule for prefixes, which also may not contain the reserved words aws, amazon or cognito.
      /^(?!.*(aws|amazon|cognito))[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
      'lower-case letters, digits and hyphens, without "aws", "amazon" or "cognito"',
    ),
    branding: brandingFromContext(context),
  };
}

/** The web app's branding: each part from context, the rest from the neutral defaults; none set means defaults. */
function brandingFromContext(context: (key: string) => unknown): Branding | undefined {
  const regulatorName = optionalString(context('regulatorName'), 'regulatorName');
  const productName = optionalString(context('productName'), 'productName');
  const primaryColour = optionalMatching(
    context('primaryColour'),
    'primaryColour',
    /^#[0-9a-fA-F]{6}$/,
    'a colour like "#1d4f6e"',
  );
  const logoPath = optionalMatching(context('logoPath'), 'logoPath', /^\/\S*$/, 'a path starting with "/"');
  if ([regulatorName, productName, primaryColour, logoPath].every((value) => value === undefined)) return undefined;
  return {
    regulatorName: regulatorName ?? DEFAULT_BRANDING.regulatorName,
    productName: productName ?? DEFAULT_BRANDING.productName,
    primaryColour: primaryColour ?? DEFAULT_BRANDING.primaryColour,
    ...(logoPath === undefined ? {} : { logoPath }),
  };
}

function parseBoolean(value: unknown, key: string): boolean {
  if (value === undefined) return false;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context value "${key}" must be true or false, got ${JSON.stringify(value)}`);
}

function parseList(value: unknown, key: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (items === undefined || items.some((item) => typeof item !== 'string')) {
    throw new Error(`Context value "${key}" must be a comma-separated list of URLs`);
  }
  const urls = items.map((item: string) => item.trim()).filter((item) => item !== '');
  for (const url of urls) {
    if (!URL.canParse(url)) throw new Error(`Context value "${key}" contains "${url}", which is not a URL`);
  }
  return urls;
}

function parseOrigins(value: unknown): string[] | undefined {
  const origins = parseList(value, 'allowedOrigins');
  for (const origin of origins ?? []) {
    // CORS compares origins exactly: `https://portal.example.gov/` (with a path) would never match.
    if (new URL(origin).origin !== origin) {
      throw new Error(
        `Context value "allowedOrigins" contains "${origin}"; use its origin, e.g. "${new URL(origin).origin}"`,
      );
    }
  }
  return origins;
}

function optionalString(value: unknown, key: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new Error(`Context value "${key}" must be a string`);
  return value;
}

/** A directory, relative to where `cdk` runs. */
function optionalPath(value: unknown, key: string): string | undefined {
  const text = optionalString(value, key);
  return text === undefined ? undefined : path.resolve(text);
}

/** A plausible single address (the handlers validate strictly again at start-up). */
const EMAIL_ADDRESS = /^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$/;

function optionalMatching(value: unknown, key: string, pattern: RegExp, what: string): string | undefined {
  const text = optionalString(value, key);
  if (text !== undefined && !pattern.test(text)) {
    throw new Error(`Context value "${key}" must be ${what}, got ${JSON.stringify(text)}`);
  }
  return text;
}
