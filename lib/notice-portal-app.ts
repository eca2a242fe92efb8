import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type Branding, DEFAULT_BRANDING } from './constructs/web-hosting';
import { type DeploymentConfig, parseDeploymentConfig } from './deployment-config';
import { EdgeProtectionStack } from './edge-protection-stack';
import { NoticePortalStack, type NoticePortalStackProps } from './notice-portal-stack';
import { resolveProtectionSettings } from './protection-settings';
import { STACK_NAME } from './stack-name';

export { STACK_NAME };

/**
 * Adds the portal stack to `app`, configured from the app's context (validated by `lib/deployment-config.ts`), and
 * registers the cdk-nag AwsSolutions checks, which fail synthesis on any unacknowledged finding. Shared by
 * `bin/notice-portal.ts` and the infrastructure tests, so the tests check exactly what is deployed.
 *
 * The context keys, their rules and defaults are those of `DEPLOYMENT_CONTEXT_SHAPE`: `stage` (`dev` | `prod`),
 * `retentionYears`, `opsEmail` (required for `prod`), `abortIncompleteUploadDays`, the protection overrides
 * `wafRateLimit`, `apiRateLimit`, `apiBurstLimit`, `machineApiRateLimit`, `machineApiBurstLimit`, `allowedOrigins`,
 * `callbackUrls`, `defaultTimeZone`, `deadlineJurisdiction`, `mailSender`, `escalationEmail`, `webAppDirectory`,
 * `signInDomainPrefix`, the custom domain `domainName` with its `certificateArn`, and the branding `regulatorName`, `productName`, `primaryColour`, `logoPath`.
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

/** The validated deployment configuration of `app` (throws naming every bad context key). */
export function deploymentConfigOf(app: App): DeploymentConfig {
  return parseDeploymentConfig(app.node.getAllContext());
}

/** Reads the stack's settings from CDK context (`-c stage=prod`, `cdk.json`, or `new App({ context })`). */
export function stackPropsFromContext(app: App): NoticePortalStackProps {
  const config = deploymentConfigOf(app);
  return {
    stage: config.stage,
    retentionYears: config.retentionYears,
    opsEmail: config.opsEmail,
    abortIncompleteUploadDays: config.abortIncompleteUploadDays,
    allowedOrigins: config.allowedOrigins,
    callbackUrls: config.callbackUrls,
    defaultTimeZone: config.defaultTimeZone,
    deadlineJurisdiction: config.deadlineJurisdiction,
    mailSender: config.mailSender,
    escalationEmail: config.escalationEmail,
    webAppDirectory: config.webAppDirectory,
    signInDomainPrefix: config.signInDomainPrefix,
    branding: brandingOf(config),
    customDomain:
      config.domainName === undefined || config.certificateArn === undefined
        ? undefined
        : { domainName: config.domainName, certificateArn: config.certificateArn },
    protection: {
      wafRateLimit: config.wafRateLimit,
      apiRateLimit: config.apiRateLimit,
      apiBurstLimit: config.apiBurstLimit,
      machineApiRateLimit: config.machineApiRateLimit,
      machineApiBurstLimit: config.machineApiBurstLimit,
    },
  };
}

/** The web app's branding: each part from context, the rest from the neutral defaults; none set means defaults. */
function brandingOf(config: DeploymentConfig): Branding | undefined {
  const { regulatorName, productName, primaryColour, logoPath } = config;
  if ([regulatorName, productName, primaryColour, logoPath].every((value) => value === undefined)) return undefined;
  return {
    regulatorName: regulatorName ?? DEFAULT_BRANDING.regulatorName,
    productName: productName ?? DEFAULT_BRANDING.productName,
    primaryColour: primaryColour ?? DEFAULT_BRANDING.primaryColour,
    ...(logoPath === undefined ? {} : { logoPath }),
  };
}
