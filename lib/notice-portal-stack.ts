import * as path from 'node:path';
import { Aws, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { ObjectLockMode } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ROUTES } from '../lambdas/api/routes';
import { ApiRouteFunctions } from './constructs/api-route-functions';
import { routeThrottlesOf } from './constructs/api-stage';
import { Backups } from './constructs/backups';
import { Checkpoints } from './constructs/checkpoints';
import { EvidenceBundles } from './constructs/evidence-bundles';
import type { PortalSettings } from './constructs/function-environment';
import { Identity } from './constructs/identity';
import { AccessTokenSigning, MACHINE_ROUTES, MachineApi } from './constructs/machine-access';
import { Monitoring } from './constructs/monitoring';
import { NoticeApi } from './constructs/notice-api';
import { NoticeData } from './constructs/notice-data';
import { PendingVerification } from './constructs/pending-verification';
import { ProjectionRepair } from './constructs/projection-repair';
import { ReceiptSigning } from './constructs/receipt-signing';
import { Reminders } from './constructs/reminders';
import { ResponseStorage } from './constructs/response-storage';
import { UploadHashing } from './constructs/upload-hashing';
import { WebAclArnReader } from './constructs/web-acl-arn-reader';
import { type Branding, type CustomDomain, WebHosting } from './constructs/web-hosting';
import { DEFAULT_RETENTION_YEARS, type Stage } from './deployment-config';
import type { EdgeProtectionStack } from './edge-protection-stack';
import { type ProtectionSettings, resolveProtectionSettings } from './protection-settings';

/** Where `npm run build:web` writes the web app. */
export const WEB_APP_BUILD = path.join(__dirname, '..', 'web', 'dist');

/** Props of {@link NoticePortalStack}. */
export interface NoticePortalStackProps extends StackProps {
  /**
   * `prod`: the table and the user pool refuse deletion, the stack has termination protection (unless
   * `terminationProtection` says otherwise), responses and evidence bundles are locked in COMPLIANCE mode (no one,
   * not even the account's root user, can shorten or remove the lock) and the backup vault lock becomes immutable
   * after its grace period.
   * `dev`: the same resources, but deletable and with GOVERNANCE locks that a privileged user can lift, so a
   * development stack can be torn down (see the README's "Deploying").
   * @default 'dev'
   */
  readonly stage?: Stage;
  /**
   * Years each object in the response bucket is locked from creation (Object Lock default retention), and monthly
   * backups of the table are kept.
   * @default 7
   */
  readonly retentionYears?: number;
  /**
   * Days after it starts that S3 aborts a multipart upload nobody completed.
   * @default 7
   */
  readonly abortIncompleteUploadDays?: number;
  /**
   * Further browser origins, besides the portal's own distribution, allowed by the API's and the response bucket's
   * CORS rules (e.g. a web app served from elsewhere during a migration).
   * @default - none
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * Further OAuth callback (and sign-out) URLs of the web client, besides `https://<distribution>/auth/callback`.
   * @default - none
   */
  readonly callbackUrls?: readonly string[];
  /**
   * The built web app that the distribution serves.
   * @default WEB_APP_BUILD (`web/dist`; synthesis fails with "run npm run build:web" when it is missing)
   */
  readonly webAppDirectory?: string;
  /**
   * The regulator's name, the product's name, its colour and logo in the web app.
   * @default DEFAULT_BRANDING
   */
  readonly branding?: Branding;
  /**
   * The portal's own domain name and its ACM certificate in us-east-1 (see `WebHostingProps.customDomain`).
   * @default - the distribution's `*.cloudfront.net` name
   */
  readonly customDomain?: CustomDomain;
  /**
   * Prefix of the Cognito-hosted sign-in domain, `<prefix>.auth.<region>.amazoncognito.com`; unique per region
   * across all AWS accounts.
   * @default `<stack name in lower case>-<account id>`
   */
  readonly signInDomainPrefix?: string;
  /**
   * IANA time zone used for due times when a notice does not name one.
   * @default 'Australia/Sydney'
   */
  readonly defaultTimeZone?: string;
  /**
   * Whose public holidays count in due times (ISO 3166 `COUNTRY` or `COUNTRY-STATE`).
   * @default 'AU-NSW'
   */
  readonly deadlineJurisdiction?: string;
  /**
   * The From address of reminders and escalations.
   * @default 'notices@regulator.example' - a placeholder: operators must set the regulator's own address and verify
   * it (or its domain) as an SES identity in the deployment's account and region before reminders can be sent.
   */
  readonly mailSender?: string;
  /**
   * An extra address that receives every overdue escalation, besides the issuing officer.
   * @default - none
   */
  readonly escalationEmail?: string;
  /**
   * Throttling of both APIs (per stage and per route) and the web ACL's rate limit; each setting not given keeps its
   * default (see `DEFAULT_PROTECTION` in lib/protection-settings.ts). The web ACL itself is in `edge`, which
   * `addNoticePortal` creates with the same settings.
   * @default DEFAULT_PROTECTION
   */
  readonly protection?: Partial<ProtectionSettings>;
  /**
   * The us-east-1 stack with the distribution's web ACL. This stack reads the web ACL's ARN from it at deploy time
   * and is deployed after it. Without it the distribution has no web ACL, which cdk-nag refuses (AwsSolutions-CFR2).
   * @default - none
   */
  readonly edge?: EdgeProtectionStack;
  /**
   * The ops address every alarm (ALARM and OK) is e-mailed to, through the stack's SNS topic. SNS e-mails it a
   * confirmation link first; nothing is delivered until it is confirmed. Required for `prod` by the deployment
   * configuration.
   * @default - no subscription: the alarms and the topic exist, but nobody is told
   */
  readonly opsEmail?: string;
}

/**
 * The notice-response portal: identity, notice data with its locked backups, response storage with the receipt
 * key, the upload hashing and its scheduled repair (pending verification), the access-token key, the user API and
 * the machine API (their route functions in nested stacks, one per area of the API), the projection repair job, the
 * reminders (with their SES delivery witness), the signed checkpoints, the web app with the user API behind one
 * CloudFront distribution, and the monitoring: an alarm topic every alarm notifies (each function's and each
 * dead-letter queue's are created next to them) and a dashboard.
 */
export class NoticePortalStack extends Stack {
  public readonly identity: Identity;
  public readonly data: NoticeData;
  public readonly storage: ResponseStorage;
  public readonly receipts: ReceiptSigning;
  public readonly uploadHashing: UploadHashing;
  public readonly pendingVerification: PendingVerification;
  public readonly evidenceBundles: EvidenceBundles;
  public readonly accessTokens: AccessTokenSigning;
  public readonly api: NoticeApi;
  public readonly machineApi: MachineApi;
  /** The route functions, in one nested stack per area of the API. */
  public readonly routes: ApiRouteFunctions;
  public readonly projectionRepair: ProjectionRepair;
  public readonly reminders: Reminders;
  /** The scheduled, signed checkpoints of every changed chain. */
  public readonly checkpoints: Checkpoints;
  public readonly web: WebHosting;
  /** The protection settings in force: the defaults with `protection` applied. */
  public readonly protection: ProtectionSettings;
  /** Reads the distribution's web ACL ARN from the edge stack (when there is one). */
  public readonly webAclReader?: WebAclArnReader;
  /** The alarm topic, the stack-level alarms and the dashboard; every alarm of the portal notifies the topic. */
  public readonly monitoring: Monitoring;
  /** The daily and monthly backups of the table, in a locked vault. */
  public readonly backups: Backups;
  /** The stage this stack was configured for. */
  public readonly stage: Stage;
  /** `stage === 'prod'`. */
  public readonly production: boolean;
  /** Where alarms are e-mailed, if configured. */
  public readonly opsEmail?: string;

  public constructor(scope: Construct, id: string, props: NoticePortalStackProps = {}) {
    // A production stack cannot be deleted by a stray `cdk destroy`: termination protection must be switched off
    // first, deliberately (see the README's teardown).
    super(scope, id, { terminationProtection: props.stage === 'prod', ...props });
    this.stage = props.stage ?? 'dev';
    const production = this.stage === 'prod';
    this.production = production;
    this.opsEmail = props.opsEmail;
    this.protection = resolveProtectionSettings(props.protection);
    const retentionYears = props.retentionYears ?? DEFAULT_RETENTION_YEARS;

    this.identity = new Identity(this, 'Identity', {
      callbackUrls: props.callbackUrls,
      deletionProtection: production,
      // The account id keeps the default unique across accounts; the stack name across stacks of one account.
      domainPrefix: props.signInDomainPrefix ?? `${this.stackName.toLowerCase()}-${Aws.ACCOUNT_ID}`,
    });
    // The token and deadline settings of every function, given to each construct that makes one.
    const settings: PortalSettings = {
      auth: this.identity,
      defaultTimeZone: props.defaultTimeZone,
      deadlineJurisdiction: props.deadlineJurisdiction,
    };
    this.data = new NoticeData(this, 'Data', { deletionProtection: production });
    this.backups = new Backups(this, 'Backups', { table: this.data.table, immutable: production, retentionYears });
    this.storage = new ResponseStorage(this, 'Storage', {
      objectLockMode: production ? ObjectLockMode.COMPLIANCE : ObjectLockMode.GOVERNANCE,
      retentionYears,
      abortIncompleteUploadDays: props.abortIncompleteUploadDays,
    });
    this.receipts = new ReceiptSigning(this, 'Receipts');
    this.uploadHashing = new UploadHashing(this, 'UploadHashing', {
      data: this.data,
      storage: this.storage,
      receiptKey: this.receipts.key,
      settings,
    });
    // A lost or failed S3 event must not leave a response unfiled: the scheduled repair of the hashing above.
    this.pendingVerification = new PendingVerification(this, 'PendingVerification', {
      data: this.data,
      storage: this.storage,
      receiptKey: this.receipts.key,
      settings,
    });
    // Evidence bundles are built by their own function, started by the request route and swept on a schedule.
    this.evidenceBundles = new EvidenceBundles(this, 'EvidenceBundles', {
      data: this.data,
      storage: this.storage,
      receiptKey: this.receipts.key,
      settings,
    });
    this.accessTokens = new AccessTokenSigning(this, 'AccessTokens');
    this.api = new NoticeApi(this, 'Api', {
      settings,
      allowedOrigins: props.allowedOrigins,
      throttlingRateLimit: this.protection.apiRateLimit,
      throttlingBurstLimit: this.protection.apiBurstLimit,
      routeThrottles: routeThrottlesOf(ROUTES, this.protection.routeThrottles),
    });
    // Platforms' automation: the same functions as the user API's, behind a Lambda authorizer that accepts the
    // portal's own (revocable) access tokens.
    this.machineApi = new MachineApi(this, 'MachineApi', {
      data: this.data,
      accessTokenKey: this.accessTokens.key,
      settings,
      throttlingRateLimit: this.protection.machineApiRateLimit,
      throttlingBurstLimit: this.protection.machineApiBurstLimit,
      routeThrottles: routeThrottlesOf(MACHINE_ROUTES, this.protection.routeThrottles),
    });
    // One function per route, with its routes on both APIs, in a nested stack per area of the API: together they
    // are most of the portal's resources, more than one CloudFormation stack may hold (500).
    this.routes = new ApiRouteFunctions(this, 'Routes', {
      userApi: this.api.httpApi,
      machineApi: this.machineApi.httpApi,
      data: this.data,
      storage: this.storage,
      receiptKey: this.receipts.key,
      accessTokenKey: this.accessTokens.key,
      settings,
      userPool: this.identity.userPool,
      bundleBuilder: this.evidenceBundles.builder,
    });
    this.deployStagesAfterThrottledRoutes();
    this.projectionRepair = new ProjectionRepair(this, 'ProjectionRepair', {
      data: this.data,
      settings,
    });
    this.reminders = new Reminders(this, 'Reminders', {
      data: this.data,
      settings,
      // A placeholder until operators set `-c mailSender=…` and verify that identity in SES (see the prop's docs).
      senderAddress: props.mailSender ?? 'notices@regulator.example',
      escalationEmail: props.escalationEmail,
    });
    this.checkpoints = new Checkpoints(this, 'Checkpoints', {
      data: this.data,
      receiptKey: this.receipts.key,
      settings,
    });

    // The web app and the user API on one origin. The distribution needs the API, and the web client's callback
    // URLs need the distribution, so the client's URLs are given last (the client itself exists since Identity).
    this.web = new WebHosting(this, 'Web', {
      appDirectory: props.webAppDirectory ?? WEB_APP_BUILD,
      httpApi: this.api.httpApi,
      issuer: this.identity.issuer,
      webClient: this.identity.webClient,
      signInDomain: this.identity.domain,
      responseBucket: this.storage.bucket,
      branding: props.branding,
      customDomain: props.customDomain,
    });
    this.identity.serveWebAppAt(this.web.origin);
    this.storage.allowBrowserOrigins([this.web.origin, ...(props.allowedOrigins ?? [])]);
    if (props.edge !== undefined) this.webAclReader = this.attachWebAcl(props.edge);

    // Last: it finds every dead-letter queue and routes every alarm (the functions', in nested stacks too) that
    // exists when it is created.
    this.monitoring = new Monitoring(this, 'Monitoring', {
      opsEmail: props.opsEmail,
      apis: [
        { name: 'User API', httpApi: this.api.httpApi },
        { name: 'Machine API', httpApi: this.machineApi.httpApi },
      ],
      reminderRun: this.reminders.runFunction,
      watch: this,
    });

    this.addOperatorOutputs();
  }

  /**
   * API Gateway refuses a stage whose route settings name a route it does not have yet, and the routes are in the
   * nested stacks of their functions, which CloudFormation would otherwise create at the same time as the stages.
   */
  private deployStagesAfterThrottledRoutes(): void {
    const throttled = new Set(Object.keys(this.protection.routeThrottles));
    const onMachineApi = new Set(MACHINE_ROUTES.map((route) => route.operationId));
    for (const stack of Object.values(this.routes.stacks)) {
      const ids = Object.keys(stack?.functions ?? {}).filter((id) => throttled.has(id));
      if (stack === undefined || ids.length === 0) continue;
      this.api.stage.node.addDependency(stack);
      if (ids.some((id) => onMachineApi.has(id))) this.machineApi.stage.node.addDependency(stack);
    }
  }

  /**
   * The distribution's web ACL, from the edge stack in us-east-1: its ARN is read from the SSM parameter there at
   * deploy time (see `EdgeProtectionStack` for why not a cross-region reference), so this stack is deployed after it.
   * Made after the response bucket's CORS rule, whose AwsCustomResource handler (one per stack) the read shares.
   */
  private attachWebAcl(edge: EdgeProtectionStack): WebAclArnReader {
    this.addStackDependency(edge, "the distribution's web ACL must exist before the distribution names it");
    const reader = new WebAclArnReader(this, 'WebAclArn', {
      parameterName: edge.webAclArnParameterName,
      region: edge.region,
      webAclIdentity: edge.webAclIdentity,
    });
    this.web.distribution.attachWebAclId(reader.webAclArn);
    return reader;
  }

  private addOperatorOutputs(): void {
    new CfnOutput(this, 'Stage', {
      value: this.stage,
      description: 'The stage this stack was deployed as (-c stage=dev|prod)',
    });
    // What ops need after `cdk deploy`, e.g. for `npm run bootstrap-admin -- --user-pool-id … --table …`. Defined on
    // the stack itself so the output keys are exactly these names.
    new CfnOutput(this, 'UserPoolId', {
      value: this.identity.userPool.userPoolId,
      description: 'Id of the Cognito user pool (bootstrap-admin --user-pool-id)',
    });
    new CfnOutput(this, 'TableName', {
      value: this.data.table.tableName,
      description: 'Name of the notices table (bootstrap-admin --table)',
    });
    new CfnOutput(this, 'PortalUrl', {
      value: this.web.origin,
      description: 'Where users open the portal (the CloudFront distribution; the API is under /api)',
    });
    new CfnOutput(this, 'SignInDomain', {
      value: this.identity.domain.baseUrl(),
      description: 'The Cognito hosted sign-in domain the portal sends users to',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'The SNS topic every alarm notifies (subscribe further endpoints to it)',
    });
    new CfnOutput(this, 'DashboardName', {
      value: this.monitoring.dashboard.dashboardName,
      description: 'The CloudWatch dashboard of the portal',
    });
    new CfnOutput(this, 'MachineApiUrl', {
      value: this.machineApi.url,
      description: "Base URL of the machine API, for platforms' API clients",
    });
  }
}
