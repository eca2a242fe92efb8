import { defaultStringifySearch } from '@tanstack/react-router';
import type { NoticeListSearch } from './notice-list-search';

/**
 * The address of a notices-table view, serialised the way the router reads it back (so a link from the
 * dashboard and a filter applied on the table give the same address).
 */
export function noticesHref(search: NoticeListSearch): string {
  const defined = Object.fromEntries(Object.entries(search).filter(([, v]) => v !== undefined && v !== ''));
  return `/notices${defaultStringifySearch(defined)}`;
}

export function noticeHref(noticeId: string): string {
  return `/notices/${encodeURIComponent(noticeId)}`;
}
