import { unwrap } from '../../api/api-error';
import type { PortalApi } from '../../api/client';
import type { ResponseDraft, SaveDraftBody } from './draft-types';

/*
 * GET/POST /notices/{noticeId}/response-draft (operationIds getResponseDraft / saveResponseDraft, plan-web2.md).
 * Kept in this one file so the calls switch to the generated types in one place once the schema has them.
 */
type Untyped = {
  GET(path: string, init: unknown): Promise<{ data?: unknown; error?: unknown; response: Response }>;
  POST(path: string, init: unknown): Promise<{ data?: unknown; error?: unknown; response: Response }>;
};
const PATH = '/notices/{noticeId}/response-draft';

export function fetchDraft(api: PortalApi, noticeId: string): Promise<ResponseDraft> {
  const client = api as unknown as Untyped;
  return unwrap(client.GET(PATH, { params: { path: { noticeId } } })) as Promise<ResponseDraft>;
}

export function postDraft(api: PortalApi, noticeId: string, body: SaveDraftBody): Promise<ResponseDraft> {
  const client = api as unknown as Untyped;
  return unwrap(client.POST(PATH, { params: { path: { noticeId } }, body })) as Promise<ResponseDraft>;
}
