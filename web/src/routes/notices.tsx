import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { PageContent } from '@ag.ds-next/react/content';
import { DirectionButton } from '@ag.ds-next/react/direction-link';
import { H1 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useApi } from '../api/api-context';
import { unwrap } from '../api/api-error';
import { useSessionUser } from '../auth/auth-context';
import { isRegulator } from '../auth/session-user';
import { downloadCsv } from '../components/download-file';
import { NoticeFilters } from '../components/notice-filters';
import { userTimeZone } from '../components/notice-format';
import { apiQueryFor, type NoticeListSearch, NoticeListSearchSchema } from '../components/notice-list-search';
import { noticesCsv } from '../components/notices-csv';
import { NoticesTable } from '../components/notices-table';
import { EmptyState, ErrorState } from '../components/page-states';
import { noticeTypeLabel, platformName, useNoticeTypes, usePlatforms } from '../components/reference-data';
import { rootRoute } from './root';

export const noticesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices',
  validateSearch: NoticeListSearchSchema,
  component: Notices,
});

/**
 * The notices table: the view (filters, order and page) lives in the address; the API filters and pages, so each
 * page is exactly what the API returned.
 */
function Notices() {
  const search = noticesRoute.useSearch();
  const navigate = useNavigate({ from: noticesRoute.fullPath });
  const user = useSessionUser();
  const api = useApi();
  const regulator = isRegulator(user);
  const userZone = userTimeZone();
  // One "now" per visit: relative filters (overdue, next 7 days) and "due in" words agree with each other.
  const [now] = useState(() => new Date(Math.floor(Date.now() / 60_000) * 60_000));
  const query = apiQueryFor(search, now, userZone);
  const page = useQuery({
    queryKey: ['notices', query],
    queryFn: () => unwrap(api.GET('/notices', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const platforms = usePlatforms();
  const types = useNoticeTypes();
  const platformList = regulator ? platforms.data : undefined;
  const names = {
    platform: (id: string) => platformName(platformList, id),
    type: (id: string) => noticeTypeLabel(types.data, id),
  };
  const rows = page.data?.items ?? [];
  const go = (next: NoticeListSearch) => void navigate({ search: next });
  const pageNumber = (search.trail?.length ?? 0) + 1;

  return (
    <PageContent>
      <Stack gap={2}>
        <H1>Notices</H1>
        <NoticeFilters search={search} platforms={platformList} types={types.data} onApply={go} />
        <ListStatus
          fetching={page.isFetching}
          shown={page.data ? rows.length : undefined}
          pageNumber={pageNumber}
          order={query.order}
        />
        {page.isError && (
          <ErrorState title="The notices could not be loaded" error={page.error} retry={() => void page.refetch()} />
        )}
        {page.data && rows.length === 0 && (
          <EmptyState>
            {page.data.nextCursor
              ? 'No matching notices were found in this stretch of the list; there may be more on the next page.'
              : 'No notices match these filters. Change or clear the filters to see more.'}
          </EmptyState>
        )}
        {rows.length > 0 && (
          <NoticesTable
            notices={rows}
            caption={`Notices, page ${pageNumber}`}
            userZone={userZone}
            now={now}
            names={names}
          />
        )}
        <Pager search={search} nextCursor={page.data?.nextCursor} go={go} />
        {rows.length > 0 && (
          <div>
            <Button
              variant="secondary"
              onClick={() => downloadCsv(`notices-page-${pageNumber}.csv`, noticesCsv(rows, names, userZone, now))}
            >
              Download these {rows.length} notices as CSV
            </Button>
          </div>
        )}
      </Stack>
    </PageContent>
  );
}

/** Announces each page once it has loaded (and that it is loading), politely. */
function ListStatus(props: {
  fetching: boolean;
  shown: number | undefined;
  pageNumber: number;
  order: 'asc' | 'desc';
}) {
  const { fetching, shown, pageNumber, order } = props;
  let text = '';
  if (fetching) text = 'Loading notices…';
  else if (shown !== undefined) {
    const sorted = order === 'desc' ? 'latest due first' : 'soonest due first';
    text = `Page ${pageNumber}: ${shown} ${shown === 1 ? 'notice' : 'notices'} shown, ${sorted}.`;
  }
  return (
    <div role="status" aria-live="polite" aria-atomic="true">
      <Text>{text}</Text>
    </div>
  );
}

/**
 * Previous and next page by the API's cursors. The address keeps the current page's cursor and those before it
 * (`trail`), so a shared link opens the same page and "Previous page" needs no second request for its cursor.
 */
function Pager({
  search,
  nextCursor,
  go,
}: {
  search: NoticeListSearch;
  nextCursor: string | undefined;
  go: (next: NoticeListSearch) => void;
}) {
  const previous = () => {
    const trail = [...(search.trail ?? [])];
    const cursor = trail.pop();
    go({ ...search, cursor: cursor || undefined, trail: trail.length ? trail : undefined });
  };
  const next = (cursor: string) => go({ ...search, cursor, trail: [...(search.trail ?? []), search.cursor ?? ''] });
  if (search.cursor === undefined && !nextCursor) return null;
  return (
    <nav aria-label="Pages of notices">
      <ButtonGroup>
        {search.cursor !== undefined && (
          <DirectionButton direction="left" onClick={previous}>
            Previous page
          </DirectionButton>
        )}
        {nextCursor && (
          <DirectionButton direction="right" onClick={() => next(nextCursor)}>
            Next page
          </DirectionButton>
        )}
      </ButtonGroup>
    </nav>
  );
}
