import type { components, paths } from './schema';

/** Names for the API's shapes, all from the generated schema (never a hand-written copy). */
export type Schemas = components['schemas'];
export type Notice = Schemas['Notice'];
export type NoticeStatus = Notice['status'];
export type NoticeEvent = Schemas['NoticeEvent'];
export type NoticeEventKind = NoticeEvent['kind'];
export type Actor = NoticeEvent['actor'];
export type Extension = Notice['extensions'][number];
export type Submission = Schemas['Submission'];
export type Platform = Schemas['Platform'];
export type PortalUser = Schemas['PortalUser'];
export type SigningKey = Schemas['SigningKey'];
export type Money = NonNullable<Notice['infringement']>['amountPayable'];
export type NoticeCounts = Schemas['NoticeCounts'];
/** The query of GET /notices (its filters, order and paging). */
export type NoticeListQuery = NonNullable<paths['/notices']['get']['parameters']['query']>;
export type SubmissionList = Schemas['SubmissionList'];
/** The response a platform is preparing, shared by its users (GET/POST /notices/{noticeId}/response-draft). */
export type ResponseDraft = Schemas['ResponseDraft'];
export type DraftAnswer = Schemas['DraftAnswer'];
export type DraftSigner = Schemas['DraftSigner'];
/** The body of saveResponseDraft: the whole draft, and the version it was made from. */
export type SaveResponseDraftRequest = Schemas['SaveResponseDraftRequest'];
/** An evidence bundle being built, ready (with a short-lived `downloadUrl`) or failed. */
export type EvidenceBundle = Schemas['EvidenceBundle'];
