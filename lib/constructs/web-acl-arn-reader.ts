import { Arn, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** The construct id CDK gives the AwsCustomResource handler, a singleton per stack. */
const AWS_CUSTOM_RESOURCE_HANDLER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/** Props of {@link WebAclArnReader}. */
export interface WebAclArnReaderProps {
  /** The SSM parameter holding the web ACL's ARN (`EdgeProtectionStack.webAclArnParameter`). */
  readonly parameterName: string;
  /** The parameter's region: the edge stack's, us-east-1. */
  readonly region: string;
  /**
   * Something that changes whenever the web ACL may have been replaced (its name), so the parameter is read again
   * on the next deployment; otherwise the custom resource only reads it when it is created.
   */
  readonly webAclIdentity: string;
}

/**
 * Reads the CloudFront web ACL's ARN, at deploy time, from the SSM parameter the edge stack writes in us-east-1:
 * `ssm:GetParameter` on that one parameter is all it may do. See `EdgeProtectionStack` for why this is not a CDK
 * cross-region reference.
 *
 * It runs in CDK's AwsCustomResource handler, one per stack: when the stack already has it (the response bucket's
 * CORS rule creates it with a role of its own) this call's policy is added to that role as a separate policy;
 * otherwise it is given a role and a log group of its own here, never CDK's default role with the AWS managed
 * basic execution policy.
 */
export class WebAclArnReader extends Construct {
  /** The web ACL's ARN, for the distribution's `webAclId`. */
  public readonly webAclArn: string;

  public constructor(scope: Construct, id: string, props: WebAclArnReaderProps) {
    super(scope, id);
    const stack = Stack.of(this);
    if (!props.parameterName.startsWith('/')) throw new Error('the web ACL parameter name must start with "/"');
    const parameterArn = Arn.format(
      { service: 'ssm', region: props.region, resource: 'parameter', resourceName: props.parameterName.slice(1) },
      stack,
    );
    const read = {
      service: 'SSM',
      action: 'getParameter',
      parameters: { Name: props.parameterName },
      region: props.region,
      physicalResourceId: PhysicalResourceId.of(props.parameterName),
      // Only the value is used; the rest of the response need not fit into the custom resource's 4 KB reply.
      outputPaths: ['Parameter.Value'],
    };
    const handlerExists = stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_HANDLER_ID) !== undefined;
    const reader = new AwsCustomResource(this, 'Read', {
      resourceType: 'Custom::CloudFrontWebAclArn',
      onCreate: read,
      onUpdate: read,
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn] }),
      ]),
      installLatestAwsSdk: false,
      ...(handlerExists ? {} : this.ownRoleAndLogs()),
    });
    const resource = reader.node.findChild('Resource').node.defaultChild;
    if (!(resource instanceof CfnResource)) throw new Error('expected the custom resource to be a CfnResource');
    resource.addPropertyOverride('WebAclIdentity', props.webAclIdentity);
    this.webAclArn = reader.getResponseField('Parameter.Value');
  }

  private ownRoleAndLogs(): { role: Role; logGroup: LogGroup } {
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: "Runs the stack's deploy-time AWS API calls (AwsCustomResource)",
    });
    logGroup.grantWrite(role);
    return { role, logGroup };
  }
}
