import { NoticePathSchema, ReviseDraftRequestSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeService } from '../runtime/notice-dependencies';

const notices = noticeService();

/**
 * POST /notices/{noticeId}/draft — replaces a draft's content (the create-draft fields) from the version named
 * by `expectedVersion`; recorded as a `draft-revised` event.
 */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: ReviseDraftRequestSchema },
  async ({ caller, params, body, idempotencyKey }) => {
    const { expectedVersion, ...content } = body;
    return json(200, await notices.reviseDraft(caller, params.noticeId, content, expectedVersion, idempotencyKey));
  },
);
