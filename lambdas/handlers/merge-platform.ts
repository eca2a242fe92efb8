import { PlatformPathSchema } from '../api/contract';
import { MergePlatformRequestSchema } from '../domain/platforms';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { directoryService } from '../runtime/directory-dependencies';

const directory = directoryService();

/** POST /platforms/{platformId}/merge — the successor's users see this platform's notices from now on. */
export const handler = apiHandler(
  { authenticate, params: PlatformPathSchema, body: MergePlatformRequestSchema },
  async ({ caller, params, body }) => json(200, await directory.mergePlatform(caller, params.platformId, body)),
);
