import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { directoryService } from '../runtime/directory-dependencies';

const directory = directoryService();

/** GET /platforms — every onboarded platform (regulators). */
export const handler = apiHandler({ authenticate }, async ({ caller }) =>
  json(200, { items: await directory.listPlatforms(caller) }),
);
