import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { CloudFrontWebAcl } from './constructs/cloudfront-web-acl';

/** CloudFront reads web ACLs from this region only (a CLOUDFRONT-scope web ACL cannot be created anywhere else). */
export const EDGE_REGION = 'us-east-1';

/** Props of {@link EdgeProtectionStack}. */
export interface EdgeProtectionStackProps extends Omit<StackProps, 'env'> {
  /** Requests per client IP address per 5 minutes (`ProtectionSettings.wafRateLimit`). */
  readonly wafRateLimit: number;
  /**
   * The SSM parameter (in us-east-1) that receives the web ACL's ARN, where the portal stack reads it
   * (`WebAclArnReader`); one per portal stack, e.g. `/notice-portal/NoticePortal/cloudfront-web-acl-arn`.
   */
  readonly webAclArnParameterName: string;
  /**
   * The account; the region is always us-east-1.
   * @default - the account of the deploying credentials, like the portal stack
   */
  readonly account?: string;
}

/**
 * The portal's resources that must live in us-east-1: the CloudFront distribution's web ACL (with its log group),
 * and an SSM parameter holding the web ACL's ARN. Pinned to the region but not to an account, so `cdk synth` still
 * works offline and both stacks go to whichever account the credentials select.
 *
 * Why a parameter and not a CDK cross-region reference: `crossRegionReferences` needs both stacks' regions at synth
 * time, and the portal stack is deliberately environment-agnostic. The parameter is a stable name that the portal
 * stack can know at synth time and read at deploy time, in us-east-1, with a custom resource. `addNoticePortal`
 * makes the portal stack depend on this one, so `cdk deploy --all` creates the web ACL first.
 */
export class EdgeProtectionStack extends Stack {
  public readonly webAcl: CloudFrontWebAcl;
  /** The parameter holding the web ACL's ARN. */
  public readonly webAclArnParameter: StringParameter;
  /** The parameter's name as a plain string (the parameter's own `parameterName` is a reference into this stack). */
  public readonly webAclArnParameterName: string;
  /**
   * Changes whenever the web ACL is replaced (it would then have a new ARN): the stack and the web ACL's logical
   * id; its name is CloudFormation's and never changes otherwise.
   */
  public readonly webAclIdentity: string;

  public constructor(scope: Construct, id: string, props: EdgeProtectionStackProps) {
    const { wafRateLimit, webAclArnParameterName, account, ...stackProps } = props;
    super(scope, id, { ...stackProps, env: { region: EDGE_REGION, account } });

    this.webAcl = new CloudFrontWebAcl(this, 'CloudFrontWebAcl', {
      rateLimit: wafRateLimit,
      metricPrefix: this.stackName,
    });
    this.webAclArnParameter = new StringParameter(this, 'WebAclArnParameter', {
      parameterName: webAclArnParameterName,
      stringValue: this.webAcl.webAclArn,
      description: "ARN of the portal distribution's web ACL, read by the portal stack at deploy time",
    });
    this.webAclArnParameterName = webAclArnParameterName;
    this.webAclIdentity = `${this.stackName}/${this.getLogicalId(this.webAcl.webAcl)}`;
    new CfnOutput(this, 'WebAclArn', {
      value: this.webAcl.webAclArn,
      description: "ARN of the CloudFront distribution's web ACL",
    });
  }
}
