import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { IdentityAdmin } from '../domain/identity-admin';

/**
 * Users in the Cognito user pool. Cognito e-mails the invitation with a temporary password; the group carries the
 * role and the immutable `custom:platformId` attribute the platform, both of which land in the user's tokens.
 */
export class CognitoIdentityAdmin implements IdentityAdmin {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async createUser(user: { email: string; name: string; role: string; platformId?: string }) {
    const created = await this.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: this.userPoolId,
        Username: user.email,
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [
          { Name: 'email', Value: user.email },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: user.name },
          ...(user.platformId ? [{ Name: 'custom:platformId', Value: user.platformId }] : []),
        ],
      }),
    );
    const subject = created.User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
    if (!subject) throw new Error('Cognito returned no subject for the new user');
    await this.cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: this.userPoolId, Username: user.email, GroupName: user.role }),
    );
    return { subject };
  }

  async disableUser(user: { email: string }) {
    await this.cognito.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: user.email }));
    // Also ends refresh tokens; ID tokens already issued are refused by the portal's own directory check.
    await this.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: user.email }));
  }

  async enableUser(user: { email: string }) {
    await this.cognito.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: user.email }));
  }
}
