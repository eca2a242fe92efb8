/**
 * Creates the portal's first regulator admin, once, after `cdk deploy`:
 *
 *   npm run bootstrap-admin -- --user-pool-id <UserPoolId> --table <TableName> --email <e-mail> --name "<name>"
 *                              [--region <region>]
 *
 * The user pool id and the table name are outputs of the stack. It creates the Cognito user (Cognito e-mails the
 * invitation with a temporary password; MFA is set up at the first sign-in), puts it in the regulator-admin group,
 * and writes the portal's directory record, without which the API refuses every request of the user.
 *
 * Safe to run again: when the directory already has an admin with that e-mail it says so and exits 0; a run that
 * stopped half-way (Cognito user created, no directory record yet) is completed.
 */
import { parseArgs } from 'node:util';
import {
  AdminAddUserToGroupCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityAdmin } from '../lambdas/adapters/cognito-identity-admin';
import { documentClient } from '../lambdas/adapters/dynamodb-client';
import { DynamoDbDirectoryStore } from '../lambdas/adapters/dynamodb-directory-store';
import { sdkClientConfig } from '../lambdas/config/sdk-clients';
import type { Actor } from '../lambdas/domain/caller';
import { InviteUserRequestSchema, type PortalUser, PortalUserSchema } from '../lambdas/domain/platforms';
import { STACK_NAME } from '../lib/stack-name';

const ROLE = 'regulator-admin';
/** Who the directory records as having invited the first admin. */
const BOOTSTRAP_ACTOR: Actor = { subject: 'ops:bootstrap', name: 'bootstrap-admin', role: 'system' };

const OUTPUTS_HINT =
  `The user pool id and the table name are the UserPoolId and TableName outputs of the ${STACK_NAME} stack:\n` +
  `  aws cloudformation describe-stacks --stack-name ${STACK_NAME} --query "Stacks[0].Outputs" --output table`;

const USAGE = `Usage: npm run bootstrap-admin -- --user-pool-id <id> --table <name> --email <e-mail> --name "<name>" [--region <region>]

Creates the first regulator admin: a Cognito user (invited by e-mail) in the ${ROLE} group, and its record in the
portal's directory. --region defaults to the user pool's region (the prefix of its id).

${OUTPUTS_HINT}`;

class UsageError extends Error {}

interface Options {
  userPoolId: string;
  table: string;
  email: string;
  name: string;
  region: string;
}

function parseOptions(argv: string[]): Options | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'user-pool-id': { type: 'string' },
        table: { type: 'string' },
        email: { type: 'string' },
        name: { type: 'string' },
        region: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';

  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string).trim() : '');
  const missing = ['user-pool-id', 'table', 'email', 'name'].filter((key) => text(key) === '');
  if (missing.length > 0) throw new UsageError(`Missing ${missing.map((key) => `--${key}`).join(', ')}.`);

  // Cognito user pool ids are `<region>_<id>`, e.g. ap-southeast-2_AbC123xyZ.
  const poolRegion = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$/.exec(text('user-pool-id'))?.[1];
  if (poolRegion === undefined)
    throw new UsageError(`--user-pool-id "${text('user-pool-id')}" is not a user pool id (<region>_<id>).`);
  // DynamoDB's rule for table names.
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(text('table'))) {
    throw new UsageError(`--table "${text('table')}" is not a DynamoDB table name.`);
  }
  // The same rules as an invitation through the API (POST /users).
  const invite = InviteUserRequestSchema.safeParse({ email: text('email'), name: text('name'), role: ROLE });
  if (!invite.success) {
    const problems = invite.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`);
    throw new UsageError(problems.join('; '));
  }
  return {
    userPoolId: text('user-pool-id'),
    table: text('table'),
    email: invite.data.email,
    name: invite.data.name,
    region: text('region') || poolRegion,
  };
}

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

async function bootstrapAdmin(options: Options, log: (line: string) => void): Promise<void> {
  const cognito = new CognitoIdentityProviderClient({ ...sdkClientConfig('cognito'), region: options.region });
  // The Lambda runtime's client, so the directory records it writes are marshalled exactly as the portal's.
  const doc = documentClient({ region: options.region });
  const directory = new DynamoDbDirectoryStore(doc, options.table);
  const identity = new CognitoIdentityAdmin(cognito, options.userPoolId);

  const known = (await directory.listUsers()).filter((user) => sameEmail(user.email, options.email));
  const admin = known.find((user) => user.role === ROLE);
  if (admin) {
    log(
      `${options.email} is already a ${ROLE} in the directory (subject ${admin.subject}, ${admin.status}); ` +
        'nothing to do.',
    );
    return;
  }
  const [first] = known;
  if (first) {
    throw new Error(
      `${options.email} is already in the directory as ${known.map((u) => u.role).join(', ')} ` +
        `(subject ${first.subject}); bootstrap-admin only creates a new ${ROLE}.`,
    );
  }

  let subject: string;
  try {
    ({ subject } = await identity.createUser({ email: options.email, name: options.name, role: ROLE }));
    log(`Created the Cognito user ${options.email} in ${ROLE}; Cognito e-mails the invitation.`);
  } catch (error) {
    if (!isAwsError(error, 'UsernameExistsException')) throw error;
    // A previous run created the account but stopped before the directory record: finish that run.
    subject = await existingSubject(cognito, options);
    await cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: options.userPoolId, Username: options.email, GroupName: ROLE }),
    );
    log(`The Cognito user ${options.email} already exists (subject ${subject}); made sure it is in ${ROLE}.`);
  }

  const user: PortalUser = PortalUserSchema.parse({
    subject,
    email: options.email,
    name: options.name,
    role: ROLE,
    status: 'active',
    invitedAt: new Date().toISOString(),
    invitedBy: BOOTSTRAP_ACTOR,
  });
  if (!(await directory.createUser(user))) {
    const existing = await directory.getUser(subject);
    if (existing?.role !== ROLE) {
      throw new Error(`The directory already has a record for subject ${subject} with role ${existing?.role}.`);
    }
    log(`The directory already has ${options.email} as ${ROLE} (subject ${subject}).`);
    return;
  }
  log(`Wrote the directory record: ${options.email} is ${ROLE} (subject ${subject}).`);
  log('They sign in with the temporary password from the e-mail, choose a password and set up TOTP MFA.');
}

async function existingSubject(cognito: CognitoIdentityProviderClient, options: Options): Promise<string> {
  const existing = await cognito.send(
    new AdminGetUserCommand({ UserPoolId: options.userPoolId, Username: options.email }),
  );
  const subject = existing.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  if (!subject) throw new Error(`Cognito returned no subject for ${options.email}`);
  return subject;
}

function isAwsError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/** One line that says what went wrong and what to check. */
function explain(error: unknown, options?: Options): string {
  if (!(error instanceof Error)) return String(error);
  const where = options ? ` (user pool ${options.userPoolId}, table ${options.table}, region ${options.region})` : '';
  switch (error.name) {
    case 'CredentialsProviderError':
      return `No AWS credentials found: set AWS_PROFILE or the AWS_* variables. ${error.message}`;
    case 'ResourceNotFoundException':
      return `Not found${where}: ${error.message}. Check the values against the stack outputs.\n${OUTPUTS_HINT}`;
    case 'AccessDeniedException':
    case 'NotAuthorizedException':
    case 'UnrecognizedClientException':
    case 'ExpiredTokenException':
      return `AWS refused the request${where}: ${error.name}: ${error.message}`;
    default:
      return `${error.name}: ${error.message}`;
  }
}

async function main(argv: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bootstrap-admin: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    await bootstrapAdmin(options, (line) => process.stdout.write(`${line}\n`));
    return 0;
  } catch (error) {
    process.stderr.write(`bootstrap-admin: ${explain(error, options)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`bootstrap-admin: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
