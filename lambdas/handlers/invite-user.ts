import { InviteUserRequestSchema } from '../domain/platforms';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { accountDirectoryService } from '../runtime/directory-dependencies';

const directory = accountDirectoryService();

/**
 * POST /users — creates the account in the identity provider (which e-mails the invitation) and the portal's
 * record. Locally the response also carries a temporary password for the development sign-in page.
 */
export const handler = apiHandler({ authenticate, body: InviteUserRequestSchema }, async ({ caller, body }) =>
  json(201, await directory.inviteUser(caller, body)),
);
