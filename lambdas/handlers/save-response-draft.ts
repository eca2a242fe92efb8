import { NoticePathSchema } from '../api/contract';
import { SaveResponseDraftRequestSchema } from '../domain/response-draft';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { responseDraftService } from '../runtime/response-draft-dependencies';

const drafts = responseDraftService();

/**
 * POST /notices/{noticeId}/response-draft — replaces the response being prepared, from the version the caller read.
 * No Idempotency-Key: `expectedVersion` already makes a retry safe (a repeat of a save that went through is a 409
 * stale-version, and the client reads the draft to see its own save there).
 */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: SaveResponseDraftRequestSchema },
  async ({ caller, params, body }) => json(200, await drafts.save(caller, params.noticeId, body)),
);
