import { VisuallyHidden } from '@ag.ds-next/react/a11y';
import { Card, CardInner } from '@ag.ds-next/react/card';
import { Columns } from '@ag.ds-next/react/columns';
import { PageContent } from '@ag.ds-next/react/content';
import { H1, H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { useQueries } from '@tanstack/react-query';
import { createRoute } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useApi } from '../api/api-context';
import { unwrap } from '../api/api-error';
import type { NoticeStatus } from '../api/types';
import { useSessionUser } from '../auth/auth-context';
import { isRegulator } from '../auth/session-user';
import { DashboardBucket } from '../components/dashboard-bucket';
import { type StatusPage, summarise } from '../components/dashboard-summary';
import { AWAITING_PLATFORM, formatInZone, STATUS_LABELS, userTimeZone } from '../components/notice-format';
import { noticesHref } from '../components/notice-links';
import { ErrorState, LoadingState } from '../components/page-states';
import { platformName, usePlatforms } from '../components/reference-data';
import { rootRoute } from './root';

export const dashboardRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  component: Dashboard,
});

/** The list API has no counts: one page of this many per status, a bounded read the page says it made. */
const PER_STATUS = 100;
const STATUSES = Object.keys(STATUS_LABELS) as NoticeStatus[];

function Dashboard() {
  const api = useApi();
  const user = useSessionUser();
  const regulator = isRegulator(user);
  const statuses = regulator ? STATUSES : STATUSES.filter((s) => s !== 'draft');
  const [now] = useState(() => new Date());
  const results = useQueries({
    queries: statuses.map((status) => {
      const query = { status, limit: PER_STATUS };
      return {
        queryKey: ['notices', query],
        queryFn: async (): Promise<StatusPage> => ({
          status,
          ...(await unwrap(api.GET('/notices', { params: { query } }))),
        }),
      };
    }),
  });
  const platforms = usePlatforms();
  const names = (id: string) => platformName(regulator ? platforms.data : undefined, id);
  const failed = results.find((r) => r.isError);
  const pages = results.every((r) => r.data) ? results.map((r) => r.data as StatusPage) : undefined;
  const summary = useMemo(() => (pages ? summarise(pages, now) : undefined), [pages, now]);

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
          {!summary && !failed && <LoadingState label="Loading the dashboard" />}
          {summary && <VisuallyHidden>The dashboard has loaded.</VisuallyHidden>}
        </div>
        {failed && (
          <ErrorState
            title="The dashboard could not be loaded"
            error={failed.error}
            retry={() => {
              for (const r of results) if (r.isError) void r.refetch();
            }}
          />
        )}
        {summary && (
          <>
            <Columns cols={{ xs: 1, md: 2 }} gap={2}>
              <DashboardBucket
                id="overdue"
                title="Overdue"
                bucket={summary.overdue}
                now={now}
                platformName={names}
                empty="No notice is overdue."
                views={AWAITING_PLATFORM.map((status) => ({
                  label: `Overdue ${STATUS_LABELS[status].toLowerCase()} notices`,
                  href: noticesHref({ status, due: 'overdue' }),
                }))}
              />
              <DashboardBucket
                id="due-soon"
                title="Due in the next 7 days"
                bucket={summary.dueSoon}
                now={now}
                platformName={names}
                empty="Nothing is due in the next 7 days."
                views={AWAITING_PLATFORM.map((status) => ({
                  label: `${STATUS_LABELS[status]} notices due in the next 7 days`,
                  href: noticesHref({ status, due: 'next-7-days' }),
                }))}
              />
              <DashboardBucket
                id="awaiting-review"
                title="Responses awaiting review"
                bucket={summary.awaitingReview}
                now={now}
                platformName={names}
                empty="No response is waiting to be reviewed."
                detail={(n) => (n.response ? `filed ${n.response.onTime ? 'on time' : 'late'}` : 'filed')}
                views={[{ label: 'All responses awaiting review', href: noticesHref({ status: 'submitted' }) }]}
              />
              <DashboardBucket
                id="extension-requests"
                title="Extension requests awaiting a decision"
                bucket={summary.extensionRequests}
                now={now}
                platformName={names}
                empty="No extension request is waiting for a decision."
                views={AWAITING_PLATFORM.map((status) => ({
                  label: `${STATUS_LABELS[status]} notices with an extension request`,
                  href: noticesHref({ status, extension: 'requested' }),
                }))}
              />
            </Columns>
            <section aria-labelledby="by-status-heading">
              <Stack gap={1}>
                <H2 id="by-status-heading">Notices by status</H2>
                <Columns cols={{ xs: 2, sm: 3, lg: 4 }} gap={1}>
                  {summary.counts.map(({ status, count, more }) => (
                    <Card key={status}>
                      <CardInner>
                        <Stack gap={0.5}>
                          <Text fontSize="xl" fontWeight="bold">
                            {more ? `${count}+` : count}
                          </Text>
                          <TextLink href={noticesHref({ status })}>{STATUS_LABELS[status]}</TextLink>
                        </Stack>
                      </CardInner>
                    </Card>
                  ))}
                </Columns>
                <Text as="p" fontSize="sm" color="muted">
                  Counts read up to {PER_STATUS} notices of each status; "{PER_STATUS}+" means there are more.
                </Text>
              </Stack>
            </section>
          </>
        )}
      </Stack>
    </PageContent>
  );
}
