import { BundlePathSchema } from '../domain/evidence-bundle';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { evidenceBundleService } from '../runtime/evidence-bundle-dependencies';

const bundles = evidenceBundleService();

/** GET /notices/{noticeId}/evidence-bundles/{bundleId} — the bundle's status and, when ready, a download URL. */
export const handler = apiHandler({ authenticate, params: BundlePathSchema }, async ({ caller, params }) => {
  return json(200, await bundles.get(caller, params.noticeId, params.bundleId));
});
