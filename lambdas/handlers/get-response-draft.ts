import { NoticePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { responseDraftService } from '../runtime/response-draft-dependencies';

const drafts = responseDraftService();

/**
 * GET /notices/{noticeId}/response-draft — the response the platform's users are preparing; version 0 with no
 * answers until someone saves one.
 */
export const handler = apiHandler({ authenticate, params: NoticePathSchema }, async ({ caller, params }) =>
  json(200, await drafts.get(caller, params.noticeId)),
);
