import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolClientOptions,
  type UserPoolDomain,
  type UserPoolProps,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../lambdas/domain/caller';

/** The settings a JWT verifier needs; what the API's authorizer and the handlers' token check are given. */
export interface JwtSettings {
  /** The `iss` every accepted token carries. */
  readonly issuer: string;
  /** The `aud` every accepted (ID) token carries: the web client's id. */
  readonly audience: string;
  /** Where the signing keys are published. */
  readonly jwksUrl: string;
}

/** Props of {@link Identity}. */
export interface IdentityProps {
  /**
   * Where the user pool may send a browser back with an authorization code.
   * @default ['http://localhost:4000/callback'] - development only: the local portal
   */
  readonly callbackUrls?: readonly string[];
  /**
   * Where the user pool may send a browser after sign-out.
   * @default the callback URLs
   */
  readonly logoutUrls?: readonly string[];
  /**
   * Refuse `DeleteUserPool` until this is switched off. Off only for throw-away development stacks.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Run the user pool on the Plus feature plan with threat protection enforced (adaptive authentication,
   * compromised-credential checks). Plus is billed per monthly active user at a higher rate than Essentials;
   * the portal's users are regulator staff and platform responders, so the extra cost stays small.
   * @default true
   */
  readonly threatProtection?: boolean;
  /**
   * Prefix of the Cognito-hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`). Prefixes are unique
   * per region across all AWS accounts, so it is chosen per deployment.
   * @default - no hosted domain (the code grant cannot be used until one is added)
   */
  readonly domainPrefix?: string;
}

/** The custom attribute that ties a platform user to their platform; tenant isolation hangs on it. */
export const PLATFORM_ID_ATTRIBUTE = 'platformId';

/**
 * Who may use the portal: a Cognito user pool (administrator-created accounts only, TOTP MFA required), one group
 * per role and a web app client using the authorization code grant with PKCE.
 */
export class Identity extends Construct implements JwtSettings {
  public readonly userPool: UserPool;
  public readonly webClient: UserPoolClient;
  /** The hosted sign-in domain, when `domainPrefix` was given. */
  public readonly domain?: UserPoolDomain;
  public readonly issuer: string;
  public readonly jwksUrl: string;
  public readonly audience: string;

  public constructor(scope: Construct, id: string, props: IdentityProps = {}) {
    super(scope, id);
    const threatProtection = props.threatProtection ?? true;

    this.userPool = new UserPool(this, 'UserPool', userPoolProps(props, threatProtection));
    if (!threatProtection) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason:
          'Threat protection was switched off for this deployment (threatProtection: false) to avoid the Plus ' +
          'plan per-user charge; MFA is still required for every user.',
      });
    }

    // Group names are the roles the handlers read from the `cognito:groups` claim.
    ROLES.forEach((role, precedence) => {
      this.userPool.addGroup(pascalCase(role), { groupName: role, precedence });
    });

    const callbackUrls = [...(props.callbackUrls ?? ['http://localhost:4000/callback'])];
    this.webClient = this.userPool.addClient('WebClient', webClientOptions(callbackUrls, props));

    if (props.domainPrefix !== undefined) {
      this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    }

    const stack = Stack.of(this);
    // Built from tokens (not `Stack.region` literals) so the stack stays environment-agnostic.
    this.issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
    this.jwksUrl = `${this.issuer}/.well-known/jwks.json`;
    this.audience = this.webClient.userPoolClientId;
  }
}

/** The pool: administrator-created accounts only, TOTP MFA required, and kept if the stack is deleted. */
function userPoolProps(props: IdentityProps, threatProtection: boolean): UserPoolProps {
  return {
    // Accounts are issued by regulator administrators, never self-registered.
    selfSignUpEnabled: false,
    signInAliases: { email: true },
    autoVerify: { email: true },
    standardAttributes: {
      email: { required: true, mutable: true },
      fullname: { required: false, mutable: true },
    },
    customAttributes: {
      // Immutable: a user never moves between platforms. A wrongly linked account is disabled and replaced, which
      // leaves a clean audit trail instead of a silently re-pointed identity.
      [PLATFORM_ID_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
    },
    mfa: Mfa.REQUIRED,
    // TOTP only: no SMS (SIM-swap risk, and no SMS role or spending limit to manage).
    mfaSecondFactor: { otp: true, sms: false },
    passwordPolicy: {
      minLength: 12,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
      tempPasswordValidity: Duration.days(3),
    },
    accountRecovery: AccountRecovery.EMAIL_ONLY,
    featurePlan: threatProtection ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
    standardThreatProtectionMode: threatProtection ? StandardThreatProtectionMode.FULL_FUNCTION : undefined,
    deletionProtection: props.deletionProtection ?? true,
    // Losing the pool would lock every user out and break the link between audit records and identities.
    removalPolicy: RemovalPolicy.RETAIN,
  };
}

/** The web app client: authorization code grant with PKCE, and users may change only their display name. */
function webClientOptions(callbackUrls: string[], props: IdentityProps): UserPoolClientOptions {
  return {
    // A browser app cannot keep a secret; PKCE protects the code exchange instead.
    generateSecret: false,
    authFlows: { userSrp: true },
    oAuth: {
      flows: { authorizationCodeGrant: true },
      scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
      callbackUrls,
      logoutUrls: [...(props.logoutUrls ?? callbackUrls)],
    },
    supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
    preventUserExistenceErrors: true,
    enableTokenRevocation: true,
    readAttributes: new ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
      .withCustomAttributes(PLATFORM_ID_ATTRIBUTE),
    // Users may correct their display name only: never their platform, and never their e-mail (the sign-in
    // identity), which administrators manage.
    writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
  };
}

function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
