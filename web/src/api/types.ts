import type { components, paths } from './schema';

/** Names for the API's shapes, all from the generated schema (never a hand-written copy). */
export type Schemas = components['schemas'];
export type Notice = Schemas['Notice'];
export type NoticeStatus = Notice['status'];
export type NoticeCounts = Schemas['NoticeCounts'];
/** The query of GET /notices (its filters, order and paging). */
export type NoticeListQuery = NonNullable<paths['/notices']['get']['parameters']['query']>;
