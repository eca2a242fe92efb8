import { PageContent } from '@ag.ds-next/react/content';
import { H2 } from '@ag.ds-next/react/heading';
import { Prose } from '@ag.ds-next/react/prose';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { createRoute } from '@tanstack/react-router';
import type { Notice } from '../api/types';
import { ConfirmationPanel } from '../components/confirmation-panel';
import { formatInZone, userTimeZone } from '../components/notice-format';
import { noticeHref } from '../components/notice-links';
import { ErrorState, PageLoading } from '../components/page-states';
import { platformName, usePlatforms } from '../components/reference-data';
import { useNotice } from '../components/use-notice';
import { rootRoute } from './root';

export const noticeConfirmationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices/$noticeId/issued',
  component: NoticeConfirmation,
});

/** GOV.UK confirmation page: the reference number (the notice id), when it was given, when it is due, what next. */
function NoticeConfirmation() {
  const { noticeId } = noticeConfirmationRoute.useParams();
  const notice = useNotice(noticeId);
  if (notice.isPending) return <PageLoading label="Loading the notice" />;
  if (notice.isError) {
    return (
      <PageContent>
        <Stack gap={2}>
          <h1>Notice issued</h1>
          <ErrorState title="The notice could not be loaded" error={notice.error} retry={() => void notice.refetch()} />
        </Stack>
      </PageContent>
    );
  }
  return <Confirmation notice={notice.data} />;
}

function Confirmation({ notice }: { notice: Notice }) {
  const platforms = usePlatforms();
  const mine = userTimeZone();
  const both = (iso: string) =>
    mine === notice.timeZone
      ? formatInZone(iso, notice.timeZone)
      : `${formatInZone(iso, notice.timeZone)} (${notice.timeZone}); ${formatInZone(iso, mine)} in your time zone`;
  if (notice.status === 'draft') {
    return (
      <PageContent>
        <Stack gap={2}>
          <h1>This notice has not been issued</h1>
          <Text as="p">
            It is still a draft. <TextLink href={`/notices/${notice.id}/check`}>Check and issue it</TextLink>.
          </Text>
        </Stack>
      </PageContent>
    );
  }
  return (
    <PageContent>
      <Stack gap={3}>
        <ConfirmationPanel title="Notice issued">
          Your reference number
          <br />
          <strong data-testid="reference-number">{notice.id}</strong>
        </ConfirmationPanel>
        <Prose>
          <p>
            <strong>{notice.title}</strong> was given to {platformName(platforms.data, notice.platformId)}
            {notice.givenAt ? ` at ${both(notice.givenAt)}` : ''}.
          </p>
          {notice.dueAt ? (
            <p>
              It is due <strong>{both(notice.dueAt)}</strong>.
            </p>
          ) : (
            <p>Nothing is due under this type of notice.</p>
          )}
          {notice.dueExplanation && notice.dueExplanation.length > 0 && (
            <details>
              <summary>How the due time was worked out</summary>
              <ol>
                {notice.dueExplanation.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ol>
            </details>
          )}
        </Prose>
        <Prose>
          <H2>What happens next</H2>
          <ul>
            <li>The platform's legal team sees the notice in the portal and its contacts are told by e-mail.</li>
            <li>They are reminded before the due time; you are told if it passes without a response.</li>
            <li>They may ask for an extension: you decide on the notice's page.</li>
            <li>Every step is recorded in the notice's history with who did it and when.</li>
          </ul>
          <p>
            <TextLink href={noticeHref(notice.id)}>Go to the notice</TextLink>
          </p>
          <p>
            <TextLink href="/notices/new">Create another notice</TextLink>
          </p>
        </Prose>
      </Stack>
    </PageContent>
  );
}
