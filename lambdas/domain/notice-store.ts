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
  /**
   * One page of the notices matching `query`, filled up to `page.limit` even when filters drop items (within a
   * bounded number of index reads; a page may then be short, with a `nextCursor` to go on from).
   */
  list(query: ListQuery, page: PageRequest): Promise<Page<Notice>>;
  /** How many notices match `query` (reads every matching index item: see DynamoDbNoticeStore.count). */
  count(query: ListQuery): Promise<number>;
}

export interface ListQuery {
  status?: NoticeStatus;
  platformId?: string;
  type?: string;
  /** Only notices due strictly before this instant (ISO 8601, UTC). */
  dueBefore?: string;
  /** Only notices due strictly after this instant (ISO 8601, UTC); notices with no due time are left out. */
  dueAfter?: string;
  /**
   * Only notices whose platform still owes a response or payment by a due time: issued, acknowledged or
   * further-information-requested, with a due time (overdue or not).
   */
  open?: boolean;
  /** `requested`: only notices with an extension request awaiting a decision. */
  extension?: 'requested';
  /** `asc` (default): soonest due first; `desc`: latest due first. */
  order?: 'asc' | 'desc';
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
