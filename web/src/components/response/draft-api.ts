import { unwrap } from '../../api/api-error';
import type { PortalApi } from '../../api/client';
import type { ResponseDraft, SaveDraftBody } from './draft-types';

/** GET/POST /notices/{noticeId}/response-draft (getResponseDraft / saveResponseDraft). */
export function fetchDraft(api: PortalApi, noticeId: string): Promise<ResponseDraft> {
  return unwrap(api.GET('/notices/{noticeId}/response-draft', { params: { path: { noticeId } } }));
}

export function postDraft(api: PortalApi, noticeId: string, body: SaveDraftBody): Promise<ResponseDraft> {
  return unwrap(api.POST('/notices/{noticeId}/response-draft', { params: { path: { noticeId } }, body }));
}
