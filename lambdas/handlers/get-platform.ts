import { PlatformPathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { directoryService } from '../runtime/directory-dependencies';

const directory = directoryService();

/** GET /platforms/{platformId} — with its provenance; another platform's is a 404. */
export const handler = apiHandler({ authenticate, params: PlatformPathSchema }, async ({ caller, params }) =>
  json(200, await directory.getPlatform(caller, params.platformId)),
);
