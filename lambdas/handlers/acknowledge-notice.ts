import { AcknowledgeRequestSchema, NoticePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { noticeLifecycle } from '../runtime/notice-lifecycle-dependencies';

const notices = noticeLifecycle();

/**
 * POST /notices/{noticeId}/acknowledge — the platform confirms it has received an issued notice; optionally with
 * `{ "signature": "<compact JWS>" }`, its countersignature over the signed notice (checked against its keys).
 */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: AcknowledgeRequestSchema, bodyOptional: true },
  async ({ caller, params, body, idempotencyKey }) =>
    json(200, await notices.acknowledge(caller, params.noticeId, idempotencyKey, body.signature)),
);
