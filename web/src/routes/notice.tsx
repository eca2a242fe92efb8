import { PageContent } from '@ag.ds-next/react/content';
import { H1 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { createRoute } from '@tanstack/react-router';
import { ApiError } from '../api/api-error';
import { useSessionUser } from '../auth/auth-context';
import { isRegulator } from '../auth/session-user';
import { NotFoundPage } from '../components/not-found-page';
import { Announcements, AnnouncerProvider } from '../components/notice/announcer';
import { DueStatus } from '../components/notice/due-status';
import { EvidenceBundleSection } from '../components/notice/evidence-bundle-section';
import { ExtensionsSection } from '../components/notice/extensions-section';
import { InfringementDraft } from '../components/notice/infringement-draft';
import { NoticeActions } from '../components/notice/notice-actions';
import { NoticeDetails } from '../components/notice/notice-details';
import { useNotice, useNoticeTypes } from '../components/notice/notice-queries';
import { NoticeTimeline } from '../components/notice/notice-timeline';
import { canDraftInfringement } from '../components/notice/regulator-actions';
import { SignedNoticeSection } from '../components/notice/signed-notice-section';
import { SubmissionsSection } from '../components/notice/submissions-section';
import { useNow } from '../components/notice/use-now';
import { ErrorState, PageLoading } from '../components/page-states';
import { AskForMoreTime, canAskForMoreTime } from '../components/platform/ask-for-more-time';
import { PlatformNextSteps } from '../components/platform/response-call-to-action';
import { rootRoute } from './root';

export const noticeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices/$noticeId',
  component: NoticePage,
});

/**
 * One notice: status and due time first (what a reader needs now), then anything awaiting a decision and the
 * actions, the responses, every field of the notice, and its verified history. A platform user gets "Ask for more
 * time" inside the due time's row, the extension requests with the regulator's decisions right below it, and then
 * what to do next (acknowledge, prepare or continue the response, or the receipt once filed).
 */
function NoticePage() {
  const { noticeId } = noticeRoute.useParams();
  const query = useNotice(noticeId);
  const types = useNoticeTypes();
  const user = useSessionUser();
  // A minute is fine-grained enough for "overdue"; the countdown keeps its own second-by-second clock.
  const now = useNow(60_000);
  if (query.isPending) return <PageLoading label="Loading the notice" />;
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.status === 404) return <NotFoundPage />;
    return (
      <PageContent>
        <Stack gap={1}>
          <H1>Notice {noticeId}</H1>
          <ErrorState title="The notice could not be loaded" error={query.error} retry={() => void query.refetch()} />
        </Stack>
      </PageContent>
    );
  }
  const notice = query.data;
  const regulator = isRegulator(user);
  const typeLabel = types.data?.find((type) => type.id === notice.type)?.label;
  return (
    <AnnouncerProvider>
      <PageContent>
        <Stack gap={2}>
          <Stack gap={0.5}>
            {regulator ? (
              <TextLink href="/notices">Back to notices</TextLink>
            ) : (
              <TextLink href="/">Back to inbox</TextLink>
            )}
            <Text color="muted" fontSize="sm">
              {typeLabel ?? notice.type} · {notice.id}
            </Text>
            <H1>{notice.title}</H1>
          </Stack>
          <Announcements />
          <DueStatus
            notice={notice}
            dueAction={!regulator && canAskForMoreTime(notice) ? <AskForMoreTime notice={notice} /> : undefined}
          />
          <ExtensionsSection notice={notice} canDecide={regulator} />
          {!regulator && <PlatformNextSteps notice={notice} />}
          {regulator && <NoticeActions notice={notice} />}
          {regulator && canDraftInfringement(notice, now) && <InfringementDraft notice={notice} />}
          <SubmissionsSection notice={notice} />
          <SignedNoticeSection notice={notice} />
          <NoticeDetails notice={notice} typeLabel={typeLabel} />
          <NoticeTimeline notice={notice} />
          <EvidenceBundleSection notice={notice} />
        </Stack>
      </PageContent>
    </AnnouncerProvider>
  );
}
