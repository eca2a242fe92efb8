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
