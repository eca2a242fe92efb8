import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityAdmin } from '../adapters/cognito-identity-admin';
import { DevIdentityAdmin, DevUserRegistry } from '../adapters/dev-user-registry';
import { identityConfig } from '../config/identity';
import { sdkClientConfig } from '../config/sdk-clients';
import { DirectoryService } from '../domain/directory-service';
import type { IdentityAdmin } from '../domain/identity-admin';
import { traced } from '../observability/tracer';
import { now } from './clock';
import { once } from './once';
import { directoryStore } from './stores';

/** The identity provider's admin side, built (and its settings checked) only when an account is changed. */
const identityAdmin = once((): IdentityAdmin => {
  const settings = identityConfig();
  return settings.kind === 'dev'
    ? new DevIdentityAdmin(new DevUserRegistry(settings.usersFile))
    : new CognitoIdentityAdmin(
        traced(new CognitoIdentityProviderClient(sdkClientConfig('cognito'))),
        settings.userPoolId,
      );
});

/** Onboarding: platforms and users. */
export const directoryService = once(
  (): DirectoryService =>
    new DirectoryService({
      store: directoryStore(),
      identity: {
        createUser: (user) => identityAdmin().createUser(user),
        disableUser: (user) => identityAdmin().disableUser(user),
        enableUser: (user) => identityAdmin().enableUser(user),
      },
      clock: now,
    }),
);

/**
 * The directory service for the handlers that change accounts (invite, disable, enable): they build the identity
 * provider's admin side at cold start, so a function missing its identity settings never starts.
 */
export const accountDirectoryService = once((): DirectoryService => {
  identityAdmin();
  return directoryService();
});
