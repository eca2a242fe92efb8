import { VisuallyHidden } from '@ag.ds-next/react/a11y';
import { Button } from '@ag.ds-next/react/button';
import { PageContent } from '@ag.ds-next/react/content';
import { H1, H2 } from '@ag.ds-next/react/heading';
import { Select } from '@ag.ds-next/react/select';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { type FormEvent, useEffect, useState } from 'react';
import type { NoticeStatus } from '../../api/types';
import { useSessionUser } from '../../auth/auth-context';
import { Announcements, AnnouncerProvider } from '../notice/announcer';
import { useNow } from '../notice/use-now';
import { STATUS_LABELS, userTimeZone } from '../notice-format';
import { EmptyState, ErrorState, LoadingState } from '../page-states';
import { noticeTypeLabel, useNoticeTypes } from '../reference-data';
import { InboxItem } from './inbox-item';
import { inboxGroups } from './inbox-order';
import { useInboxNotices } from './use-inbox-notices';

/** Statuses a platform's notice can be in (a platform never sees drafts). */
const FILTERABLE = (Object.keys(STATUS_LABELS) as NoticeStatus[]).filter((s) => s !== 'draft');

/**
 * A platform user's home page: every notice of their platform, those not yet acknowledged first (tagged "New"),
 * then those awaiting a response by soonest due time, then the rest. The status filter lives in the address
 * (`?status=`), applied with its button so a keyboard user choosing an option does not reload the list under them.
 */
export function Inbox({
  status,
  onFilter,
}: {
  status: NoticeStatus | undefined;
  onFilter: (s: NoticeStatus | undefined) => void;
}) {
  const user = useSessionUser();
  const query = useInboxNotices(status);
  const types = useNoticeTypes();
  const now = useNow(60_000);
  const userZone = userTimeZone();
  const [choice, setChoice] = useState<string>(status ?? '');
  useEffect(() => setChoice(status ?? ''), [status]);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    onFilter(choice === '' ? undefined : (choice as NoticeStatus));
  };
  const groups = inboxGroups(query.data?.notices ?? []);
  const unacknowledged = groups.find((g) => g.id === 'unacknowledged')?.notices.length ?? 0;
  return (
    <AnnouncerProvider>
      <PageContent>
        <Stack gap={2}>
          <Stack gap={0.5}>
            <H1>Inbox</H1>
            <Text as="p" color="muted">
              Notices to your platform. Times are shown on the notice's clocks, and on yours where they differ.
            </Text>
          </Stack>
          <Announcements />
          <form onSubmit={apply} aria-label="Filter the inbox">
            <Stack gap={1} flexDirection={{ xs: 'column', sm: 'row' }} alignItems={{ xs: 'stretch', sm: 'flex-end' }}>
              <Select
                label="Status"
                id="inbox-status"
                value={choice}
                onChange={(e) => setChoice(e.target.value)}
                options={[
                  { value: '', label: 'All statuses' },
                  ...FILTERABLE.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
                ]}
              />
              <div>
                <Button type="submit" variant="secondary">
                  Apply filter
                </Button>
              </div>
            </Stack>
          </form>
          <div role="status" aria-live="polite">
            {query.isPending && <LoadingState label="Loading your notices" />}
            {query.data && (
              <VisuallyHidden>
                {query.data.notices.length} {query.data.notices.length === 1 ? 'notice' : 'notices'}
                {unacknowledged > 0 ? `, ${unacknowledged} not yet acknowledged` : ''}.
              </VisuallyHidden>
            )}
          </div>
          {query.isError && (
            <ErrorState
              title="Your notices could not be loaded"
              error={query.error}
              retry={() => void query.refetch()}
            />
          )}
          {query.data && groups.length === 0 && (
            <EmptyState>
              {status
                ? `No notice is ${STATUS_LABELS[status].toLowerCase()}. Choose "All statuses" to see every notice.`
                : 'No notice has been given to your platform. Notices appear here as soon as a regulator issues them.'}
            </EmptyState>
          )}
          {groups.map((group) => (
            <Stack key={group.id} gap={1} as="section" aria-labelledby={`inbox-${group.id}`}>
              <H2 id={`inbox-${group.id}`}>
                {group.title} ({group.notices.length})
              </H2>
              <ul css={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: '1rem' }}>
                {group.notices.map((notice) => (
                  <li key={notice.id}>
                    <InboxItem
                      notice={notice}
                      now={now}
                      userZone={userZone}
                      typeLabel={noticeTypeLabel(types.data, notice.type)}
                      ownPlatformId={user.platformId}
                    />
                  </li>
                ))}
              </ul>
            </Stack>
          ))}
          {query.data && !query.data.complete && (
            <Text as="p">
              Only the first 500 notices are shown. Use the status filter, or the Notices table, to find older ones.
            </Text>
          )}
        </Stack>
      </PageContent>
    </AnnouncerProvider>
  );
}
