import { NoticePathSchema } from '../api/contract';
import { EvidenceBundleRequestSchema } from '../domain/evidence-bundle';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { evidenceBundleRequests } from '../runtime/evidence-bundle-request-dependencies';

const bundles = evidenceBundleRequests();

/**
 * POST /notices/{noticeId}/evidence-bundles — 202 with the bundle (`building`) and its Location; the build runs
 * asynchronously. The same Idempotency-Key returns the same bundle.
 */
export const handler = apiHandler(
  { authenticate, params: NoticePathSchema, body: EvidenceBundleRequestSchema },
  async ({ caller, params, body, idempotencyKey }) => {
    const { bundle } = await bundles.request(caller, params.noticeId, body.files, idempotencyKey);
    return json(202, bundle, { location: `/notices/${bundle.noticeId}/evidence-bundles/${bundle.bundleId}` });
  },
);
