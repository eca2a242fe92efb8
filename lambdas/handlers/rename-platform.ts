import { PlatformPathSchema } from '../api/contract';
import { RenamePlatformRequestSchema } from '../domain/platforms';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { directoryService } from '../runtime/directory-dependencies';

const directory = directoryService();

/** POST /platforms/{platformId}/rename — same id, same notices; the old and new names go into the provenance. */
export const handler = apiHandler(
  { authenticate, params: PlatformPathSchema, body: RenamePlatformRequestSchema },
  async ({ caller, params, body }) => json(200, await directory.renamePlatform(caller, params.platformId, body)),
);
