import { UserPathSchema } from '../api/contract';
import { DisableUserRequestSchema } from '../domain/platforms';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { accountDirectoryService } from '../runtime/directory-dependencies';

const directory = accountDirectoryService();

/** POST /users/{subject}/disable — effective on the user's very next request, whatever their token's expiry. */
export const handler = apiHandler(
  { authenticate, params: UserPathSchema, body: DisableUserRequestSchema },
  async ({ caller, params, body }) => json(200, await directory.disableUser(caller, params.subject, body.reason)),
);
