import { z } from 'zod';
import { once } from '../runtime/once';
import { ConfigError, ENV, parseEnvironment } from './env';

/** Where user accounts are managed: Cognito on AWS, the development identity provider's file locally. */
export type IdentityConfig = { kind: 'cognito'; userPoolId: string } | { kind: 'dev'; usersFile: string };

const IdentityEnv = z.object({
  [ENV.identityAdmin]: z.enum(['cognito', 'dev']).default('dev'),
  [ENV.userPoolId]: z.string().min(1).optional(),
  [ENV.devUsersFile]: z.string().min(1).default('.data/dev-users.json'),
});

export function parseIdentityConfig(env: NodeJS.ProcessEnv): IdentityConfig {
  const e = parseEnvironment(IdentityEnv, env);
  if (e[ENV.identityAdmin] === 'dev') return { kind: 'dev', usersFile: e[ENV.devUsersFile] };
  const userPoolId = e[ENV.userPoolId];
  if (!userPoolId) throw new ConfigError(`Invalid configuration: ${ENV.userPoolId} is required`);
  return { kind: 'cognito', userPoolId };
}

/** The identity settings of this process, parsed on first use. */
export const identityConfig = once(() => parseIdentityConfig(process.env));
