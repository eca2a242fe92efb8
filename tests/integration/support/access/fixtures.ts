import type { JWK, KeyLike } from 'jose';
import type { Owner } from './owners';

/** What the access matrix sets up once through the API (see set-up.ts), as the tests receive it. */

const MIB = 1024 ** 2;

/** Declared size of the multipart fixture file: above the single-PUT limit, never uploaded. */
export const MULTIPART_SIZE = 65 * MIB + 1;
export const MULTIPART_PARTS = 5; // 16 MiB parts

export interface SigningKeyPair {
  privateKey: KeyLike;
  jwk: JWK;
  kid: string;
}

export interface PlatformFixtures {
  owner: Owner;
  /** In the title of every notice of this platform that is (or will be) issued, in file names and reasons. */
  canary: string;
  /** In the title of every notice of this platform that stays a draft: platforms must never see it. */
  draftCanary: string;
  issuedNoticeId: string;
  /**
   * In the response draft saved for the issued notice: the platform's unsigned work in progress, which only its own
   * users may ever see (regulators neither).
   */
  responseDraftCanary: string;
  extensionId: string;
  draftNoticeId: string;
  infringementNoticeId: string;
  key: SigningKeyPair;
  submissionId: string;
  fileName: string;
  multipartSubmissionId: string;
  multipartFileName: string;
  /** An evidence bundle (hashes only) of the issued notice, requested by a regulator. */
  bundleId: string;
  /** A platform-responder of this platform, invited for the disable/enable routes to act on. */
  throwawayUser: { subject: string; email: string };
}

export interface DisabledUser {
  label: string;
  email: string;
  subject: string;
  /** Obtained from the dev IdP before the user was disabled. */
  token: string;
}

/** A platform's machine client (OAuth 2.0 client credentials) and an access token it was given. */
export interface ApiClientFixture {
  owner: Owner;
  clientId: string;
  clientSecret: string;
  token: string;
}

export interface Fixtures {
  tag: string;
  platforms: Record<Owner, PlatformFixtures>;
  throwawayPlatforms: { rename: string; contacts: string; merge: string; mergeInto: string; marker: string };
  disabled: DisabledUser[];
  /** The dev IdP's answer to a token request for each disabled user, after disabling (must be a refusal). */
  tokenAfterDisable: number[];
  clients: Record<Owner, ApiClientFixture>;
  /** An x-corp client revoked after its token was issued: the token must then get 401 everywhere. */
  revokedClient: ApiClientFixture;
  /** Callers whose token was good and is now cut off (disabled users, the revoked client). */
  cutOff: { label: string; token: string }[];
  /** A receipt the regulator signed (a JWS every platform holds): never a bearer token. */
  receiptJws: string;
  /** Private keys of the portal (dev IdP, receipts, machine tokens): never in any response. */
  privateKeys: { what: string; d: string }[];
  /** The portal's machine-token signing key, so tests can mint machine tokens with any claim wrong. */
  tokenKey: JWK;
}
