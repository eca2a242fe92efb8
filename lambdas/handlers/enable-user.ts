import { UserPathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { accountDirectoryService } from '../runtime/directory-dependencies';

const directory = accountDirectoryService();

/** POST /users/{subject}/enable — lets a disabled user back in. */
export const handler = apiHandler({ authenticate, params: UserPathSchema }, async ({ caller, params }) =>
  json(200, await directory.enableUser(caller, params.subject)),
);
