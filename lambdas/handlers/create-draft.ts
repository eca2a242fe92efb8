import { CreateDraftRequestSchema } from '../domain/notice';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeService } from '../runtime/notice-dependencies';

const notices = noticeService();

/** POST /notices — 201 with the new draft; a retry with the same Idempotency-Key returns it with 200. */
export const handler = apiHandler(
  { authenticate, body: CreateDraftRequestSchema },
  async ({ caller, body, idempotencyKey }) => {
    const { notice, created } = await notices.createDraft(caller, body, idempotencyKey);
    return json(created ? 201 : 200, notice, { location: `/notices/${notice.id}` });
  },
);
