import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { PageContent } from '@ag.ds-next/react/content';
import { H1, H2 } from '@ag.ds-next/react/heading';
import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { describeError } from '../api/api-error';
import type { Notice } from '../api/types';
import { DueTimePreview } from '../components/due-time-preview';
import { noticeHref } from '../components/notice-links';
import { NoticeSummary } from '../components/notice-summary';
import { ErrorState, LoadingState } from '../components/page-states';
import { noticeTypeLabel, platformName, useNoticeTypes, usePlatforms } from '../components/reference-data';
import { useIssueNotice } from '../components/use-issue-notice';
import { useNotice } from '../components/use-notice';
import { rootRoute } from './root';

export const noticeCheckRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices/$noticeId/check',
  component: NoticeCheck,
});

/** GOV.UK check answers for a saved draft, with the due time it would get now, and the "Issue" action. */
function NoticeCheck() {
  const { noticeId } = noticeCheckRoute.useParams();
  const notice = useNotice(noticeId);
  return (
    <PageContent>
      <Stack gap={3}>
        <H1>Check the notice before issuing it</H1>
        {notice.isPending && <LoadingState label="Loading the draft" />}
        {notice.isError && (
          <ErrorState title="The draft could not be loaded" error={notice.error} retry={() => void notice.refetch()} />
        )}
        {notice.data && <DraftCheck notice={notice.data} />}
      </Stack>
    </PageContent>
  );
}

function DraftCheck({ notice }: { notice: Notice }) {
  const types = useNoticeTypes();
  const platforms = usePlatforms();
  const issue = useIssueNotice();
  const navigate = useNavigate();
  if (notice.status !== 'draft') {
    return (
      <PageAlert tone="info" title="This notice has already been issued">
        <Text as="p">
          <TextLink href={noticeHref(notice.id)}>Go to the notice</TextLink>
        </Text>
      </PageAlert>
    );
  }
  const changeHref = (section: string) => `/notices/new?from=${encodeURIComponent(notice.id)}#section-${section}`;
  const onIssue = () =>
    issue.mutate(
      { noticeId: notice.id },
      { onSuccess: () => void navigate({ to: '/notices/$noticeId/issued', params: { noticeId: notice.id } }) },
    );
  return (
    <Stack gap={3}>
      <Text as="p">
        Draft <strong>{notice.id}</strong>. Check each answer; "Change" takes you back to the form, and saving it
        changes this draft (each change is recorded in its history).
      </Text>
      <NoticeSummary
        notice={notice}
        typeLabel={noticeTypeLabel(types.data, notice.type)}
        platforms={platformName(platforms.data, notice.platformId)}
        changeHref={changeHref}
      />
      <DueTimePreview
        request={{
          type: notice.type,
          timeZone: notice.timeZone,
          jurisdiction: notice.jurisdiction,
          ...(notice.requestedDueAt ? { dueAt: notice.requestedDueAt } : {}),
        }}
      />
      <Stack gap={1}>
        <H2>Issue the notice</H2>
        <Text as="p">
          Issuing gives the notice to the platform now. The moment it is given is recorded, the due time is fixed from
          that moment, and the platform is told. It cannot be undone, only withdrawn.
        </Text>
        <div role="status" aria-live="polite">
          {issue.isPending && <Text>Issuing the notice…</Text>}
        </div>
        {issue.isError && (
          <div role="alert">
            <PageAlert tone="error" title="The notice was not issued">
              <Text as="p">{describeError(issue.error)}</Text>
              <Text as="p">It is still a draft. Pressing "Issue notice" again is safe: it is never issued twice.</Text>
            </PageAlert>
          </div>
        )}
        <ButtonGroup>
          <Button onClick={onIssue} loading={issue.isPending} loadingLabel="Issuing">
            Issue notice
          </Button>
          <TextLink href={noticeHref(notice.id)}>View the draft</TextLink>
        </ButtonGroup>
      </Stack>
    </Stack>
  );
}
