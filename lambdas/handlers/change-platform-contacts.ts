import { PlatformPathSchema } from '../api/contract';
import { ContactsRequestSchema } from '../domain/platforms';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { directoryService } from '../runtime/directory-dependencies';

const directory = directoryService();

/** POST /platforms/{platformId}/contacts — where notices are served from now on. */
export const handler = apiHandler(
  { authenticate, params: PlatformPathSchema, body: ContactsRequestSchema },
  async ({ caller, params, body }) => json(200, await directory.changeContacts(caller, params.platformId, body)),
);
