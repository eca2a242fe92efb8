import type { PortalUser } from './platforms';

/** The identity provider's admin side: Cognito on AWS, the development provider locally. */
export interface IdentityAdmin {
  /** Creates the account (the provider e-mails an invitation) and returns its subject. */
  createUser(user: { email: string; name: string; role: PortalUser['role']; platformId?: string }): Promise<{
    subject: string;
    /** Only the development provider returns one, so a demo can sign in. */
    temporaryPassword?: string;
  }>;
  /** Disables the account and signs it out everywhere. */
  disableUser(user: { subject: string; email: string }): Promise<void>;
  enableUser(user: { subject: string; email: string }): Promise<void>;
}
