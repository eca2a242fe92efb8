import { CreatePlatformRequestSchema } from '../domain/platforms';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { directoryService } from '../runtime/directory-dependencies';

const directory = directoryService();

/** POST /platforms — 201 with the platform (200 when the same onboarding is sent again). */
export const handler = apiHandler({ authenticate, body: CreatePlatformRequestSchema }, async ({ caller, body }) => {
  const { platform, created } = await directory.createPlatform(caller, body);
  return json(created ? 201 : 200, platform, { location: `/platforms/${platform.platformId}` });
});
