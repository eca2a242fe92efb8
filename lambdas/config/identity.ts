import * as z from '../domain/zod';
import { once } from '../runtime/once';
import { ConfigError, ENV, parseEnvironment, requiredWhen } from './env';

/** Where user accounts are managed: Cognito on AWS, the development identity provider's file locally. */
export type IdentityConfig = { kind: 'cognito'; userPoolId: string } | { kind: 'dev'; usersFile: string };

const IdentityEnv = z.object({
  // No default: a deployed function must never fall back to the development accounts file (fail closed).
  [ENV.identityAdmin]: z.enum(['cognito', 'dev']),
  [ENV.userPoolId]: z.optional(z.string().check(z.minLength(1))),
  [ENV.devUsersFile]: z.optional(z.string().check(z.minLength(1))),
});

export function parseIdentityConfig(env: NodeJS.ProcessEnv): IdentityConfig {
  const e = parseEnvironment(IdentityEnv, env);
  if (e[ENV.identityAdmin] === 'dev') {
    const usersFile = e[ENV.devUsersFile];
    if (!usersFile) throw requiredWhen(ENV.devUsersFile, `${ENV.identityAdmin}=dev`);
    return { kind: 'dev', usersFile };
  }
  const userPoolId = e[ENV.userPoolId];
  if (!userPoolId) throw new ConfigError(`Invalid configuration: ${ENV.userPoolId} is required`);
  return { kind: 'cognito', userPoolId };
}

/** The identity settings of this process, parsed on first use. */
export const identityConfig = once(() => parseIdentityConfig(process.env));
