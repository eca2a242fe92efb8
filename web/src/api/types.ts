import type { components } from './schema';

/** Names for the API's shapes, all from the generated schema (never a hand-written copy). */
export type Schemas = components['schemas'];
export type Notice = Schemas['Notice'];
export type NoticeStatus = Notice['status'];
