import { Arn, ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** The AWS managed rule groups of the web ACL, in the order they are evaluated (after the rate-based rule). */
export const MANAGED_RULE_GROUPS = [
  // Addresses that Amazon's threat intelligence has seen in bots, scanners and attacks: cheapest to drop first.
  'AWSManagedRulesAmazonIpReputationList',
  // Request patterns of known exploits (Log4Shell, Java deserialization, localhost Host headers...).
  'AWSManagedRulesKnownBadInputsRuleSet',
  // OWASP-style generic protection: XSS, LFI/RFI, SSRF to the metadata service, missing User-Agent, oversized parts.
  'AWSManagedRulesCommonRuleSet',
] as const;

/**
 * Rules of the managed groups that only count (are logged and measured) instead of blocking, by group. The common
 * rule set's `SizeRestrictions_BODY` blocks bodies over 8 KB, but the API takes JSON bodies up to 64 KiB
 * (`MAX_BODY_BYTES` in lambdas/http/api-handler.ts) and legitimately needs more than 8 KB for a notice with many
 * questions, a response draft with many answers, a filing's signed manifest or a multipart completion listing
 * thousands of parts; the API refuses larger bodies itself with 413. Files never pass here: they go to S3 directly
 * with presigned URLs.
 */
export const COUNT_ONLY_RULES: Readonly<Partial<Record<(typeof MANAGED_RULE_GROUPS)[number], readonly string[]>>> = {
  AWSManagedRulesCommonRuleSet: ['SizeRestrictions_BODY'],
};

/** Props of {@link CloudFrontWebAcl}. */
export interface CloudFrontWebAclProps {
  /** Requests per client IP address per 5 minutes above which that address is answered 429. */
  readonly rateLimit: number;
  /** The prefix of the web ACL's CloudWatch metric names (`<prefix>-rate-limit`, `<prefix>-<group>`). */
  readonly metricPrefix: string;
  /**
   * How long the web ACL's logs (blocked and counted requests only) are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

/**
 * The web ACL of the portal's CloudFront distribution: a rate-based rule per client IP, then the AWS managed rule
 * groups of {@link MANAGED_RULE_GROUPS}, every rule with CloudWatch metrics and sampled requests, and a log of the
 * requests it blocked or counted. A CLOUDFRONT-scope web ACL exists only in us-east-1, so this construct refuses any
 * other region; see `EdgeProtectionStack`.
 */
export class CloudFrontWebAcl extends Construct {
  public readonly webAcl: CfnWebACL;
  /** The web ACL's ARN, which the distribution's `webAclId` takes. */
  public readonly webAclArn: string;
  /** Where the web ACL logs blocked and counted requests (WAF requires the `aws-waf-logs-` name prefix). */
  public readonly logGroup: LogGroup;

  public constructor(scope: Construct, id: string, props: CloudFrontWebAclProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (stack.region !== 'us-east-1') {
      throw new Error(`A CLOUDFRONT-scope web ACL must be created in us-east-1, not in ${stack.region}`);
    }
    const metric = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${props.metricPrefix}-${name}`,
      sampledRequestsEnabled: true,
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'Notice portal distribution: per-IP rate limit and AWS managed rule groups',
      defaultAction: { allow: {} },
      visibilityConfig: metric('web-acl'),
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          statement: {
            rateBasedStatement: { limit: props.rateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 },
          },
          // 429 rather than WAF's default 403: clients (and the web app) then know to slow down and retry.
          action: { block: { customResponse: { responseCode: 429 } } },
          visibilityConfig: metric('rate-limit'),
        },
        ...MANAGED_RULE_GROUPS.map((name, index) => ({
          name,
          priority: index + 1,
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name,
              ruleActionOverrides: COUNT_ONLY_RULES[name]?.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
            },
          },
          // The group's own actions apply (block), except the rules overridden to count above.
          overrideAction: { none: {} },
          visibilityConfig: metric(name),
        })),
      ],
    });
    this.webAclArn = this.webAcl.attrArn;

    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${stack.stackName}`,
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
      // Who was refused, and by which rule: kept with the portal's other access logs.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAclArn,
      // WAF wants the log group's ARN without the `:*` that LogGroup.logGroupArn ends with.
      logDestinationConfigs: [
        Arn.format(
          {
            service: 'logs',
            resource: 'log-group',
            resourceName: this.logGroup.logGroupName,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          },
          stack,
        ),
      ],
      // Tokens never reach a log.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
      // Only what the web ACL refused or would refuse: allowed requests are in the distribution's standard logs
      // already, and logging them all here would cost per request.
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: ['BLOCK', 'COUNT', 'EXCLUDED_AS_COUNT'].map((action) => ({
              ActionCondition: { Action: action },
            })),
          },
        ],
      },
    });
  }
}
