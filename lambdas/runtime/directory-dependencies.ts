import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityAdmin } from '../adapters/cognito-identity-admin';
import { DevIdentityAdmin, DevUserRegistry } from '../adapters/dev-user-registry';
import { ConfigError, ENV } from '../config';
import { DirectoryService, type IdentityAdmin } from '../domain/directory-service';
import { now } from './clock';
import { dependencies } from './dependencies';

/** Onboarding's dependencies; the identity provider's admin client is built only where users are managed. */
let built: DirectoryService | undefined;

export function directoryService(): DirectoryService {
  if (built) return built;
  const { config, directory } = dependencies();
  let identity: IdentityAdmin | undefined;
  const admin = (): IdentityAdmin => {
    if (identity) return identity;
    const settings = config.identityAdmin;
    if (settings.kind === 'dev') {
      identity = new DevIdentityAdmin(new DevUserRegistry(settings.usersFile));
    } else {
      if (!settings.userPoolId) throw new ConfigError(`Invalid configuration: ${ENV.userPoolId} is required`);
      identity = new CognitoIdentityAdmin(new CognitoIdentityProviderClient({}), settings.userPoolId);
    }
    return identity;
  };
  built = new DirectoryService({
    store: directory,
    identity: {
      createUser: (user) => admin().createUser(user),
      disableUser: (user) => admin().disableUser(user),
      enableUser: (user) => admin().enableUser(user),
    },
    clock: now,
  });
  return built;
}
