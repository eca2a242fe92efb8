import { describeNoticeTypes } from '../domain/notice-catalogue';
import { apiHandler, json } from '../http/api-handler';
import { authenticate, dependencies } from '../runtime/dependencies';

const { config } = dependencies();
// The catalogue is configuration, fixed for the life of the function: describe it once.
const items = describeNoticeTypes(config.catalogue);

/** GET /notice-types — the catalogue, for any signed-in user (clients learn the type ids here, not from a 400). */
export const handler = apiHandler({ authenticate }, async () => json(200, { items }));
