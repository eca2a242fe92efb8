import { VisuallyHidden } from '@ag.ds-next/react/a11y';
import { Card, CardInner } from '@ag.ds-next/react/card';
import { Columns } from '@ag.ds-next/react/columns';
import { PageContent } from '@ag.ds-next/react/content';
import { H1, H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { useQueries, useQuery } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { z } from 'zod';
import { useApi } from '../api/api-context';
import { unwrap } from '../api/api-error';
import type { Notice, NoticeStatus } from '../api/types';
import { useSessionUser } from '../auth/auth-context';
import { isRegulator } from '../auth/session-user';
import { DashboardBucket } from '../components/dashboard-bucket';
import { type SectionId, sectionViews } from '../components/dashboard-lists';
import { Inbox } from '../components/inbox/inbox';
import { formatInZone, STATUS_LABELS, userTimeZone } from '../components/notice-format';
import { noticesHref } from '../components/notice-links';
import { ErrorState, LoadingState } from '../components/page-states';
import { platformName, usePlatforms } from '../components/reference-data';
import { rootRoute } from './root';

const STATUSES = Object.keys(STATUS_LABELS) as NoticeStatus[];
const STATUS_VALUES = STATUSES as [NoticeStatus, ...NoticeStatus[]];

export const dashboardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  // Only the platform's inbox reads it; anything unreadable in a shared link is dropped rather than failing.
  validateSearch: z.object({ status: z.enum(STATUS_VALUES).optional().catch(undefined) }),
  component: Home,
});

/** `/`: the regulator's dashboard, or a platform user's inbox. */
function Home() {
  const user = useSessionUser();
  const { status } = dashboardRoute.useSearch();
  const navigate = useNavigate({ from: '/' });
  if (isRegulator(user)) return <Dashboard />;
  return <Inbox status={status} onFilter={(next) => void navigate({ search: { status: next } })} />;
}

const SECTIONS: { id: SectionId; title: string; empty: string; detail?: (n: Notice) => string }[] = [
  { id: 'overdue', title: 'Overdue', empty: 'No notice is overdue.' },
  { id: 'due-soon', title: 'Due in the next 7 days', empty: 'Nothing is due in the next 7 days.' },
  {
    id: 'awaiting-review',
    title: 'Responses awaiting review',
    empty: 'No response is waiting to be reviewed.',
    detail: (n) => (n.response ? `filed ${n.response.onTime ? 'on time' : 'late'}` : 'filed'),
  },
  {
    id: 'extension-requests',
    title: 'Extension requests awaiting a decision',
    empty: 'No extension request is waiting for a decision.',
  },
];

/**
 * The dashboard: the portal's counts (GET /notices/counts, regulators) and, for each section, its first few
 * notices from the list API with the same filters as the table view it links to.
 */
function Dashboard() {
  const api = useApi();
  const user = useSessionUser();
  const regulator = isRegulator(user);
  const [now] = useState(() => new Date());
  const views = sectionViews(now);
  const counts = useQuery({
    queryKey: ['notice-counts'],
    queryFn: () => unwrap(api.GET('/notices/counts')),
    enabled: regulator,
  });
  const lists = useQueries({
    queries: SECTIONS.map(({ id }) => ({
      queryKey: ['notices', views[id].query],
      queryFn: () => unwrap(api.GET('/notices', { params: { query: views[id].query } })),
    })),
  });
  const platforms = usePlatforms();
  const names = (id: string) => platformName(regulator ? platforms.data : undefined, id);
  const failed = [...lists, ...(regulator ? [counts] : [])].find((r) => r.isError);
  const loaded = lists.every((r) => r.data) && (!regulator || counts.data);
  const totals: Record<SectionId, number | undefined> = {
    overdue: counts.data?.overdue,
    'due-soon': counts.data?.dueInNext7Days,
    'awaiting-review': counts.data?.byStatus.submitted,
    'extension-requests': counts.data?.extensionRequests,
  };

  return (
    <PageContent>
      <Stack gap={3}>
        <Stack gap={0.5}>
          <H1>Dashboard</H1>
          <Text as="p" color="muted">
            As at {formatInZone(now.toISOString(), userTimeZone())}. Each number links to the notices it counts.
          </Text>
        </Stack>
        <div role="status" aria-live="polite">
          {!loaded && !failed && <LoadingState label="Loading the dashboard" />}
          {loaded && <VisuallyHidden>The dashboard has loaded.</VisuallyHidden>}
        </div>
        {failed && (
          <ErrorState
            title="The dashboard could not be loaded"
            error={failed.error}
            retry={() => {
              for (const r of [...lists, counts]) if (r.isError) void r.refetch();
            }}
          />
        )}
        {loaded && (
          <>
            <Columns cols={{ xs: 1, md: 2 }} gap={2}>
              {SECTIONS.map((section, i) => (
                <DashboardBucket
                  key={section.id}
                  id={section.id}
                  title={section.title}
                  bucket={{ notices: lists[i]?.data?.items ?? [], total: totals[section.id] }}
                  more={Boolean(lists[i]?.data?.nextCursor)}
                  now={now}
                  platformName={names}
                  empty={section.empty}
                  detail={section.detail}
                  view={{
                    label: `${section.title}: all of them in the notices table`,
                    href: noticesHref(views[section.id].view),
                  }}
                />
              ))}
            </Columns>
            {counts.data && (
              <section aria-labelledby="by-status-heading">
                <Stack gap={1}>
                  <H2 id="by-status-heading">Notices by status</H2>
                  <Columns cols={{ xs: 2, sm: 3, lg: 4 }} gap={1}>
                    {STATUSES.map((status) => (
                      <Card key={status}>
                        <CardInner>
                          <Stack gap={0.5}>
                            <Text fontSize="xl" fontWeight="bold">
                              {counts.data.byStatus[status]}
                            </Text>
                            <TextLink href={noticesHref({ status })}>{STATUS_LABELS[status]}</TextLink>
                          </Stack>
                        </CardInner>
                      </Card>
                    ))}
                  </Columns>
                </Stack>
              </section>
            )}
          </>
        )}
      </Stack>
    </PageContent>
  );
}
