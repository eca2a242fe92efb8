import { NoticePathSchema } from '../api/contract';
import { apiHandler, json } from '../http/api-handler';
import { authenticate } from '../runtime/authentication';
import { checkpointService } from '../runtime/checkpoint-service-dependencies';

const checkpoints = checkpointService();

/** GET /notices/{noticeId}/checkpoint-proofs — the notice chain's inclusion proofs, one per checkpoint covering it. */
export const handler = apiHandler({ authenticate, params: NoticePathSchema }, async ({ caller, params }) =>
  json(200, await checkpoints.noticeProofs(caller, params.noticeId)),
);
