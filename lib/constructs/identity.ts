import { Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
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
   * Further URLs the user pool may send a browser back to with an authorization code, besides the web app's own
   * `<origin>/auth/callback` (see {@link Identity.serveWebAppAt}), e.g. the same app on a custom domain.
   * @default - none
   */
  readonly callbackUrls?: readonly string[];
  /**
   * Further URLs the user pool may send a browser to after sign-out, besides the web app's `<origin>/signed-out`.
   * @default the extra callback URLs
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
   */
  readonly domainPrefix: string;
}

/** The custom attribute that ties a platform user to their platform; tenant isolation hangs on it. */
export const PLATFORM_ID_ATTRIBUTE = 'platformId';

/**
 * Who may use the portal: a Cognito user pool (administrator-created accounts only, TOTP MFA required), one group
 * per role, the hosted sign-in domain and the web app's public client using the authorization code grant with PKCE.
 */
export class Identity extends Construct implements JwtSettings {
  public readonly userPool: UserPool;
  /** The web app's client; its id is the `aud` of the ID tokens the API accepts. */
  public readonly webClient: UserPoolClient;
  /** The hosted sign-in domain, where the web app's sign-in and sign-out pages are. */
  public readonly domain: UserPoolDomain;
  public readonly issuer: string;
  public readonly jwksUrl: string;
  public readonly audience: string;
  private webAppOrigin?: string;

  public constructor(scope: Construct, id: string, props: IdentityProps) {
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

    // The client is created now, because the API's authorizer and every function need its id; its URLs are
    // filled in at synthesis from the web app's origin, which only exists once the distribution in front of that
    // same API does (see serveWebAppAt).
    const extraCallbacks = [...(props.callbackUrls ?? [])];
    const extraLogouts = [...(props.logoutUrls ?? extraCallbacks)];
    const urls = (path: string, extra: string[]) =>
      Lazy.list({ produce: () => [`${this.requireWebAppOrigin()}${path}`, ...extra] });
    this.webClient = this.userPool.addClient(
      'WebClient',
      webClientOptions(urls(WEB_APP_CALLBACK_PATH, extraCallbacks), urls(WEB_APP_SIGNED_OUT_PATH, extraLogouts)),
    );

    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });

    const stack = Stack.of(this);
    // Built from tokens (not `Stack.region` literals) so the stack stays environment-agnostic.
    this.issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
    this.jwksUrl = `${this.issuer}/.well-known/jwks.json`;
    this.audience = this.webClient.userPoolClientId;
  }

  /**
   * The web app's origin (`https://<distribution domain>`): the web client may send browsers back to
   * `<origin>/auth/callback` after sign-in and to `<origin>/signed-out` after sign-out. Required, once.
   */
  public serveWebAppAt(origin: string): void {
    if (this.webAppOrigin !== undefined) throw new Error('Identity.serveWebAppAt may only be called once');
    this.webAppOrigin = origin;
  }

  private requireWebAppOrigin(): string {
    if (this.webAppOrigin === undefined) {
      throw new Error("Identity.serveWebAppAt was never called: the web client's callback URLs need the app's origin");
    }
    return this.webAppOrigin;
  }
}

/** Where the web app receives the authorization code (the app's `oidc.redirectPath`). */
export const WEB_APP_CALLBACK_PATH = '/auth/callback';
/** Where Cognito's logout endpoint returns the browser (the app's `oidc.postLogoutPath`). */
export const WEB_APP_SIGNED_OUT_PATH = '/signed-out';

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
function webClientOptions(callbackUrls: string[], logoutUrls: string[]): UserPoolClientOptions {
  return {
    // A browser app cannot keep a secret; PKCE protects the code exchange instead.
    generateSecret: false,
    authFlows: { userSrp: true },
    oAuth: {
      // The code grant only: no implicit grant (tokens in the URL), no client credentials.
      flows: { authorizationCodeGrant: true },
      scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
      callbackUrls,
      logoutUrls,
    },
    // An hour of ID and access token, renewed silently with the refresh token for a working day at most: after
    // that the user signs in again (with MFA).
    idTokenValidity: Duration.minutes(60),
    accessTokenValidity: Duration.minutes(60),
    refreshTokenValidity: Duration.hours(12),
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
