import { ListUsersQuerySchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { directoryService } from '../runtime/directory-dependencies';

const directory = directoryService();

/** GET /users?platformId= — regulator admins only. */
export const handler = apiHandler({ authenticate, query: ListUsersQuerySchema }, async ({ caller, query }) =>
  json(200, { items: await directory.listUsers(caller, query.platformId) }),
);
