import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, CfnElement, NestedStack, Stack } from 'aws-cdk-lib';
import { Template as AssertionTemplate } from 'aws-cdk-lib/assertions';
import { PortalFunction } from '../../lib/constructs/portal-function';
import { addNoticePortal } from '../../lib/notice-portal-app';
import { cdkJsonContext, mergedTemplate, type StackTemplate } from './portal-app';

/**
 * Every portal function of the synthesized stack as the Lambda service would start it: its handler module, its
 * built bundle (when synthesized with bundling) and exactly the environment variables the template gives it, with
 * the template's references resolved to values of the shape AWS would put there. Shared by the Node 24 parity
 * test (tests/infra/lambda-node24-parity.test.ts) and the cold-start benchmark (bench/cold-start.ts).
 */
export interface SynthesizedFunction {
  /** The function's logical id in the template. */
  readonly logicalId: string;
  /** The handler module's name: `lambdas/handlers/<handler>.ts`. */
  readonly handler: string;
  /** The handler module's file. */
  readonly entry: string;
  /** The directory of its code asset (`index.js` + `index.js.map`); only when synthesized with bundling. */
  readonly bundleDir?: string;
  /** The template's `Environment.Variables`, references resolved. */
  readonly environment: Readonly<Record<string, string>>;
  /** The template's `Timeout`, in seconds (Lambda's default, 3, when the template gives none). */
  readonly timeoutSeconds: number;
}

/** A region and an account of the right shape: nothing is called, but configuration checks see real-looking values. */
export const REGION = 'ap-southeast-2';
export const ACCOUNT = '123456789012';

/**
 * Synthesizes the portal app as `bin/notice-portal.ts` does into `outdir`. With `bundle`, every function's bundle is
 * built exactly as `cdk synth` builds it (one esbuild run, see lib/constructs/handler-bundles.ts); without it, the
 * template alone (a second or two).
 */
export function synthesizeFunctions(options: { outdir: string; bundle: boolean }): SynthesizedFunction[] {
  const app = new App({
    outdir: options.outdir,
    // CDK's own template validation (a WebAssembly rule engine, ~12 s per synth) only ever warns unless the app
    // opts in; `cdk synth` in `npm test` runs it, and it changes no template or bundle.
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonContext(), ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
  });
  const stack = addNoticePortal(app);
  const assembly = app.synth();
  // The route functions live in nested stacks: their templates are files beside the parent's, merged into one
  // with each nested stack's parameters replaced by what the parent passes in (as the infra tests see them).
  const nested = stack.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c));
  const templates: StackTemplate[] = [
    {
      path: stack.node.path,
      stack,
      template: AssertionTemplate.fromJSON(assembly.getStackByName(stack.stackName).template),
    },
    ...nested.map((s) => ({
      path: s.node.path,
      stack: s as Stack,
      template: AssertionTemplate.fromJSON(
        JSON.parse(fs.readFileSync(path.join(assembly.directory, s.templateFile), 'utf8')),
      ),
    })),
  ];
  const template = mergedTemplate(templates).toJSON() as Template;
  const resolve = resolverFor(template);

  const functions = stack.node.findAll().filter((c): c is PortalFunction => c instanceof PortalFunction);
  return functions
    .map((fn) => {
      const cfn = fn.node.defaultChild;
      if (!(cfn instanceof CfnElement)) throw new Error(`${fn.node.path} has no CloudFormation resource`);
      const logicalId = Stack.of(fn).getLogicalId(cfn);
      const resource = template.Resources[logicalId];
      if (resource?.Type !== 'AWS::Lambda::Function') throw new Error(`${logicalId} is not a function in the template`);
      const variables: Record<string, unknown> = resource.Properties?.Environment?.Variables ?? {};
      const environment = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [name, resolve(value, `${logicalId}.${name}`)]),
      );
      const s3Key = String(resource.Properties?.Code?.S3Key ?? '');
      const bundleDir = options.bundle ? path.join(options.outdir, `asset.${s3Key.replace(/\.zip$/, '')}`) : undefined;
      if (bundleDir && !fs.existsSync(path.join(bundleDir, 'index.js'))) {
        throw new Error(`${logicalId}: no bundle at ${bundleDir}`);
      }
      const timeoutSeconds = Number(resource.Properties?.Timeout ?? 3);
      return { logicalId, handler: path.parse(fn.entry).name, entry: fn.entry, bundleDir, environment, timeoutSeconds };
    })
    .sort((a, b) => a.handler.localeCompare(b.handler) || a.logicalId.localeCompare(b.logicalId));
}

/**
 * What the Lambda service itself sets in a Node.js 24 function's environment (besides the function's own
 * variables), with dummy credentials: enough for the SDK clients to be built at cold start, and nothing reaches
 * the network just to load a bundle.
 */
export function lambdaRuntimeEnvironment(functionName: string): Record<string, string> {
  return {
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE00',
    AWS_SECRET_ACCESS_KEY: 'not-a-real-secret-key-only-for-loading-bundles',
    AWS_SESSION_TOKEN: 'not-a-real-session-token',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]00000000000000000000000000000000',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    LAMBDA_TASK_ROOT: '/var/task',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
  };
}

type Resource = { Type: string; Properties?: Record<string, any> };
type Template = { Resources: Record<string, Resource> };

/** A stable fake id of the right shape for a resource, so repeated runs see the same values. */
function fakeId(logicalId: string, length: number, alphabet = '0123456789abcdef'): string {
  const digest = createHash('sha256').update(logicalId).digest();
  return Array.from({ length }, (_, n) => alphabet[digest[n % digest.length]! % alphabet.length]).join('');
}

function fakeUuid(logicalId: string): string {
  const h = fakeId(logicalId, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'NoticePortal',
};

/**
 * Resolves the intrinsic functions CDK puts in environment variables (`Ref`, `Fn::GetAtt … Arn`, `Fn::Join`,
 * `Fn::Sub`) to what CloudFormation would: a name given in the template where there is one, else a generated one
 * of the shape AWS generates. Anything else throws, naming the variable, so a new kind of value is noticed.
 */
function resolverFor(template: Template): (value: unknown, where: string) => string {
  const physicalName = (logicalId: string, where: string): string => {
    const resource = template.Resources[logicalId];
    if (!resource) throw new Error(`${where}: Ref to ${logicalId}, which is not in the template`);
    const p = resource.Properties ?? {};
    const given = [p.TableName, p.BucketName, p.Name, p.ConfigurationSetName].find((v) => typeof v === 'string');
    if (given) return given;
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
        return `NoticePortal-${logicalId}-${fakeId(logicalId, 12, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')}`;
      case 'AWS::S3::Bucket':
        return `noticeportal-${logicalId.toLowerCase()}-${fakeId(logicalId, 12, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
      case 'AWS::Cognito::UserPool':
        return `${REGION}_${fakeId(logicalId, 9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
      case 'AWS::Cognito::UserPoolClient':
        return fakeId(logicalId, 26, 'abcdefghijklmnopqrstuvwxyz0123456789');
      case 'AWS::KMS::Key':
        return fakeUuid(logicalId);
      case 'AWS::SES::ConfigurationSet':
      case 'AWS::SQS::Queue':
      // A function's name, as CloudFormation makes one: the request route is told the bundle builder's.
      case 'AWS::Lambda::Function':
        return `NoticePortal-${logicalId}-${fakeId(logicalId, 12, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ')}`;
      default:
        throw new Error(`${where}: no fake physical id for a ${resource.Type} (${logicalId}); add one`);
    }
  };
  const arn = (logicalId: string, where: string): string => {
    const type = template.Resources[logicalId]?.Type;
    const name = physicalName(logicalId, where);
    switch (type) {
      case 'AWS::KMS::Key':
        return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${name}`;
      case 'AWS::DynamoDB::Table':
        return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${name}`;
      case 'AWS::Cognito::UserPool':
        return `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${name}`;
      default:
        throw new Error(`${where}: no fake ARN for a ${type} (${logicalId}); add one`);
    }
  };
  const resolve = (value: unknown, where: string): string => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    const [fn, args] = (value && typeof value === 'object' ? Object.entries(value)[0] : undefined) ?? [];
    const resolved = intrinsic(String(fn), args, where);
    if (resolved === undefined) throw new Error(`${where}: cannot resolve ${JSON.stringify(value)}`);
    return resolved;
  };
  const intrinsic = (fn: string, args: unknown, where: string): string | undefined => {
    switch (fn) {
      case 'Ref':
        return typeof args === 'string' ? (PSEUDO_PARAMETERS[args] ?? physicalName(args, where)) : undefined;
      case 'Fn::GetAtt':
        return Array.isArray(args) && args[1] === 'Arn' ? arn(String(args[0]), where) : undefined;
      case 'Fn::Join':
        return Array.isArray(args)
          ? (args[1] as unknown[]).map((part) => resolve(part, where)).join(String(args[0]))
          : undefined;
      case 'Fn::Sub':
        return typeof args === 'string'
          ? args.replace(/\$\{([^}]+)\}/g, (_, name: string) => resolve({ Ref: name }, where))
          : undefined;
      default:
        return undefined;
    }
  };
  return resolve;
}
