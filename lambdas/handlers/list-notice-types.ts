import { noticeConfig } from '../config/notices';
import { describeNoticeTypes } from '../domain/notice-catalogue';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';

// The catalogue is configuration, fixed for the life of the function: describe it once.
const items = describeNoticeTypes(noticeConfig().catalogue);

/** GET /notice-types — the catalogue, for any signed-in user (clients learn the type ids here, not from a 400). */
export const handler = apiHandler({ authenticate }, async () => json(200, { items }));
