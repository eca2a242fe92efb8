import type { Notice, NoticeStatus } from './notice';
import type { NoticeEvent } from './notice-event';

/** The persistence port of the notice service. `DynamoDbNoticeStore` implements it; tests may use a memory one. */
export interface NoticeStore {
  /** The notice's current state, including any committed event whose projection was not yet written. */
  load(id: string): Promise<Notice | undefined>;
  /**
   * Commits `event` (which must be event `notice.version` of `next`) and then projects `next`. Throws
   * `Conflict('concurrent-update')` when another writer committed that sequence number first.
   */
  append(event: NoticeEvent, next: Notice): Promise<void>;
  /** Event `seq` of the notice, if it exists. */
  getEvent(id: string, seq: number): Promise<NoticeEvent | undefined>;
  findEventByIdempotencyKey(id: string, key: string): Promise<NoticeEvent | undefined>;
  history(id: string, page: PageRequest): Promise<Page<NoticeEvent>>;
  list(query: ListQuery, page: PageRequest): Promise<Page<Notice>>;
}

export interface ListQuery {
  status?: NoticeStatus;
  platformId?: string;
  /** Only notices due strictly before this instant (ISO 8601, UTC). */
  dueBefore?: string;
  /** Drafts are listed only when asked for (regulators); a platform must never see one. @default false */
  includeDrafts?: boolean;
}

export interface PageRequest {
  limit: number;
  /** Opaque cursor from a previous page of the same query. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Present when more items may follow. */
  nextCursor?: string;
}
