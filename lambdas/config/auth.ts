import * as z from '../domain/zod';
import { once } from '../runtime/once';
import { ENV, parseEnvironment } from './env';
import { parseSignerSettings, type SignerSettings } from './signer-settings';

/** Issuer and audience of the portal's machine-client access tokens (not URLs: nothing fetches them). */
export const MACHINE_TOKEN_ISSUER = 'urn:notice-portal:machine-clients';
export const MACHINE_TOKEN_AUDIENCE = 'urn:notice-portal:api';

/** The portal's own access tokens (machine clients): who signs them. */
export type MachineTokenSettings = SignerSettings;

/** The identity provider whose ID tokens authenticate people. */
export interface AuthConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

const AuthEnv = z.object({
  [ENV.authIssuer]: z.url(),
  [ENV.authAudience]: z.string().check(z.minLength(1)),
  [ENV.authJwksUrl]: z.url(),
});

export function parseAuthConfig(env: NodeJS.ProcessEnv): AuthConfig {
  const e = parseEnvironment(AuthEnv, env);
  return { issuer: e[ENV.authIssuer], audience: e[ENV.authAudience], jwksUrl: e[ENV.authJwksUrl] };
}

/** Who signs the portal's machine-client access tokens (verifying them needs the same key's public half). */
export function parseMachineTokenConfig(env: NodeJS.ProcessEnv): MachineTokenSettings {
  return parseSignerSettings(env, { signer: ENV.tokenSigner, kmsKeyId: ENV.tokenKmsKeyId, keyFile: ENV.tokenKeyFile });
}

/** The authentication settings of this process, parsed on first use. */
export const authConfig = once(() => parseAuthConfig(process.env));
/** The machine-token signer's settings of this process, parsed on first use. */
export const machineTokenConfig = once(() => parseMachineTokenConfig(process.env));
