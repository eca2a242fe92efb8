import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import { unwrap } from '../api/api-error';
import type { Schemas } from '../api/types';
import { adminKeys } from './admin/admin-queries';

export type NoticeType = Schemas['NoticeType'];
export type Platform = Schemas['Platform'];

/** The notice catalogue (`GET /notice-types`): changes only with a deployment, so it is cached for the session. */
export function useNoticeTypes() {
  const api = useApi();
  return useQuery({
    queryKey: ['notice-types'],
    queryFn: async () => (await unwrap(api.GET('/notice-types'))).items,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * Every platform (`GET /platforms`), merged ones included; callers pick the onboarded (active) ones. The cache
 * entry is the admin pages' (`adminKeys.platforms`, the whole response) so their changes refresh it; this hook
 * only selects the items. Two hooks caching different shapes under one key broke the Platforms page whenever
 * another page had filled the cache first.
 */
export function usePlatforms() {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.platforms,
    queryFn: () => unwrap(api.GET('/platforms')),
    select: (page) => page.items,
    staleTime: 60_000,
  });
}

/** A platform's legal name for display, or its id when the list has not loaded (or it is unknown). */
export function platformName(platforms: Platform[] | undefined, platformId: string): string {
  return platforms?.find((p) => p.platformId === platformId)?.legalName ?? platformId;
}

export function noticeTypeLabel(types: NoticeType[] | undefined, typeId: string): string {
  return types?.find((t) => t.id === typeId)?.label ?? typeId;
}
